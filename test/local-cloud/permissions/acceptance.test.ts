/**
 * Issue 9's acceptance, on mutated copies of the synthesized assembly: a stack whose permissions
 * are wrong fails locally as it fails on AWS.
 * (a) place-order's role cannot write the Orders table: right after the 202, GET answers 404 and
 *     the function's log names the refused dynamodb:PutItem.
 * (b) the ship-order queue has no policy: EventBridge may not deliver to it, so the order is
 *     never shipped and PaymentCaptured lands in the rule target's DLQ with EventBridge's
 *     attributes, without retries.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { anOrder } from '#test/support/factories';
import { customerAuthorization } from '#test/support/customers';
import { until } from '#test/support/until';
import { administratorClients, functionOf, queueOf, sessionArnOf, tableOf } from './cloud-roles.ts';
import { logicalIdOf, mutatedAssembly, removeActions, removeResources } from './mutated-assembly.ts';

/** DynamoDB actions that write, and wildcards that would cover one. */
const DYNAMODB_WRITE = /^dynamodb:(\*|Put\w*|Update\w*|Delete\w*|BatchWrite\w*|PartiQL(Insert|Update|Delete))$/i;

describe('acceptance: a stack with wrong permissions fails locally as on AWS', () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'acceptance-logs-'));
  const logFile = join(logDirectory, 'functions.log');
  let assembly: string;
  let cloud: LocalCloud;

  beforeAll(async () => {
    assembly = mutatedAssembly(inject('assemblyDirectory'), (template) => {
      // Only on Orders: place-order must still keep the payment token in its intent and publish.
      const ordersTable = logicalIdOf(template, 'OrdersTable', 'AWS::DynamoDB::Table');
      removeActions(template, 'PlaceOrderFunctionRole', (action, statement) => DYNAMODB_WRITE.test(action) && JSON.stringify(statement.Resource).includes(`"${ordersTable}"`));
      const shipOrderQueue = logicalIdOf(template, 'ShipOrderQueue', 'AWS::SQS::Queue');
      removeResources(template, (_id, resource) => resource.Type === 'AWS::SQS::QueuePolicy' && JSON.stringify(resource.Properties?.Queues) === JSON.stringify([{ Ref: shipOrderQueue }]));
    });
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: assembly, functionLogs: { file: logFile } });
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(logDirectory, { recursive: true, force: true });
    rmSync(assembly, { recursive: true, force: true });
  });

  it("(a) without a DynamoDB write grant, place-order's read model is not written: GET right after the 202 answers 404, and its log names the refused dynamodb:PutItem", async () => {
    // Prepare
    const placeOrder = functionOf(cloud, 'PlaceOrderFunction');
    // Signed in first: the GET must follow the 202 at once, before the projection could write the view.
    const authorization = await customerAuthorization(cloud);
    // Act
    const placed = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(anOrder()) });
    const { orderId } = (await placed.json()) as { orderId: string };
    const rightAfter = await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization } });
    // Assess
    expect(placed.status).toBe(202);
    expect(rightAfter.status).toBe(404);
    await until(() => readFileSync(logFile, 'utf8').includes('"action":"dynamodb:PutItem"'), { timeoutMs: 5_000 });
    const refusal = readFileSync(logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"source":"local-cloud"'))
      .map((line) => JSON.parse(line) as Record<string, string>)
      .find((line) => line.action === 'dynamodb:PutItem');
    expect(refusal).toMatchObject({ principal: sessionArnOf(placeOrder), resource: tableOf(cloud, 'Orders').arn });
  });

  it("(b) without the ship-order queue's policy, the order is never shipped and PaymentCaptured lands in the rule target's DLQ with EventBridge's attributes", async () => {
    // Prepare
    const { sqs } = administratorClients(cloud);
    const targetDlq = queueOf(cloud, 'ShipOrderTargetDeadLetterQueue');
    const shipOrderQueue = queueOf(cloud, 'ShipOrderQueue');
    const shipOrderRule = cloud.plan.rules.find((rule) => rule.Name.includes('ShipOrderRule'));
    const authorization = await customerAuthorization(cloud);
    // Act
    const placed = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(anOrder()) });
    const { orderId } = (await placed.json()) as { orderId: string };
    let parked: Message | undefined;
    await until(
      async () => {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: targetDlq.url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
        parked = Messages.find((message) => message.Body?.includes(orderId));
        return parked !== undefined;
      },
      { timeoutMs: 20_000 },
    );
    const view = (await (await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization } })).json()) as { timeline?: { type: string }[] };
    sqs.destroy();
    // Assess
    const attributes = Object.fromEntries(Object.entries(parked?.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]));
    expect(JSON.parse(parked?.Body ?? '{}')).toMatchObject({ 'detail-type': 'PaymentCaptured', detail: { orderId } });
    expect(attributes).toEqual({
      RULE_ARN: `arn:aws:events:us-east-1:000000000000:rule/${shipOrderRule?.EventBusName}/${shipOrderRule?.Name}`,
      TARGET_ARN: shipOrderQueue.arn,
      ERROR_CODE: 'NO_PERMISSIONS',
      ERROR_MESSAGE: `User: events.amazonaws.com is not authorized to perform: sqs:sendmessage on resource: ${shipOrderQueue.arn} because no resource-based policy allows the sqs:sendmessage action`,
      RETRY_ATTEMPTS: '0',
    });
    expect((view.timeline ?? []).map((entry) => entry.type)).not.toContain('OrderShipped');
    expect(cloud.permissions.refusals()).toContainEqual(expect.objectContaining({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: shipOrderQueue.arn, policyType: 'resource-based' }));
  });
});
