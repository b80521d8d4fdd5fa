import {
  CreateArchiveCommand,
  CreateEventBusCommand,
  DeleteArchiveCommand,
  DeleteRuleCommand,
  DescribeArchiveCommand,
  DescribeReplayCommand,
  DescribeRuleCommand,
  DisableRuleCommand,
  EventBridgeClient,
  InvalidEventPatternException,
  ListRulesCommand,
  ListTargetsByRuleCommand,
  ManagedRuleException,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException,
  StartReplayCommand,
  TestEventPatternCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '#cloud/aws-error';
import { EventBridgeService } from '#cloud/events/eventbridge-service';
import { eventBridgeBinding } from '#cloud/events/protocol';
import type { SqsSendPort } from '#cloud/events/target-delivery';
import { startAwsGateway, type AwsGateway } from '#cloud/gateway';
import { until } from '#test/support/until';

type Sent = Parameters<SqsSendPort['sendMessage']>[0];

/** An SQS stand-in that records messages per queue and can refuse sends. */
class RecordingQueues implements SqsSendPort {
  readonly sent: Sent[] = [];
  /** Queue name -> error codes the next sends to it fail with. */
  readonly failures = new Map<string, string[]>();

  async sendMessage(input: Sent): Promise<unknown> {
    const next = this.failures.get(input.QueueUrl)?.shift();
    if (next) throw new AwsServiceError(next, `simulated ${next}`);
    this.sent.push(input);
    return {};
  }

  to(queue: string): Sent[] {
    return this.sent.filter((message) => message.QueueUrl === queue);
  }
}

describe('local EventBridge (real SDK v3 client)', () => {
  let queues: RecordingQueues;
  let service: EventBridgeService;
  let gateway: AwsGateway;
  let client: EventBridgeClient;
  let bus: string;
  let busArn: string;
  let counter = 0;

  beforeAll(async () => {
    queues = new RecordingQueues();
    service = new EventBridgeService({ sqs: queues, retryBaseDelayMs: 1 });
    gateway = await startAwsGateway({ port: 0, services: [{ name: 'events', json: eventBridgeBinding(service) }] });
    client = new EventBridgeClient({ endpoint: gateway.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    service.close();
    client.destroy();
    await gateway.close();
  });
  beforeEach(async () => {
    counter += 1;
    bus = `bus-${counter}`;
    busArn = (await client.send(new CreateEventBusCommand({ Name: bus }))).EventBusArn as string;
  });

  const ruleWithTarget = async (name: string, pattern: object, target: Partial<Target> = {}) => {
    await client.send(new PutRuleCommand({ Name: name, EventBusName: bus, EventPattern: JSON.stringify(pattern) }));
    await client.send(new PutTargetsCommand({ Rule: name, EventBusName: bus, Targets: [{ Id: 'queue', Arn: `arn:aws:sqs:us-east-1:000000000000:${name}-queue`, ...target }] }));
    return `${name}-queue`;
  };
  const put = (detailType: string, detail: object, source = 'shop.orders') =>
    client.send(new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: detailType, Detail: JSON.stringify(detail) }] }));

  it('delivers the full event envelope to the SQS target of a matching rule only', async () => {
    // Prepare
    const queue = await ruleWithTarget('placed', { source: ['shop.orders'], 'detail-type': ['OrderPlaced'] });
    // Act
    const result = await put('OrderPlaced', { orderId: 'o-1' });
    await put('OrderShipped', { orderId: 'o-2' });
    // Assess
    await until(() => queues.to(queue).length === 1);
    const envelope = JSON.parse(queues.to(queue)[0]?.MessageBody ?? '{}');
    expect(envelope).toMatchObject({ version: '0', id: result.Entries?.[0]?.EventId, 'detail-type': 'OrderPlaced', source: 'shop.orders', account: '000000000000', region: 'us-east-1', resources: [], detail: { orderId: 'o-1' } });
    expect(envelope.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(queues.to(queue)).toHaveLength(1);
  });

  it('does not deliver to a disabled rule', async () => {
    // Prepare
    const queue = await ruleWithTarget('off', { source: ['shop.orders'] });
    await client.send(new DisableRuleCommand({ Name: 'off', EventBusName: bus }));
    // Act
    await put('OrderPlaced', { orderId: 'o-3' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Assess
    expect(queues.to(queue)).toEqual([]);
  });

  it('reports each invalid entry in its own result and accepts the others', async () => {
    // Act
    const result = await client.send(
      new PutEventsCommand({
        Entries: [
          { EventBusName: bus, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"ok"}' },
          { EventBusName: bus, Source: 'shop.orders', DetailType: 'OrderPlaced' },
          { EventBusName: bus, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '[1,2]' },
          { EventBusName: 'no-such-bus', Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' },
        ],
      }),
    );
    // Assess
    expect(result.FailedEntryCount).toBe(3);
    expect(result.Entries?.map((entry) => entry.ErrorCode ?? 'ok')).toEqual(['ok', 'InvalidArgument', 'MalformedDetail', 'ResourceNotFoundException']);
  });

  it('refuses more than 10 entries in one call', async () => {
    // Act
    const failure = await client
      .send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => ({ EventBusName: bus, Source: 's', DetailType: 't', Detail: '{}' })) }))
      .catch((error: Error) => error);
    // Assess
    expect(failure).toMatchObject({ name: 'ValidationException' });
  });

  it('rejects an invalid pattern with InvalidEventPatternException, at PutRule and TestEventPattern', async () => {
    // Act
    const atRule = await client.send(new PutRuleCommand({ Name: 'bad', EventBusName: bus, EventPattern: '{"source":"not-an-array"}' })).catch((error: Error) => error);
    const atTest = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">"]}]}}', Event: '{}' })).catch((error: Error) => error);
    // Assess
    expect(atRule).toBeInstanceOf(InvalidEventPatternException);
    expect(atTest).toBeInstanceOf(InvalidEventPatternException);
  });

  it('answers TestEventPattern for any pattern and event', async () => {
    // Prepare
    const event = JSON.stringify({ id: '1', account: '000000000000', source: 'shop.orders', time: '2026-11-22T12:00:00Z', region: 'us-east-1', 'detail-type': 'OrderPlaced', resources: [], detail: { amount: 300 } });
    // Act
    const numeric = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"amount":[{"numeric":[">",100]}]}}', Event: event }));
    const typed = await client.send(new TestEventPatternCommand({ EventPattern: '{"detail":{"amount":["300"]}}', Event: event }));
    // Assess
    expect(numeric.Result).toBe(true);
    expect(typed.Result).toBe(false);
  });

  it('shapes the message with an input transformer', async () => {
    // Prepare
    const queue = await ruleWithTarget(
      'shaped',
      { source: ['shop.orders'] },
      { InputTransformer: { InputPathsMap: { id: '$.detail.orderId', count: '$.detail.count' }, InputTemplate: '{"order":<id>,"text":"order <id> has <count> items","count":<count>,"rule":"<aws.events.rule-name>"}' } },
    );
    // Act
    await put('OrderPlaced', { orderId: 'o-9', count: 3 });
    // Assess
    await until(() => queues.to(queue).length === 1);
    expect(JSON.parse(queues.to(queue)[0]?.MessageBody ?? '')).toEqual({ order: 'o-9', text: 'order o-9 has 3 items', count: 3, rule: 'shaped' });
  });

  it('sends a constant Input or the InputPath selection', async () => {
    // Prepare
    const constant = await ruleWithTarget('constant', { source: ['shop.orders'] }, { Input: '{"fixed":true}' });
    const path = await ruleWithTarget('path', { source: ['shop.orders'] }, { InputPath: '$.detail' });
    // Act
    await put('OrderPlaced', { orderId: 'o-10' });
    // Assess
    await until(() => queues.to(constant).length === 1 && queues.to(path).length === 1);
    expect(queues.to(constant)[0]?.MessageBody).toBe('{"fixed":true}');
    expect(JSON.parse(queues.to(path)[0]?.MessageBody ?? '')).toEqual({ orderId: 'o-10' });
  });

  it('retries a failing target and delivers once it recovers', async () => {
    // Prepare
    const queue = await ruleWithTarget('flaky', { source: ['shop.orders'] }, { RetryPolicy: { MaximumRetryAttempts: 5 } });
    queues.failures.set(queue, ['ThrottlingException', 'ServiceUnavailable']);
    // Act
    await put('OrderPlaced', { orderId: 'o-11' });
    // Assess
    await until(() => queues.to(queue).length === 1);
  });

  it('sends the event to the target DLQ with the error attributes once retries are exhausted', async () => {
    // Prepare
    const dlq = 'target-dlq';
    const queue = await ruleWithTarget('broken', { source: ['shop.orders'] }, { RetryPolicy: { MaximumRetryAttempts: 2 }, DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:000000000000:${dlq}` } });
    queues.failures.set(queue, ['ThrottlingException', 'ThrottlingException', 'ThrottlingException']);
    // Act
    await put('OrderPlaced', { orderId: 'o-12' });
    // Assess
    await until(() => queues.to(dlq).length === 1);
    const [parked] = queues.to(dlq);
    expect(JSON.parse(parked?.MessageBody ?? '').detail).toEqual({ orderId: 'o-12' });
    expect(parked?.MessageAttributes).toMatchObject({
      ERROR_CODE: { StringValue: 'ThrottlingException' },
      EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumRetryAttempts' },
      RETRY_ATTEMPTS: { StringValue: '2' },
      RULE_ARN: { StringValue: expect.stringContaining(`rule/${bus}/broken`) },
      TARGET_ARN: { StringValue: expect.stringContaining(queue) },
    });
  });

  it('sends an event for a queue that does not exist to the DLQ without retrying', async () => {
    // Prepare
    const dlq = 'missing-dlq';
    const queue = await ruleWithTarget('missing', { source: ['shop.orders'] }, { DeadLetterConfig: { Arn: `arn:aws:sqs:us-east-1:000000000000:${dlq}` } });
    queues.failures.set(queue, ['QueueDoesNotExist']);
    // Act
    await put('OrderPlaced', { orderId: 'o-13' });
    // Assess
    await until(() => queues.to(dlq).length === 1);
    expect(queues.to(dlq)[0]?.MessageAttributes?.RETRY_ATTEMPTS?.StringValue).toBe('0');
  });

  it('archives matching events and replays a window to the rules, marked with the replay name', async () => {
    // Prepare
    const { ArchiveArn } = await client.send(new CreateArchiveCommand({ ArchiveName: `archive-${counter}`, EventSourceArn: busArn, EventPattern: JSON.stringify({ source: ['shop.orders'] }) }));
    const from = new Date(Date.now() - 60_000);
    await put('OrderPlaced', { orderId: 'o-14' });
    await put('PaymentCaptured', { orderId: 'o-14' }, 'shop.payments');
    const queue = await ruleWithTarget('replayed', { source: ['shop.orders'] });
    // Act
    await client.send(new StartReplayCommand({ ReplayName: `replay-${counter}`, EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(), Destination: { Arn: busArn } }));
    // Assess
    await until(async () => (await client.send(new DescribeReplayCommand({ ReplayName: `replay-${counter}` }))).State === 'COMPLETED');
    await until(() => queues.to(queue).length === 1);
    expect(JSON.parse(queues.to(queue)[0]?.MessageBody ?? '')).toMatchObject({ 'replay-name': `replay-${counter}`, detail: { orderId: 'o-14' } });
    expect((await client.send(new DescribeArchiveCommand({ ArchiveName: `archive-${counter}` }))).EventCount).toBe(1);
  });

  it("creates an archive's managed rule as AWS does, and ListRules, DescribeRule and ListTargetsByRule show it", async () => {
    // Prepare
    const archiveName = `orders-${counter}`;
    const { ArchiveArn } = await client.send(new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: busArn, EventPattern: JSON.stringify({ source: ['shop.orders'] }) }));
    const ruleName = `Events-Archive-${archiveName}`;
    // Act
    const { Rules } = await client.send(new ListRulesCommand({ EventBusName: bus }));
    const described = await client.send(new DescribeRuleCommand({ Name: ruleName, EventBusName: bus }));
    const { Targets } = await client.send(new ListTargetsByRuleCommand({ Rule: ruleName, EventBusName: bus }));
    // Assess
    const managedRule = {
      Name: ruleName,
      Arn: `arn:aws:events:us-east-1:000000000000:rule/${bus}/${ruleName}`,
      EventPattern: '{"replay-name":[{"exists":false}],"source":["shop.orders"]}',
      State: 'ENABLED',
      ManagedBy: 'prod.vhs.events.aws.internal',
      EventBusName: bus,
    };
    expect(Rules).toEqual([managedRule]);
    expect(described).toMatchObject({ ...managedRule, CreatedBy: '000000000000' });
    expect(described.Description).toBeUndefined();
    expect(Targets).toEqual([
      {
        Id: ruleName,
        Arn: 'arn:aws:events:us-east-1:::',
        InputTransformer: { InputPathsMap: {}, InputTemplate: expect.stringMatching(new RegExp(`^\\{"archive-arn": "${ArchiveArn}:[0-9a-f-]{36}","event": <aws\\.events\\.event\\.json>,"ingestion-time": <aws\\.events\\.event\\.ingestion-time>\\}$`)) },
      },
    ]);
  });

  it("refuses to change an archive's managed rule by hand, and deletes it with its archive", async () => {
    // Prepare
    const archiveName = `orders-${counter}`;
    await client.send(new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: busArn }));
    const rule = { Name: `Events-Archive-${archiveName}`, EventBusName: bus };
    // Act
    const refusals = await Promise.all([
      client.send(new PutRuleCommand({ ...rule, EventPattern: '{"source":["shop.orders"]}' })),
      client.send(new PutTargetsCommand({ Rule: rule.Name, EventBusName: bus, Targets: [{ Id: 'queue', Arn: 'arn:aws:sqs:us-east-1:000000000000:elsewhere' }] })),
      client.send(new DisableRuleCommand(rule)),
      client.send(new RemoveTargetsCommand({ Rule: rule.Name, EventBusName: bus, Ids: [rule.Name] })),
      client.send(new DeleteRuleCommand(rule)),
    ].map((sent) => sent.catch((error: Error) => error)));
    await client.send(new DeleteArchiveCommand({ ArchiveName: archiveName }));
    // Assess
    for (const refusal of refusals) expect(refusal).toBeInstanceOf(ManagedRuleException);
    expect(refusals[0]).toMatchObject({ message: `${rule.Name} is a managed rule.` });
    expect((await client.send(new ListRulesCommand({ EventBusName: bus }))).Rules).toEqual([]);
  });

  it('leaves an archive DISABLED, receiving nothing, once its managed rule was removed with Force', async () => {
    // Prepare
    const archiveName = `orders-${counter}`;
    await client.send(new CreateArchiveCommand({ ArchiveName: archiveName, EventSourceArn: busArn }));
    const rule = { Name: `Events-Archive-${archiveName}`, EventBusName: bus };
    await put('OrderPlaced', { orderId: 'o-15' });
    // Act
    await client.send(new RemoveTargetsCommand({ Rule: rule.Name, EventBusName: bus, Ids: [rule.Name], Force: true }));
    await client.send(new DeleteRuleCommand({ ...rule, Force: true }));
    await put('OrderPlaced', { orderId: 'o-16' });
    // Assess
    expect(await client.send(new DescribeArchiveCommand({ ArchiveName: archiveName }))).toMatchObject({
      State: 'DISABLED',
      StateReason: 'Managed rule for the archive was forcefully deleted.',
      EventCount: 1,
    });
  });

  it('refuses a request missing a required member, or with a member of the wrong type, before the service sees it', async () => {
    // Prepare
    const sending = (body: string) => {
      const malformed = new EventBridgeClient({ endpoint: gateway.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
      malformed.middlewareStack.add(
        (next) => async (args) => {
          const request = args.request as { body: string; headers: Record<string, string> };
          request.body = body;
          request.headers['content-length'] = String(Buffer.byteLength(body));
          return next(args);
        },
        { step: 'build', name: 'sendMalformedBody' },
      );
      return malformed;
    };
    const missingName = sending(JSON.stringify({ EventBusName: bus }));
    const numericName = sending(JSON.stringify({ Name: 7, EventBusName: bus }));
    // Act
    const missing = await missingName.send(new DescribeRuleCommand({ Name: 'placed', EventBusName: bus })).catch((error: Error) => error);
    const wrongType = await numericName.send(new DescribeRuleCommand({ Name: 'placed', EventBusName: bus })).catch((error: Error) => error);
    // Assess
    expect(missing).toMatchObject({ name: 'ValidationException', message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null" });
    expect(wrongType).toMatchObject({ name: 'SerializationException' });
    missingName.destroy();
    numericName.destroy();
  });

  it('answers ResourceNotFoundException for a rule on a missing bus', async () => {
    // Act
    const failure = await client.send(new PutRuleCommand({ Name: 'x', EventBusName: 'nowhere', EventPattern: '{"source":["a"]}' })).catch((error: Error) => error);
    // Assess
    expect(failure).toBeInstanceOf(ResourceNotFoundException);
  });
});
