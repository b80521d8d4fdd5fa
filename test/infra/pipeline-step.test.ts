import { fileURLToPath } from 'node:url';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import type { GrantTargets } from '#infra/function-grants';
import { PipelineStep, PipelineStepDefaults, type PipelineStepProps } from '#infra/pipeline-step';
import { InvalidPropError } from '#infra/validation';
import { EnvName } from '#shared/config';
import { patternFor } from '#shared/contracts';
import { FunctionAccess } from '#shared/pipeline-access';
import { testGrantTargets } from './fixtures/grant-targets.ts';
import { referencedId, resourcesOfType, type TemplateJson } from './template-queries.ts';

const ENTRY = fileURLToPath(new URL('./fixtures/noop-handler.ts', import.meta.url));
const FOURTEEN_DAYS = 14 * 24 * 60 * 60;

/** A stack with a bus, tables and an alarm topic; bundling is skipped (no stack is listed), these tests look at the wiring. */
function stackWithBus(): { stack: Stack; targets: GrantTargets; alarmTopic: Topic } {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test');
  return { stack, targets: testGrantTargets(stack), alarmTopic: new Topic(stack, 'AlarmTopic') };
}

function stepProps({ targets, alarmTopic }: { targets: GrantTargets; alarmTopic: Topic }, overrides: Partial<PipelineStepProps> = {}): PipelineStepProps {
  return { bus: targets.bus, alarmTopic, stepName: 'reserve-inventory', consumes: ['OrderPlaced'], entry: ENTRY, access: FunctionAccess.of('reserve-inventory'), grantTargets: targets, ...overrides };
}

function synthesizeStep(overrides: Partial<PipelineStepProps> = {}): { step: PipelineStep; stack: Stack; alarmTopic: Topic; json: TemplateJson } {
  const scope = stackWithBus();
  const step = new PipelineStep(scope.stack, 'Step', stepProps(scope, overrides));
  const { stack, alarmTopic } = scope;
  return { step, stack, alarmTopic, json: Template.fromStack(stack).toJSON() as TemplateJson };
}

/** The alarm's properties, found by its construct. */
function alarmOf(json: TemplateJson, stack: Stack, alarm: Alarm): Record<string, any> {
  return json.Resources[stack.getLogicalId(alarm.node.defaultChild as never)]!.Properties ?? {};
}

function only(json: TemplateJson, type: string): Record<string, any> {
  const found = resourcesOfType(json, type);
  expect(found).toHaveLength(1);
  return found[0]![1].Properties ?? {};
}

