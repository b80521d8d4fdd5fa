import { existsSync } from 'node:fs';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnRule } from 'aws-cdk-lib/aws-events';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { readSynthesizedStack } from '#cloud/template/cloud-assembly';
import { ALARM_EMAIL_CONTEXT_KEY } from '#infra/alarm-topic';
import { ALLOWED_ORIGINS_CONTEXT_KEY } from '#infra/allowed-origins';
import { appContext, buildOrderPipeline, type OrderPipeline } from '#infra/app';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { EnvName, TABLE_NAME_ENV } from '#shared/config';
import { DETAIL_TYPES, EventSource, EventSourceOf, patternFor } from '#shared/contracts';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import { PIPELINE } from '#shared/pipeline';
import { FunctionAccess, type GrantTarget } from '#shared/pipeline-access';
import { consumedBy, HTTP_FUNCTION_NAMES, producedBy, STEP_NAMES, type FunctionName } from '#shared/pipeline-graph';
import { LEDGER_RETENTION_DAYS } from '#shared/tables';
import { allowedActions, policyStatements, referencedId, resourcesOfType, type TemplateJson } from './template-queries.ts';

const DYNAMODB_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

// Bundling every function with esbuild is the slow part of a synthesis, and the test run's global
// setup has done it already: this file's own pipeline skips it, and what depends on the bundles is
// checked on the assembly the global setup synthesized (the one every local cloud of the run runs).
let pipeline: OrderPipeline;
let template: Template;
let json: TemplateJson;

beforeAll(() => {
  pipeline = pipelineWithContext({});
  template = Template.fromStack(pipeline.stack);
  json = template.toJSON() as TemplateJson;
});

/** The pipeline with `context` over the app's, its functions not bundled (for what does not depend on the code). */
function pipelineWithContext(context: Record<string, unknown>): OrderPipeline {
  return buildOrderPipeline({ app: new App({ context: { ...appContext(), 'aws:cdk:bundling-stacks': [], ...context } }) });
}

function logicalIdOf(construct: { node: { defaultChild?: unknown } }): string {
  return pipeline.stack.getLogicalId(construct.node.defaultChild as CfnFunction);
}

/** The function named `name` in the declaration. */
function functionNamed(name: FunctionName) {
  return (STEP_NAMES as readonly string[]).includes(name) ? pipeline.stack.steps[name as (typeof STEP_NAMES)[number]].function : pipeline.stack.httpFunctions[name as (typeof HTTP_FUNCTION_NAMES)[number]];
}

/** Every function the declaration names. */
function allFunctions() {
  return [...HTTP_FUNCTION_NAMES, ...STEP_NAMES].map(functionNamed);
}

function resource(logicalId: string) {
  const found = json.Resources[logicalId];
  if (!found) throw new Error(`no resource ${logicalId}`);
  return found;
}

/** Queues the rules deliver to, and the two kinds of DLQ. */
function queueRoles() {
  const targets = resourcesOfType(json, 'AWS::Events::Rule').flatMap(([, rule]) => rule.Properties?.Targets as Record<string, any>[]);
  const stepQueues = targets.map((target) => referencedId(target.Arn));
  const targetDeadLetterQueues = targets.map((target) => referencedId(target.DeadLetterConfig.Arn));
  const redriveDeadLetterQueues = stepQueues.map((id) => referencedId(resource(id).Properties?.RedrivePolicy.deadLetterTargetArn));
  return { targets, stepQueues, targetDeadLetterQueues, redriveDeadLetterQueues };
}

