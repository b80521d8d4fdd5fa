/**
 * Keep no secret you don't need: after a soak with every outcome (fulfilled, out of stock,
 * declined, poison parked), no order's payment token is found anywhere the pipeline keeps
 * data: not in a table, not in the bus's archive (replayed into a queue and read), not in a
 * queue or DLQ, not in a function's log; and no customer's name, e-mail or street is found
 * anywhere but the order contacts. Each search also counts what it read, so a search that
 * found nothing because it read nothing fails.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { DescribeArchiveCommand, DescribeEventBusCommand, DescribeReplayCommand, EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SQSClient, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalCloud } from '#cloud/local-cloud';
import { EventSource } from '#shared/contracts';
import { customerEmailOf } from '#infra/tools/token/customer-tokens';
import { planOrders } from '#local/order-mix';
import { aPaymentIntentId, aPlacedOrder } from '#test/support/factories';
import { until } from '#test/support/until';
import { SOAK_TEST_TIMEOUT_MS, expectAllInvariantsHold, soakUnder } from './soak-support.ts';

const ADMINISTRATOR = { accessKeyId: 'test', secretAccessKey: 'test' };
const ORDERS = 30;
/** A soak's time, and the searches': a scan, a read of every queue, a replay of the archive. */
const SEARCH_TEST_TIMEOUT_MS = SOAK_TEST_TIMEOUT_MS + 120_000;
const SEED = 5;

/** What the searches read, as text, and how much of it; the order contacts' table apart from the others. */
interface Searched {
  readonly tables: { items: number; text: string[]; contacts: string[] };
  readonly archive: { archived: number; replayed: string[] };
  readonly queues: { messages: number; text: string[] };
  readonly logLines: string[];
}

/** Every item of every table, read with Scan (the functions may not; the administrator may). */
async function scanEveryTable(dynamodb: DynamoDBClient, into: Searched['tables']): Promise<void> {
  const { TableNames = [] } = await dynamodb.send(new ListTablesCommand({}));
  for (const TableName of TableNames) {
    let ExclusiveStartKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(new ScanCommand({ TableName, ExclusiveStartKey }));
      into.items += page.Items?.length ?? 0;
      (TableName.includes('OrderContacts') ? into.contacts : into.text).push(JSON.stringify(page.Items ?? []));
      ExclusiveStartKey = page.LastEvaluatedKey;
    } while (ExclusiveStartKey !== undefined);
  }
}

/** Every message of every queue (step queues and DLQs), received until a receive comes back empty. */
async function readEveryQueue(sqs: SQSClient, into: Searched['queues'], except: string): Promise<void> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
  for (const QueueUrl of QueueUrls.filter((url) => !url.endsWith(except))) {
    for (;;) {
      // Received messages stay invisible for the rest of the test, so each is read once.
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
      if (Messages.length === 0) break;
      into.messages += Messages.length;
      into.text.push(JSON.stringify(Messages));
    }
  }
}

/**
 * The whole archive, replayed (as an operator would) to a rule of its own that sends every
 * event to a fresh queue, and read from there: what a replay hands anyone is what the archive keeps.
 */
async function replayTheArchive(cloud: LocalCloud, events: EventBridgeClient, sqs: SQSClient, queueName: string, from: Date, into: Searched['archive']): Promise<void> {
  const busName = cloud.outputs.EventBusName;
  const { Arn: busArn } = await events.send(new DescribeEventBusCommand({ Name: busName }));
  const { ArchiveArn, EventCount = 0 } = await events.send(new DescribeArchiveCommand({ ArchiveName: cloud.plan.archives[0]?.ArchiveName }));
  into.archived = EventCount;
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn as string;
  const { RuleArn } = await events.send(new PutRuleCommand({ Name: `${queueName}-rule`, EventBusName: busName, EventPattern: JSON.stringify({ source: Object.values(EventSource) }) }));
  // As on AWS, EventBridge may send to the copy only if the queue's policy lets it, here for the replay's rule alone.
  await sqs.send(
    new SetQueueAttributesCommand({
      QueueUrl,
      Attributes: { Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': RuleArn } } }] }) },
    }),
  );
  await events.send(new PutTargetsCommand({ Rule: `${queueName}-rule`, EventBusName: busName, Targets: [{ Id: 'archive-copy', Arn: queueArn }] }));
  const replayName = `${queueName}-replay`;
  await events.send(new StartReplayCommand({ ReplayName: replayName, EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(), Destination: { Arn: busArn, FilterArns: [RuleArn as string] } }));
  let replay = await events.send(new DescribeReplayCommand({ ReplayName: replayName }));
  await until(async () => !['STARTING', 'RUNNING'].includes((replay = await events.send(new DescribeReplayCommand({ ReplayName: replayName }))).State ?? ''), { timeoutMs: 60_000, intervalMs: 100 });
  expect(replay.State, replay.StateReason).toBe('COMPLETED');
  await until(
    async () => {
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 600, WaitTimeSeconds: 0 }));
      into.replayed.push(...Messages.map((message) => message.Body ?? ''));
      return into.replayed.length >= EventCount;
    },
    { timeoutMs: 60_000, intervalMs: 50 },
  );
}