describe('PipelineStep', () => {
  describe('with defaults', () => {
    const { step, stack, alarmTopic, json } = synthesizeStep({ consumes: ['InventoryRejected', 'InventoryReleased'], stepName: 'cancel-order', access: FunctionAccess.of('cancel-order') });

    it("builds the rule's pattern from the contract", () => {
      const rule = only(json, 'AWS::Events::Rule');

      expect(rule.EventPattern).toEqual(patternFor(['InventoryRejected', 'InventoryReleased']));
      expect(rule.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [stack.getLogicalId(step.queue.node.defaultChild as never), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [stack.getLogicalId(step.targetDeadLetterQueue.node.defaultChild as never), 'Arn'] } },
          RetryPolicy: { MaximumRetryAttempts: PipelineStepDefaults.retryAttempts, MaximumEventAgeInSeconds: 3600 },
        }),
      ]);
    });

    it('creates the queue with a DLQ after 4 receives, a visibility timeout of 6x the 10 s function timeout and 14 days of retention', () => {
      const queue = json.Resources[stack.getLogicalId(step.queue.node.defaultChild as never)]!.Properties ?? {};

      expect(queue).toMatchObject({ VisibilityTimeout: 60, MessageRetentionPeriod: FOURTEEN_DAYS, SqsManagedSseEnabled: true, RedrivePolicy: { maxReceiveCount: 4 } });
      expect(referencedId(queue.RedrivePolicy.deadLetterTargetArn)).toBe(stack.getLogicalId(step.deadLetterQueue.node.defaultChild as never));
    });

    it('feeds the function in batches of 10 with at most 5 concurrent invocations and partial batch responses', () => {
      const mapping = only(json, 'AWS::Lambda::EventSourceMapping');

      expect(mapping).toMatchObject({ BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } });
      expect(mapping.MaximumBatchingWindowInSeconds).toBeUndefined();
    });

    it('gives the function its DLQ url, maxReceiveCount and service name, 256 MB and 10 s', () => {
      const fn = only(json, 'AWS::Lambda::Function');

      expect(fn).toMatchObject({ MemorySize: 256, Timeout: 10, Architectures: ['arm64'] });
      expect(fn.Environment.Variables).toEqual({
        [EnvName.deadLetterQueueUrl]: { Ref: stack.getLogicalId(step.deadLetterQueue.node.defaultChild as never) },
        [EnvName.maxReceiveCount]: '4',
        [EnvName.serviceName]: 'cancel-order',
      });
    });

    it('alarms on each of its two DLQs and on the age of its queue\'s oldest message', () => {
      expect(resourcesOfType(json, 'AWS::CloudWatch::Alarm')).toHaveLength(3);
    });

    it("alarms when the queue's oldest message is older than 5 visibility timeouts (4 receives + 1 of margin): 300 s", () => {
      expect(alarmOf(json, stack, step.oldestMessageAgeAlarm)).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.getLogicalId(step.queue.node.defaultChild as never), 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 60,
        Threshold: 300,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('notifies the alarm topic from every alarm, in ALARM and back to OK', () => {
      const topic = { Ref: stack.getLogicalId(alarmTopic.node.defaultChild as never) };

      const alarms = resourcesOfType(json, 'AWS::CloudWatch::Alarm');
      expect(alarms).toHaveLength(3);
      for (const [id, alarm] of alarms) {
        expect({ AlarmActions: alarm.Properties?.AlarmActions, OKActions: alarm.Properties?.OKActions }, id).toEqual({ AlarmActions: [topic], OKActions: [topic] });
      }
    });

    it("lets the event source mapping poll the queue with AWS's documented minimum, and the function park in its DLQ, nothing more on them", () => {
      const policy = only(json, 'AWS::IAM::Policy');
      const onQueue = (queue: { node: { defaultChild?: unknown } }) =>
        (policy.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[])
          .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as never), 'Arn'] }))
          .flatMap((statement) => statement.Action);

      expect(onQueue(step.queue).sort()).toEqual(['sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ReceiveMessage']);
      expect(onQueue(step.deadLetterQueue)).toEqual(['sqs:SendMessage']);
      expect(onQueue(step.targetDeadLetterQueue)).toEqual([]);
    });
  });

  describe('with custom values', () => {
    it('adds the batching window to the visibility timeout and passes batch settings on', () => {
      const { json } = synthesizeStep({ timeout: Duration.seconds(20), batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxConcurrency: 50, maxReceiveCount: 5 });

      expect(only(json, 'AWS::Lambda::EventSourceMapping')).toMatchObject({
        BatchSize: 100,
        MaximumBatchingWindowInSeconds: 5,
        ScalingConfig: { MaximumConcurrency: 50 },
      });
      const queues = resourcesOfType(json, 'AWS::SQS::Queue').map(([, queue]) => queue.Properties ?? {});
      expect(queues).toContainEqual(expect.objectContaining({ VisibilityTimeout: 6 * 20 + 5, RedrivePolicy: expect.objectContaining({ maxReceiveCount: 5 }) }));
    });

    it('derives the age threshold from the visibility timeout and maxReceiveCount it was given', () => {
      const { step, stack, json } = synthesizeStep({ timeout: Duration.seconds(20), batchSize: 100, maxBatchingWindow: Duration.seconds(5), maxReceiveCount: 5 });

      expect(alarmOf(json, stack, step.oldestMessageAgeAlarm).Threshold).toBe((5 + 1) * (6 * 20 + 5));
    });

    it.each([
      ['maxConcurrency', 2],
      ['maxConcurrency', 1000],
      ['maxReceiveCount', 3],
      ['maxReceiveCount', 5],
      ['batchSize', 1],
      ['retryAttempts', 0],
    ] as const)('accepts %s = %d (a bound of its range)', (prop, value) => {
      const scope = stackWithBus();

      expect(() => new PipelineStep(scope.stack, 'Step', stepProps(scope, { [prop]: value }))).not.toThrow();
    });
  });

  describe('validation', () => {
    it.each<[string, Partial<PipelineStepProps>, RegExp]>([
      ['maxConcurrency below 2', { maxConcurrency: 1 }, /maxConcurrency must be an integer from 2 to 1000, got 1$/],
      ['maxConcurrency above 1000', { maxConcurrency: 1001 }, /maxConcurrency must be an integer from 2 to 1000, got 1001$/],
      ['maxConcurrency not an integer', { maxConcurrency: 2.5 }, /maxConcurrency must be an integer from 2 to 1000, got 2\.5$/],
      ['maxReceiveCount below 3', { maxReceiveCount: 2 }, /maxReceiveCount must be an integer from 3 to 5, got 2$/],
      ['maxReceiveCount above 5', { maxReceiveCount: 6 }, /maxReceiveCount must be an integer from 3 to 5, got 6$/],
      ['batchSize 0', { batchSize: 0 }, /batchSize must be an integer from 1 to 10000, got 0$/],
      ['batchSize above 10000', { batchSize: 10_001, maxBatchingWindow: Duration.seconds(1) }, /batchSize must be an integer from 1 to 10000, got 10001$/],
      ['batchSize above 10 without a batching window', { batchSize: 11 }, /batchSize above 10 needs a maxBatchingWindow of at least 1 second, got batchSize 11/],
      ['maxBatchingWindow above 300 s', { maxBatchingWindow: Duration.minutes(6) }, /maxBatchingWindow must be a whole number of seconds from 0 to 300, got 360 \(6 minutes\)$/],
      ['timeout 0', { timeout: Duration.seconds(0) }, /timeout must be a whole number of seconds from 1 to 900, got 0 \(0 seconds\)$/],
      ['timeout above 900 s', { timeout: Duration.seconds(901) }, /timeout must be a whole number of seconds from 1 to 900, got 901 \(15 minutes 1 second\)$/],
      ['timeout in fractions of a second', { timeout: Duration.millis(1500) }, /timeout must be a whole number of seconds from 1 to 900, got 1\.5 /],
      ['retryAttempts above 185', { retryAttempts: 186 }, /retryAttempts must be an integer from 0 to 185, got 186$/],
      ['retryAttempts negative', { retryAttempts: -1 }, /retryAttempts must be an integer from 0 to 185, got -1$/],
      ['maxEventAge below 60 s', { maxEventAge: Duration.seconds(59) }, /maxEventAge must be a whole number of seconds from 60 to 86400, got 59 \(59 seconds\)$/],
      ['maxEventAge above 24 h', { maxEventAge: Duration.hours(25) }, /maxEventAge must be a whole number of seconds from 60 to 86400, got 90000 /],
      ['memorySize below 128 MB', { memorySize: 64 }, /memorySize must be an integer from 128 to 10240 MB, got 64$/],
      ['no detail-types', { consumes: [] }, /consumes must name at least one value, got \[\]$/],
      ['a repeated detail-type', { consumes: ['OrderPlaced', 'OrderPlaced'] }, /consumes must not repeat a value, got \["OrderPlaced","OrderPlaced"\] \(repeated: OrderPlaced\)$/],
      ['the access of a function that is not a step', { access: FunctionAccess.of('get-order') }, /access must be a step's, with its queue and DLQ, got get-order's$/],
      ['a step name that is not kebab-case', { stepName: 'Reserve_Inventory' }, /stepName must be kebab-case \(e\.g\. "reserve-inventory"\), got "Reserve_Inventory"$/],
    ])('rejects %s, naming the value and the allowed range', (_case, overrides, message) => {
      const create = () => {
        const scope = stackWithBus();
        return new PipelineStep(scope.stack, 'Step', stepProps(scope, overrides));
      };

      expect(create).toThrow(InvalidPropError);
      expect(create).toThrow(message);
    });

    it('says which prop and value it rejected', () => {
      const scope = stackWithBus();

      let caught: unknown;
      try {
        new PipelineStep(scope.stack, 'Step', stepProps(scope, { maxReceiveCount: 10 }));
      } catch (error) {
        caught = error;
      }

      expect(caught).toBeInstanceOf(InvalidPropError);
      expect(caught).toMatchObject({ name: 'InvalidPropError', prop: 'maxReceiveCount', value: 10 });
    });
  });
});