describe('OrderPipeline stack', () => {
  describe('event bus', () => {
    it('has exactly one custom bus, archived for 30 days with a pattern over all our sources', () => {
      template.resourceCountIs('AWS::Events::EventBus', 1);
      template.resourceCountIs('AWS::Events::Archive', 1);
      const [busId] = resourcesOfType(json, 'AWS::Events::EventBus')[0]!;
      template.hasResourceProperties('AWS::Events::Archive', {
        SourceArn: { 'Fn::GetAtt': [busId, 'Arn'] },
        ArchiveName: Match.stringLikeRegexp('.+'),
        RetentionDays: 30,
        EventPattern: { source: Match.arrayEquals(Object.values(EventSource)) },
      });
    });

    it('leaves KmsKeyIdentifier out of the archive (aws-cdk#37847 writes it empty)', () => {
      const [, archive] = resourcesOfType(json, 'AWS::Events::Archive')[0]!;

      expect(archive.Properties).not.toHaveProperty('KmsKeyIdentifier');
    });
  });

  describe('rules come from the contracts', () => {
    it('has one rule per SQS-fed step and no other', () => {
      template.resourceCountIs('AWS::Events::Rule', STEP_NAMES.length);
      expect(Object.keys(pipeline.stack.steps).sort()).toEqual([...STEP_NAMES].sort());
    });

    it.each(STEP_NAMES)("%s's rule pattern is patternFor(the detail-types it consumes)", (stepName) => {
      const rule = resource(pipeline.stack.getLogicalId(pipeline.stack.steps[stepName].rule.node.defaultChild as CfnRule));

      expect(rule.Properties?.EventPattern).toEqual(patternFor(consumedBy(stepName)));
      expect(referencedId(rule.Properties?.EventBusName)).toBe(logicalIdOf(pipeline.stack.bus));
    });

    it('routes every detail-type to the projection', () => {
      const rule = resource(pipeline.stack.getLogicalId(pipeline.stack.steps['project-order'].rule.node.defaultChild as CfnRule));

      expect(rule.Properties?.EventPattern['detail-type']).toEqual(DETAIL_TYPES);
    });
  });

  describe('rule targets and queues', () => {
    it('targets only SQS queues, each with a dead-letter config and a retry policy', () => {
      const { targets } = queueRoles();

      expect(targets).toHaveLength(STEP_NAMES.length);
      for (const target of targets) {
        expect(resource(referencedId(target.Arn)).Type).toBe('AWS::SQS::Queue');
        expect(resource(referencedId(target.DeadLetterConfig.Arn)).Type).toBe('AWS::SQS::Queue');
        expect(target.RetryPolicy).toEqual({ MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) });
      }
    });

    it('gives every targeted queue a redrive policy with maxReceiveCount 3..5 and encryption', () => {
      for (const queueId of queueRoles().stepQueues) {
        const properties = resource(queueId).Properties ?? {};
        expect(properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(3);
        expect(properties.RedrivePolicy.maxReceiveCount).toBeLessThanOrEqual(5);
        expect(properties.SqsManagedSseEnabled === true || properties.KmsMasterKeyId !== undefined).toBe(true);
      }
    });

    it('keeps messages 14 days in every step queue, as long as in its DLQ', () => {
      for (const queueId of queueRoles().stepQueues) {
        expect(resource(queueId).Properties?.MessageRetentionPeriod, queueId).toBe(FOURTEEN_DAYS);
      }
    });

    it('keeps messages 14 days in every DLQ, encrypted', () => {
      const { targetDeadLetterQueues, redriveDeadLetterQueues } = queueRoles();
      const deadLetterQueues = new Set([...targetDeadLetterQueues, ...redriveDeadLetterQueues]);

      expect(deadLetterQueues.size).toBe(2 * STEP_NAMES.length);
      for (const queueId of deadLetterQueues) {
        expect(resource(queueId).Properties).toMatchObject({ MessageRetentionPeriod: FOURTEEN_DAYS, SqsManagedSseEnabled: true });
      }
    });

    it('refuses non-TLS requests on every queue', () => {
      const queueIds = resourcesOfType(json, 'AWS::SQS::Queue').map(([id]) => id);
      const policies = resourcesOfType(json, 'AWS::SQS::QueuePolicy');

      for (const queueId of queueIds) {
        const denies = policies
          .filter(([, policy]) => (policy.Properties?.Queues as unknown[]).some((queue) => referencedId(queue) === queueId))
          .flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as Record<string, any>[])
          .filter((statement) => statement.Effect === 'Deny' && statement.Condition?.Bool?.['aws:SecureTransport'] === 'false');
        expect(denies, queueId).toHaveLength(1);
      }
    });

    it('alarms on the first message in each DLQ', () => {
      const { targetDeadLetterQueues, redriveDeadLetterQueues } = queueRoles();

      for (const queueId of [...targetDeadLetterQueues, ...redriveDeadLetterQueues]) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          Threshold: 1,
          EvaluationPeriods: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    });

    it('alarms on the age of the oldest message in each step queue, above (maxReceiveCount + 1) visibility timeouts', () => {
      for (const queueId of queueRoles().stepQueues) {
        const queue = resource(queueId).Properties ?? {};
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateAgeOfOldestMessage',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
          Threshold: (queue.RedrivePolicy.maxReceiveCount + 1) * queue.VisibilityTimeout,
          ComparisonOperator: 'GreaterThanThreshold',
        });
      }
    });

    it('has no other alarm: two DLQ alarms and one age alarm per step', () => {
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3 * STEP_NAMES.length);
    });
  });

  describe('alarm notifications', () => {
    it('notifies the alarm topic from every alarm, in ALARM and back to OK', () => {
      const topic = { Ref: logicalIdOf(pipeline.stack.alarmTopic.topic) };

      for (const [id, alarm] of resourcesOfType(json, 'AWS::CloudWatch::Alarm')) {
        expect({ AlarmActions: alarm.Properties?.AlarmActions, OKActions: alarm.Properties?.OKActions }, id).toEqual({ AlarmActions: [topic], OKActions: [topic] });
      }
    });

    it('encrypts the alarm topic with a rotating KMS key, and lets CloudWatch use it and publish', () => {
      const topicId = logicalIdOf(pipeline.stack.alarmTopic.topic);
      const key = resource(referencedId(resource(topicId).Properties?.KmsMasterKeyId));
      const [, topicPolicy] = resourcesOfType(json, 'AWS::SNS::TopicPolicy').find(([, policy]) => referencedId(policy.Properties?.Topics[0]) === topicId)!;
      const grantedToCloudWatch = (statements: Record<string, any>[]) =>
        statements.filter((statement) => statement.Effect === 'Allow' && statement.Principal?.Service === 'cloudwatch.amazonaws.com').flatMap((statement) => [statement.Action].flat());

      expect(key).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
      expect(grantedToCloudWatch(key.Properties?.KeyPolicy.Statement)).toEqual(['kms:GenerateDataKey*', 'kms:Decrypt']);
      expect(grantedToCloudWatch(topicPolicy.Properties?.PolicyDocument.Statement)).toEqual(['sns:Publish']);
    });

    it('subscribes nobody without the alarmEmail context value', () => {
      expect(resourcesOfType(json, 'AWS::SNS::Subscription')).toEqual([]);
    });

    it('e-mails the alarmEmail context value, with cdk-nag still finding nothing', () => {
      const { stack } = pipelineWithContext({ [ALARM_EMAIL_CONTEXT_KEY]: 'ops@example.com' });

      const subscriptions = resourcesOfType(Template.fromStack(stack).toJSON() as TemplateJson, 'AWS::SNS::Subscription').map(([, subscription]) => subscription.Properties);
      expect(subscriptions).toEqual([{ Protocol: 'email', Endpoint: 'ops@example.com', TopicArn: { Ref: logicalIdOf(pipeline.stack.alarmTopic.topic) } }]);
      expect([new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) => pack.validateScope(stack).violations)).toEqual([]);
    });

    it('refuses an alarmEmail context value that is not an e-mail address', () => {
      expect(() => pipelineWithContext({ [ALARM_EMAIL_CONTEXT_KEY]: 'ops at example.com' })).toThrow(
        'context value alarmEmail must be an e-mail address (e.g. cdk deploy -c alarmEmail=ops@example.com), got "ops at example.com"',
      );
    });
  });

  describe('event source mappings', () => {
    it('report batch item failures and cap concurrency on every mapping', () => {
      const mappings = resourcesOfType(json, 'AWS::Lambda::EventSourceMapping');

      expect(mappings).toHaveLength(STEP_NAMES.length);
      for (const [, mapping] of mappings) {
        expect(mapping.Properties?.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
        expect(mapping.Properties?.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
        expect(mapping.Properties?.ScalingConfig.MaximumConcurrency).toBeLessThanOrEqual(1000);
      }
    });

    it('gathers the projection in batches of up to 100 for a second, and invokes the settling steps at once', () => {
      for (const stepName of STEP_NAMES) {
        const fn = pipeline.stack.getLogicalId(pipeline.stack.steps[stepName].function.node.defaultChild as CfnFunction);
        const [, mapping] = resourcesOfType(json, 'AWS::Lambda::EventSourceMapping').find(([, candidate]) => referencedId(candidate.Properties?.FunctionName) === fn) ?? [];
        const expected = stepName === 'project-order' ? { BatchSize: 100, MaximumBatchingWindowInSeconds: 1 } : { BatchSize: 10 };
        expect('batching' in PIPELINE.steps[stepName]).toBe(stepName === 'project-order');
        expect({ BatchSize: mapping?.Properties?.BatchSize, MaximumBatchingWindowInSeconds: mapping?.Properties?.MaximumBatchingWindowInSeconds }).toEqual({ MaximumBatchingWindowInSeconds: undefined, ...expected });
      }
    });

    it("sets each step queue's visibility timeout to at least 6x its function's timeout", () => {
      for (const [, mapping] of resourcesOfType(json, 'AWS::Lambda::EventSourceMapping')) {
        const queue = resource(referencedId(mapping.Properties?.EventSourceArn));
        const fn = resource(referencedId(mapping.Properties?.FunctionName));
        expect(queue.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Properties?.Timeout);
      }
    });
  });

  describe('functions', () => {
    it('runs every function on arm64 and nodejs22.x or newer', () => {
      const functions = resourcesOfType(json, 'AWS::Lambda::Function');

      expect(functions).toHaveLength(STEP_NAMES.length + HTTP_FUNCTION_NAMES.length + 1); // + the seeding provider
      for (const [id, fn] of functions) {
        expect(fn.Properties?.Architectures, id).toEqual(['arm64']);
        const major = Number(/^nodejs(\d+)\.x$/.exec(fn.Properties?.Runtime)?.[1]);
        expect(major, id).toBeGreaterThanOrEqual(22);
      }
    });

    it('makes no function depend on its role, which its Role property references already, only on the role\'s policy', () => {
      for (const [id, fn] of resourcesOfType(json, 'AWS::Lambda::Function')) {
        const roleId = referencedId(fn.Properties?.Role);
        const dependsOn = (resource(id) as { DependsOn?: string[] }).DependsOn ?? [];

        expect(dependsOn, id).toEqual([expect.any(String)]);
        expect(resource(dependsOn[0]!), id).toMatchObject({ Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: roleId }] } });
      }
    });

    it('gives no function an AWS-managed policy, and every function a log group with retention', () => {
      for (const [id, fn] of resourcesOfType(json, 'AWS::Lambda::Function')) {
        const role = resource(referencedId(fn.Properties?.Role));
        expect(role.Properties?.ManagedPolicyArns, id).toBeUndefined();
        const logGroup = resource(referencedId(fn.Properties?.LoggingConfig.LogGroup));
        expect(logGroup.Properties?.RetentionInDays, id).toEqual(expect.any(Number));
      }
    });

    it('has every handler log JSON at INFO without START, END and REPORT', () => {
      for (const handler of allFunctions()) {
        const id = logicalIdOf(handler);
        expect(resource(id).Properties?.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' });
      }
    });

    it.each(STEP_NAMES)('%s gets its DLQ url, maxReceiveCount, service name and only the tables it needs', (stepName) => {
      const step = pipeline.stack.steps[stepName];
      const fn = resource(logicalIdOf(step.function));
      const queue = resource(logicalIdOf(step.queue));
      const access = FunctionAccess.of(stepName);
      const tableEnvNames = TABLE_NAME_ENV;

      const variables = fn.Properties?.Environment.Variables as Record<string, unknown>;
      expect(variables[EnvName.deadLetterQueueUrl]).toEqual({ Ref: logicalIdOf(step.deadLetterQueue) });
      expect(variables[EnvName.maxReceiveCount]).toBe(String(queue.Properties?.RedrivePolicy.maxReceiveCount));
      expect(variables[EnvName.serviceName]).toBe(stepName);
      expect(Object.keys(variables).sort()).toEqual(
        [
          EnvName.deadLetterQueueUrl,
          EnvName.maxReceiveCount,
          EnvName.serviceName,
          ...access.grants.flatMap((grant) => (grant.target.kind === 'table' ? [tableEnvNames[grant.target.table]] : [])),
          ...(producedBy(stepName).length > 0 ? [EnvName.eventBusName] : []),
        ].sort(),
      );
    });

    it('gives the HTTP functions only what they need', () => {
      const placeOrder = resource(logicalIdOf(pipeline.stack.httpFunctions['place-order']));
      const getOrder = resource(logicalIdOf(pipeline.stack.httpFunctions['get-order']));

      expect(Object.keys(placeOrder.Properties?.Environment.Variables).sort()).toEqual([EnvName.eventBusName, EnvName.ordersTableName, EnvName.idempotencyTableName, EnvName.paymentIntentsTableName, EnvName.orderContactsTableName, EnvName.serviceName].sort());
      expect(Object.keys(getOrder.Properties?.Environment.Variables).sort()).toEqual([EnvName.ordersTableName, EnvName.serviceName].sort());
      expect(Object.keys(resource(logicalIdOf(pipeline.stack.httpFunctions['list-orders'])).Properties?.Environment.Variables).sort()).toEqual([EnvName.ordersTableName, EnvName.serviceName].sort());
    });

    it('bundles every handler into an asset directory of the cloud assembly (metadata aws:asset:path)', () => {
      // Prepare: the assembly synthesized with bundling, by the run's global setup
      const synthesized = readSynthesizedStack(inject('assemblyDirectory'), ORDER_PIPELINE_STACK_NAME);
      for (const handler of allFunctions()) {
        // Act
        const metadata = (synthesized.template.Resources[logicalIdOf(handler)]?.Metadata ?? {}) as Record<string, string | undefined>;
        // Assess
        expect(metadata['aws:asset:property']).toBe('Code');
        expect(existsSync(path.join(synthesized.assemblyDirectory, metadata['aws:asset:path'] ?? '', 'index.mjs'))).toBe(true);
      }
    });
  });

  describe('IAM', () => {
    function roleOf(fn: { node: { defaultChild?: unknown } }): string {
      return referencedId(resource(logicalIdOf(fn)).Properties?.Role);
    }
    function actionsOf(fn: { node: { defaultChild?: unknown } }): string[] {
      return allowedActions(json, roleOf(fn));
    }
    /** The logical id of the resource a grant is on, from the stack's own fields. */
    function targetId(name: FunctionName, target: GrantTarget): string {
      const step = (STEP_NAMES as readonly string[]).includes(name) ? pipeline.stack.steps[name as (typeof STEP_NAMES)[number]] : undefined;
      switch (target.kind) {
        case 'table':
        case 'index':
          return logicalIdOf({ orders: pipeline.stack.ordersTable, inventory: pipeline.stack.inventoryTable, ledger: pipeline.stack.ledgerTable, idempotency: pipeline.stack.idempotencyTable, paymentIntents: pipeline.stack.paymentIntentsTable, orderContacts: pipeline.stack.orderContactsTable }[target.table]);
        case 'bus':
          return logicalIdOf(pipeline.stack.bus);
        case 'queue':
          return logicalIdOf(step?.queue as never);
        case 'deadLetterQueue':
          return logicalIdOf(step?.deadLetterQueue as never);
      }
    }
    const FUNCTION_NAMES: FunctionName[] = [...STEP_NAMES, ...HTTP_FUNCTION_NAMES];

    it.each(FUNCTION_NAMES)("%s's role allows exactly what its declaration derives: its log group, then each grant on exactly its resource", (name) => {
      const fn = functionNamed(name);
      const expected = [
        { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [referencedId(resource(logicalIdOf(fn)).Properties?.LoggingConfig.LogGroup), 'Arn'] } },
        ...FunctionAccess.of(name).grants.map((grant) => ({
          Action: grant.actions.length === 1 ? grant.actions[0] : grant.actions,
          Resource:
            grant.target.kind === 'index'
              ? { 'Fn::Join': ['', [{ 'Fn::GetAtt': [targetId(name, grant.target), 'Arn'] }, `/index/${grant.target.index}`]] }
              : { 'Fn::GetAtt': [targetId(name, grant.target), 'Arn'] },
          ...(grant.sources === undefined ? {} : { Condition: { StringEquals: { 'events:source': grant.sources } } }),
        })),
      ].map((statement) => ({ Effect: 'Allow', ...statement }));

      expect(policyStatements(json, roleOf(fn))).toEqual(expected);
    });

    it('lets place-order write and read the Orders table (its read model), and put only shop.orders events', () => {
      const statements = policyStatements(json, roleOf(pipeline.stack.httpFunctions['place-order']));

      expect(statements).toContainEqual({ Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: { 'Fn::GetAtt': [logicalIdOf(pipeline.stack.ordersTable), 'Arn'] } });
      expect(statements).toContainEqual({ Effect: 'Allow', Action: 'events:PutEvents', Resource: { 'Fn::GetAtt': [logicalIdOf(pipeline.stack.bus), 'Arn'] }, Condition: { StringEquals: { 'events:source': [EventSource.orders] } } });
    });

    it('does not let get-order write anything', () => {
      const fn = pipeline.stack.httpFunctions['get-order'];
      const actions = actionsOf(fn);

      expect(actions.filter((action) => DYNAMODB_WRITES.includes(action))).toEqual([]);
      expect(actions).not.toContain('events:PutEvents');
      expect(actions).not.toContain('sqs:SendMessage');
      expect(actions.filter((action) => action.startsWith('dynamodb:'))).toEqual(['dynamodb:GetItem']);
    });

    it("lets list-orders Query the Orders table's customerOrders index and nothing else", () => {
      const statements = policyStatements(json, roleOf(pipeline.stack.httpFunctions['list-orders'])).filter((statement) => String(statement.Action).startsWith('dynamodb:'));

      expect(statements).toEqual([{ Effect: 'Allow', Action: 'dynamodb:Query', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(pipeline.stack.ordersTable), 'Arn'] }, '/index/customerOrders']] } }]);
    });

    it('does not let project-order put events', () => {
      const fn = pipeline.stack.steps['project-order'].function;

      expect(actionsOf(fn)).not.toContain('events:PutEvents');
    });

    it('lets no function Scan or BatchWriteItem anything, Query anything but the customer index, or change a message\'s visibility', () => {
      const actions = allFunctions().flatMap((fn) => actionsOf(fn));
      const queried = allFunctions().flatMap((fn) => policyStatements(json, roleOf(fn)).filter((statement) => [statement.Action].flat().includes('dynamodb:Query')));

      expect(queried.map((statement) => statement.Resource)).toEqual([{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOf(pipeline.stack.ordersTable), 'Arn'] }, '/index/customerOrders']] }]);
      for (const action of ['dynamodb:Scan', 'dynamodb:BatchWriteItem', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl']) expect(actions).not.toContain(action);
    });

    it('lets only capture-payment and reserve-inventory delete, and only payment intents', () => {
      const deleting = [pipeline.stack.steps['reserve-inventory'].function, pipeline.stack.steps['capture-payment'].function];
      const deleters = allFunctions().filter((fn) => actionsOf(fn).includes('dynamodb:DeleteItem'));
      const deletes = deleting.flatMap((fn) => policyStatements(json, roleOf(fn)).filter((statement) => [statement.Action].flat().includes('dynamodb:DeleteItem')));

      expect(deleters).toEqual(deleting);
      expect(deletes.map((statement) => statement.Resource)).toEqual(deleting.map(() => ({ 'Fn::GetAtt': [logicalIdOf(pipeline.stack.paymentIntentsTable), 'Arn'] })));
    });

    it.each(STEP_NAMES.filter((name) => producedBy(name).length > 0))('lets %s put events of its own sources only', (stepName) => {
      const fn = pipeline.stack.steps[stepName].function;
      const putEvents = policyStatements(json, roleOf(fn)).filter((statement) => statement.Action === 'events:PutEvents');

      expect(putEvents).toEqual([expect.objectContaining({ Condition: { StringEquals: { 'events:source': [...new Set(producedBy(stepName).map((type) => EventSourceOf[type]))].sort() } } })]);
    });
  });

  describe('HTTP API', () => {
    it('routes POST /orders to place-order, GET /orders/{id} to get-order and GET /orders to list-orders with payload 2.0', () => {
      const routes = [
        ['POST /orders', pipeline.stack.httpFunctions['place-order']],
        ['GET /orders/{id}', pipeline.stack.httpFunctions['get-order']],
        ['GET /orders', pipeline.stack.httpFunctions['list-orders']],
      ] as const;

      template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
      for (const [routeKey, fn] of routes) {
        const [, route] = resourcesOfType(json, 'AWS::ApiGatewayV2::Route').find(([, candidate]) => candidate.Properties?.RouteKey === routeKey)!;
        const integrationId = (route.Properties?.Target['Fn::Join'][1] as unknown[])[1];
        const integration = resource(referencedId(integrationId));
        expect(integration.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
        expect(referencedId(integration.Properties?.IntegrationUri)).toBe(logicalIdOf(fn));
      }
    });

    it('has no CORS configuration without the allowedOrigins context value: browsers on other origins are refused', () => {
      const [[, api] = []] = resourcesOfType(json, 'AWS::ApiGatewayV2::Api');

      expect(api?.Properties?.CorsConfiguration).toBeUndefined();
    });

    it('lets the origins of -c allowedOrigins call the routes, with the headers a storefront sends and reads', () => {
      const { stack } = pipelineWithContext({ [ALLOWED_ORIGINS_CONTEXT_KEY]: 'https://a.example,https://b.example' });

      Template.fromStack(stack).hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: {
          AllowOrigins: ['https://a.example', 'https://b.example'],
          AllowMethods: ['POST', 'GET'],
          AllowHeaders: ['authorization', 'content-type', 'idempotency-key'],
          ExposeHeaders: ['location', 'idempotent-replayed', 'retry-after'],
          MaxAge: 3600,
        },
      });
    });

    it.each(['https://a.example/', 'https://a.example/shop', 'a.example', 'ftp://a.example', ''])('refuses %j as an allowedOrigins entry, naming the context value', (origin) => {
      expect(() => pipelineWithContext({ [ALLOWED_ORIGINS_CONTEXT_KEY]: `https://ok.example,${origin}` })).toThrow(/context value allowedOrigins must be comma-separated origins/);
    });

    it("takes a customer's token on every route: a JWT authorizer whose issuer is the customer pool and whose audience is its app client", () => {
      const routes = resourcesOfType(json, 'AWS::ApiGatewayV2::Route');
      const [authorizerId, authorizer] = resourcesOfType(json, 'AWS::ApiGatewayV2::Authorizer')[0] ?? [];
      const poolId = logicalIdOf(pipeline.stack.userPool);
      const clientId = logicalIdOf(pipeline.stack.userPoolClient);

      expect(routes.length).toBeGreaterThan(0);
      for (const [, route] of routes) expect(route.Properties).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      expect(authorizer?.Properties).toMatchObject({
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Audience: [{ Ref: clientId }], Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: poolId }]] } },
      });
    });

    it('keeps customers in a pool with a strong password policy, verified e-mail addresses, and an app client without a secret that signs in with SRP or the admin password flow', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        Policies: { PasswordPolicy: { MinimumLength: 12, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true } },
        AutoVerifiedAttributes: ['email'],
        MfaConfiguration: 'OPTIONAL',
      });
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
        PreventUserExistenceErrors: 'ENABLED',
        AllowedOAuthFlows: Match.absent(),
      });
    });

    it('acknowledges no cdk-nag finding about API authorization', () => {
      const acknowledged = JSON.stringify(pipeline.stack.node.findAll().flatMap((construct) => construct.node.metadata));
      expect(acknowledged).not.toContain('APIG4');
    });

    it('throttles the default stage and writes JSON access logs', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: Match.anyValue(), ThrottlingRateLimit: Match.anyValue() },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId' })) },
      });
    });
  });

  describe('tables', () => {
    it.each([
      ['ordersTable', [{ AttributeName: 'orderId', KeyType: 'HASH' }]],
      ['inventoryTable', [{ AttributeName: 'sku', KeyType: 'HASH' }]],
      [
        'ledgerTable',
        [
          { AttributeName: 'orderId', KeyType: 'HASH' },
          { AttributeName: 'step', KeyType: 'RANGE' },
        ],
      ],
    ] as const)('%s is on-demand, with PITR and encryption, retained, keyed %j', (table, keySchema) => {
      const found = json.Resources[logicalIdOf(pipeline.stack[table])] as Record<string, any>;

      expect(found.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        KeySchema: keySchema,
      });
      expect(found.DeletionPolicy).toBe('Retain');
    });

    it("indexes Orders by customer and placing time, copying only what a list shows (no order, no payment token)", () => {
      const found = json.Resources[logicalIdOf(pipeline.stack.ordersTable)] as Record<string, any>;

      expect(found.Properties.GlobalSecondaryIndexes).toEqual([
        {
          IndexName: 'customerOrders',
          KeySchema: [
            { AttributeName: 'customerId', KeyType: 'HASH' },
            { AttributeName: 'placedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['status', 'updatedAt'] },
        },
      ]);
    });

    it('keeps payment intents for a day at most (time to live on expiresAt) and out of point-in-time backups', () => {
      const found = json.Resources[logicalIdOf(pipeline.stack.paymentIntentsTable)] as Record<string, any>;

      expect(found.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'paymentIntentId', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: false },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it("keeps order contacts (the customer's personal data) with point-in-time recovery, and lets DynamoDB expire them (time to live on expiresAt)", () => {
      const found = json.Resources[logicalIdOf(pipeline.stack.orderContactsTable)] as Record<string, any>;

      expect(found.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
      expect(found.DeletionPolicy).toBe('Retain');
    });

    it('lets DynamoDB expire ledger records (time to live on expiresAt), and archives events for less time than the records are kept', () => {
      const ledger = json.Resources[logicalIdOf(pipeline.stack.ledgerTable)] as Record<string, any>;
      const [, archive] = resourcesOfType(json, 'AWS::Events::Archive')[0]!;

      expect(ledger.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
      expect(archive.Properties?.RetentionDays).toBeLessThan(LEDGER_RETENTION_DAYS);
    });

    it('seeds the demo catalogue into Inventory on create only', () => {
      const [, seed] = resourcesOfType(json, 'Custom::AWS')[0]!;
      const create = JSON.stringify(seed.Properties?.Create);

      expect(create).toContain('batchWriteItem');
      for (const entry of DEMO_CATALOGUE) expect(create).toContain(entry.sku);
      for (const attribute of ['unitPriceCents', 'available', 'reserved', 'shipped']) expect(create).toContain(attribute);
      expect(seed.Properties?.Update).toBeUndefined();
      expect(seed.Properties?.InstallLatestAwsSdk).toBe(false);
    });
  });

  describe('outputs', () => {
    it('outputs the API URL, the customer pool and its app client, the bus name, the table names and the dashboard URL', () => {
      expect(Object.keys(json.Outputs ?? {}).sort()).toEqual(['ApiUrl', 'DashboardUrl', 'EventBusName', 'InventoryTableName', 'LedgerTableName', 'OrdersTableName', 'UserPoolClientId', 'UserPoolId']);
    });
  });

  describe('cdk-nag', () => {
    it.each([
      ['AwsSolutions', () => new AwsSolutionsChecks()],
      ['Serverless', () => new ServerlessChecks()],
    ])('%s has no unacknowledged error', (_pack, createPack) => {
      const report = createPack().validateScope(pipeline.stack);

      expect(report.violations.filter((violation) => violation.severity === 'error')).toEqual([]);
    });

    it('has no unacknowledged warning either', () => {
      const violations = [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) => pack.validateScope(pipeline.stack).violations);

      expect(violations).toEqual([]);
    });

    it('leaves no error annotation on the stack', () => {
      expect(Annotations.fromStack(pipeline.stack).findError('*', Match.anyValue())).toEqual([]);
    });
  });
});
