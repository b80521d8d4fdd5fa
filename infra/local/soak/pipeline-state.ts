/**
 * Reading the pipeline's state through the cloud's public interfaces only, as an operator
 * would on AWS: GET /orders/{id}, the ledger and inventory tables and the queues through SDK
 * clients on the cloud's endpoint.
 */
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderView } from '#shared/order-view';
import { mapConcurrently } from '#local/soak/concurrency';
import type { DeadLetterRoute } from '#local/soak/dead-letter-routes';
import type { DeadLetter, LedgerEntry, StockLevel } from '#local/soak/invariants';
import { getOrderView } from '#local/soak/order-client';

/** How long the messages read from a DLQ stay hidden while the rest is read; then they are made visible again. */
const PEEK_VISIBILITY_SECONDS = 60;

/** An order and the `Authorization` of its customer, who alone may read it. */
export interface OwnedOrder {
  readonly orderId: string;
  readonly authorization: string;
}

/** GET /orders/{id} for each order as its customer, `concurrency` at a time. */
export async function readOrderViews(httpApiUrl: string, orders: readonly OwnedOrder[], concurrency: number): Promise<Map<string, OrderView | undefined>> {
  const views = await mapConcurrently(orders, concurrency, ({ orderId, authorization }) => getOrderView(httpApiUrl, authorization, orderId));
  return new Map(orders.map(({ orderId }, index) => [orderId, views[index]]));
}

/** Every ledger item. */
export async function readLedger(dynamodb: DynamoDBDocumentClient, tableName: string): Promise<LedgerEntry[]> {
  return (await scan(dynamodb, tableName)) as unknown as LedgerEntry[];
}

/** Every SKU's counters. */
export async function readInventory(dynamodb: DynamoDBDocumentClient, tableName: string): Promise<StockLevel[]> {
  return (await scan(dynamodb, tableName)).map((item) => ({ sku: String(item.sku), available: Number(item.available), reserved: Number(item.reserved), shipped: Number(item.shipped) }));
}

async function scan(dynamodb: DynamoDBDocumentClient, tableName: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await dynamodb.send(new ScanCommand({ TableName: tableName, ConsistentRead: true, ExclusiveStartKey: startKey }));
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return items;
}

/** The URL of each queue by name. */
export async function queueUrls(sqs: SQSClient, queueNames: readonly string[]): Promise<Map<string, string>> {
  const urls = await Promise.all(queueNames.map(async (QueueName) => (await sqs.send(new GetQueueUrlCommand({ QueueName }))).QueueUrl ?? ''));
  return new Map(queueNames.map((name, index) => [name, urls[index] ?? '']));
}

/** Messages in the queues, visible, in flight or delayed. */
export async function messagesIn(sqs: SQSClient, queueUrlList: readonly string[]): Promise<number> {
  const counts = await Promise.all(
    queueUrlList.map(async (QueueUrl) => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages ?? 0) + Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0) + Number(Attributes.ApproximateNumberOfMessagesDelayed ?? 0);
    }),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Everything in the DLQs, read without taking it: each message is received (hidden while the
 * rest is read, so none is counted twice) and then made visible again for a redrive.
 */
export async function readDeadLetters(sqs: SQSClient, routes: readonly DeadLetterRoute[]): Promise<DeadLetter[]> {
  const urls = await queueUrls(sqs, routes.map((route) => route.deadLetterQueueName));
  const letters = await Promise.all(
    routes.map(async (route) => {
      const QueueUrl = urls.get(route.deadLetterQueueName) ?? '';
      const received: Message[] = [];
      for (;;) {
        const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: PEEK_VISIBILITY_SECONDS, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
        if (Messages.length === 0) break;
        received.push(...Messages);
      }
      for (let start = 0; start < received.length; start += 10) {
        const entries = received.slice(start, start + 10).map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '', VisibilityTimeout: 0 }));
        await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl, Entries: entries }));
      }
      return received.map((message) => deadLetterOf(route, message));
    }),
  );
  return letters.flat();
}

function deadLetterOf(route: DeadLetterRoute, message: Message): DeadLetter {
  let body: { 'detail-type'?: unknown; detail?: { orderId?: unknown } } = {};
  try {
    body = JSON.parse(message.Body ?? '') as typeof body;
  } catch {
    // A body that is not an event names no order; the attributes still say why it is here.
  }
  const orderId = typeof body.detail?.orderId === 'string' ? body.detail.orderId : undefined;
  const detailType = typeof body['detail-type'] === 'string' ? body['detail-type'] : undefined;
  const attributes = Object.fromEntries(Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) => (value.StringValue === undefined ? [] : [[name, value.StringValue]])));
  return {
    queueName: route.deadLetterQueueName,
    kind: route.kind,
    messageId: message.MessageId ?? '',
    ...(orderId === undefined ? {} : { orderId }),
    ...(detailType === undefined ? {} : { detailType }),
    attributes,
  };
}