describe('payment tokens and personal data after a soak with every outcome', () => {
  it('tokens are found in no table, archived event, queue, DLQ or function log; names, e-mails and streets only in the order contacts', { timeout: SEARCH_TEST_TIMEOUT_MS }, async () => {
    // Prepare: the soak's orders, each with a token of its own; a poison for capture-payment
    // (a reservation of an order never placed), parked with its cause.
    const planned = planOrders(ORDERS, SEED);
    const tokens = planned.map(({ order }) => order.paymentToken);
    // The name and street from the order's body; the e-mail address from the customer's token.
    const personal = [...new Set(planned.flatMap(({ order }) => [order.customer.name, order.shippingAddress.line1, customerEmailOf(order.customer.customerId)]))];
    const searched: Searched = { tables: { items: 0, text: [], contacts: [] }, archive: { archived: 0, replayed: [] }, queues: { messages: 0, text: [] }, logLines: [] };
    const archiveCopy = `archive-copy-${randomUUID().slice(0, 8)}`;
    const poisonOrderId = randomUUID();
    const from = new Date(Date.now() - 1_000);

    // Act
    const report = await soakUnder(
      {},
      {
        orders: ORDERS,
        seed: SEED,
        functionLogs: (line) => searched.logLines.push(line),
        alongside: async (cloud) => {
          const events = new EventBridgeClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: ADMINISTRATOR });
          const detail = { schemaVersion: 2, orderId: poisonOrderId, order: aPlacedOrder({ paymentIntentId: aPaymentIntentId() }), amountCents: 100, currency: 'USD' };
          await events.send(new PutEventsCommand({ Entries: [{ EventBusName: cloud.outputs.EventBusName, Source: EventSource.inventory, DetailType: 'InventoryReserved', Detail: JSON.stringify(detail) }] }));
          events.destroy();
        },
        beforeStop: async (cloud) => {
          const config = { region: cloud.region, endpoint: cloud.awsEndpoint, credentials: ADMINISTRATOR };
          const [dynamodb, sqs, events] = [new DynamoDBClient(config), new SQSClient(config), new EventBridgeClient(config)];
          try {
            await scanEveryTable(dynamodb, searched.tables);
            await readEveryQueue(sqs, searched.queues, archiveCopy);
            await replayTheArchive(cloud, events, sqs, archiveCopy, from, searched.archive);
          } finally {
            [dynamodb, sqs, events].forEach((client) => client.destroy());
          }
        },
      },
    );

    // Assess: every outcome happened, and the poison is parked with its cause.
    expectAllInvariantsHold(report);
    expect([...report.statusCounts.keys()]).toEqual(expect.arrayContaining(['notified', 'cancelled (OUT_OF_STOCK)', 'cancelled (CARD_DECLINED)', 'cancelled (INSUFFICIENT_FUNDS)']));
    expect(report.deadLettersAfterRedrive.filter((letter) => letter.orderId === poisonOrderId).map((letter) => letter.attributes.errorName)).toContain('UnknownOrderError');
    // Assess: each search read something.
    expect(searched.tables.items).toBeGreaterThan(ORDERS);
    expect(searched.archive.archived).toBeGreaterThan(ORDERS);
    expect(searched.archive.replayed).toHaveLength(searched.archive.archived);
    expect(searched.queues.messages).toBeGreaterThan(0);
    expect(searched.logLines.length).toBeGreaterThan(0);
    // Assess: no token anywhere, and personal data only in the order contacts, where every order's is.
    const places = { tables: searched.tables.text, contacts: searched.tables.contacts, archive: searched.archive.replayed, queues: searched.queues.text, logs: searched.logLines };
    const foundIn = (values: readonly string[], texts: readonly string[]) => values.filter((value) => texts.some((text) => text.includes(value)));
    const found = Object.entries(places).flatMap(([place, texts]) => foundIn(tokens, texts).map((token) => `${token} in ${place}`));
    expect(found).toEqual([]);
    const { contacts: _contacts, ...elsewhere } = places;
    expect(Object.entries(elsewhere).flatMap(([place, texts]) => foundIn(personal, texts).map((value) => `${value} in ${place}`))).toEqual([]);
    expect(foundIn(personal, searched.tables.contacts)).toEqual(personal);
  });
});
