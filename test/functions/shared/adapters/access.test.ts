import { BatchGetItemCommand, ConditionalCheckFailedException, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand, TransactionCanceledException, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADAPTER_ACCESS, PARKING_ACTIONS, PUBLISHING_ACTIONS, type TableAccess } from '#shared/adapters/access';
import { DynamoDbCatalogue } from '#shared/adapters/dynamodb-catalogue';
import { DynamoDbIdempotencyKeys } from '#shared/adapters/dynamodb-idempotency-keys';
import { DynamoDbOrderContacts } from '#shared/adapters/dynamodb-order-contacts';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbPaymentIntents } from '#shared/adapters/dynamodb-payment-intents';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { EventBridgePublisher } from '#shared/adapters/eventbridge-publisher';
import { SqsDeadLetterParking } from '#shared/adapters/sqs-dead-letter-parking';
import { domainEvent } from '#shared/contracts';
import { SDK_CLIENT_SETTINGS } from '#shared/runtime/sdk-client-settings';
import { applyEvent } from '#shared/order-view';
import type { TableName } from '#shared/tables';
import { aContactOf, aPlacedOrder } from '#test/support/factories';

/** The tables of this test, by the name the grants use. */
const TABLES: Record<TableName, string> = { orders: 'orders-table', inventory: 'inventory-table', ledger: 'ledger-table', idempotency: 'idempotency-table', paymentIntents: 'payment-intents-table', orderContacts: 'order-contacts-table' };
const tableNamed = (physical: string) => (Object.keys(TABLES) as TableName[]).find((name) => TABLES[name] === physical) ?? physical;
const ORDER_ID = '00000000-0000-4000-8000-000000000001';
const OUTCOME = domainEvent('OrderCancelled', { schemaVersion: 2, orderId: ORDER_ID, reason: { code: 'OUT_OF_STOCK', message: 'out' } });

/**
 * The IAM actions, by table, that the DynamoDB requests a client sent need: each
 * request's own action, and for a transaction each item's (IAM authorizes them one by one).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
function actionsSent(commands: readonly object[]): Record<string, string[]> {
  const actions: Record<string, Set<string>> = {};
  const add = (table: string | undefined, action: string) => (actions[tableNamed(table ?? '?')] ??= new Set()).add(`dynamodb:${action}`);
  for (const command of commands as { input: unknown }[]) {
    const input = command.input as Record<string, any>;
    if (command instanceof GetItemCommand) add(input.TableName, 'GetItem');
    else if (command instanceof PutItemCommand) add(input.TableName, 'PutItem');
    // A Query of an index is authorized on the index: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies
    else if (command instanceof QueryCommand) add(input.IndexName === undefined ? input.TableName : `${tableNamed(input.TableName)}/index/${input.IndexName}`, 'Query');
    else if (command instanceof DeleteItemCommand) add(input.TableName, 'DeleteItem');
    else if (command instanceof BatchGetItemCommand) for (const table of Object.keys(input.RequestItems)) add(table, 'BatchGetItem');
    else if (command instanceof TransactWriteItemsCommand) {
      for (const item of input.TransactItems as Record<string, { TableName: string }>[]) {
        const [kind, request] = Object.entries(item)[0] ?? [];
        add(request?.TableName, { Put: 'PutItem', Update: 'UpdateItem', Delete: 'DeleteItem', ConditionCheck: 'ConditionCheckItem' }[kind as string] ?? `unknown ${kind}`);
      }
    } else add(undefined, `unexpected ${command.constructor.name}`);
  }
  return Object.fromEntries(Object.entries(actions).map(([table, set]) => [table, [...set].sort()]));
}

/** An access entry as actionsSent reports it. */
const sorted = (access: TableAccess) => Object.fromEntries(Object.entries(access).map(([table, actions]) => [table, [...actions].sort()]));

describe('adapters: what each one sends is exactly the access listed for it (pure unit tests of the adapters)', () => {
  // The client's own instance is mocked, not the class: no other DynamoDB client of the run is touched.
  const client = new DynamoDBClient({ region: 'us-east-1', ...SDK_CLIENT_SETTINGS });
  const dynamodb = mockClient(client);

  const sent = () => dynamodb.calls().map((call) => call.args[0]);

  beforeEach(() => {
    dynamodb.reset();
    dynamodb.onAnyCommand().resolves({});
  });

  it('the catalogue reads stock with BatchGetItem only', async () => {
    // Prepare
    dynamodb.on(BatchGetItemCommand).resolves({ Responses: { [TABLES.inventory]: [marshall({ sku: 'SKU-MOUSE', available: 1, unitPriceCents: 100 })] } });
    // Act
    await new DynamoDbCatalogue({ client, inventoryTableName: TABLES.inventory }).stockLevels(['SKU-MOUSE']);
    // Assess
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.catalogue));
  });

  it('order views are read with GetItem and saved with PutItem; a reader only gets', async () => {
    // Prepare
    const views = new DynamoDbOrderViews({ client, ordersTableName: TABLES.orders });
    const view = applyEvent(undefined, { detailType: 'OrderPlaced', detail: { schemaVersion: 2, orderId: ORDER_ID, order: aPlacedOrder(), placedAt: '2026-11-22T12:00:00Z' }, time: '2026-11-22T12:00:00Z' });
    // Act
    await views.get(ORDER_ID);
    const afterGet = actionsSent(sent());
    await views.save({ ...view!, version: 1 });
    // Assess
    expect(afterGet).toEqual(sorted(ADAPTER_ACCESS.orderViewReader));
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.orderViews));
  });

  it("a customer's orders are listed with a Query of the customerOrders index only, the first page and the next", async () => {
    // Prepare
    const views = new DynamoDbOrderViews({ client, ordersTableName: TABLES.orders });
    // Act
    await views.listByCustomer('customer-1', { limit: 2 });
    await views.listByCustomer('customer-1', { limit: 2, after: { placedAt: '2026-11-22T12:00:00.000Z', orderId: ORDER_ID } });
    // Assess
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.orderLister));
  });

  it("idempotency keys are claimed with a conditional PutItem, and the claim that stands is read with GetItem when the condition fails", async () => {
    // Prepare
    const keys = new DynamoDbIdempotencyKeys({ client, idempotencyTableName: TABLES.idempotency });
    dynamodb.on(PutItemCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} })).resolves({});
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ customerKey: 'customer-1#key', orderId: ORDER_ID, fingerprint: 'f' }) });
    // Act
    const claim = await keys.claim('customer-1', 'key', { orderId: '00000000-0000-4000-8000-000000000002', fingerprint: 'f' });
    // Assess
    expect(claim).toEqual({ claimed: false, orderId: ORDER_ID, fingerprint: 'f' });
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.idempotencyKeys));
  });

  it('payment intents are issued with PutItem only; capture-payment reads one with GetItem and deletes it with DeleteItem', async () => {
    // Prepare
    const intents = new DynamoDbPaymentIntents({ client, paymentIntentsTableName: TABLES.paymentIntents });
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ paymentIntentId: 'pi_1', orderId: ORDER_ID, paymentToken: 'tok_visa', expiresAt: Number.MAX_SAFE_INTEGER }) });
    // Act
    const paymentIntentId = await intents.issue(ORDER_ID, 'tok_visa');
    const afterIssue = actionsSent(sent());
    dynamodb.resetHistory();
    const intent = await intents.find(paymentIntentId);
    await intents.discard(paymentIntentId);
    // Assess
    expect(afterIssue).toEqual(sorted(ADAPTER_ACCESS.paymentIntentIssuer));
    expect(intent).toEqual({ paymentIntentId, orderId: ORDER_ID, paymentToken: 'tok_visa' });
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.paymentIntentRedeemer));
  });

  it('a payment intent with no further use is discarded with DeleteItem only', async () => {
    // Act
    await new DynamoDbPaymentIntents({ client, paymentIntentsTableName: TABLES.paymentIntents }).discard('pi_1');
    // Assess
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.paymentIntentDiscarder));
  });

  it("order contacts are kept with PutItem only and read with GetItem only", async () => {
    // Prepare
    const contacts = new DynamoDbOrderContacts({ client, orderContactsTableName: TABLES.orderContacts });
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ orderId: ORDER_ID, ...aContactOf(), expiresAt: Number.MAX_SAFE_INTEGER }, { removeUndefinedValues: true }) });
    // Act
    await contacts.keep(ORDER_ID, aContactOf());
    const afterKeep = actionsSent(sent());
    dynamodb.resetHistory();
    const contact = await contacts.find(ORDER_ID);
    // Assess
    expect(afterKeep).toEqual(sorted(ADAPTER_ACCESS.orderContactKeeper));
    expect(contact).toEqual(aContactOf());
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.orderContactReader));
  });

  it('the ledger finds a record with GetItem', async () => {
    // Act
    await new DynamoDbStepLedger({ client, ledgerTableName: TABLES.ledger }).find(ORDER_ID, 'cancel-order');
    // Assess
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.ledgerReader));
  });

  it('the ledger records with a conditional PutItem, and reads the record that stands when the condition fails', async () => {
    // Prepare
    const ledger = new DynamoDbStepLedger({ client, ledgerTableName: TABLES.ledger });
    dynamodb.on(PutItemCommand).rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} })).resolves({});
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ orderId: ORDER_ID, step: 'cancel-order', outcome: OUTCOME }, { removeUndefinedValues: true }) });
    // Act
    await ledger.record(ORDER_ID, 'cancel-order', OUTCOME);
    // Assess
    expect(actionsSent(sent())).toEqual(sorted(ADAPTER_ACCESS.ledgerRecorder));
  });

  it('the ledger moves stock in the transaction of its record: PutItem on the ledger, UpdateItem on inventory, and GetItem when the record exists', async () => {
    // Prepare
    const ledger = new DynamoDbStepLedger({ client, ledgerTableName: TABLES.ledger, inventoryTableName: TABLES.inventory });
    dynamodb.on(TransactWriteItemsCommand).rejects(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }] }));
    dynamodb.on(GetItemCommand).resolves({ Item: marshall({ orderId: ORDER_ID, step: 'ship-order', outcome: OUTCOME }, { removeUndefinedValues: true }) });
    // Act
    await ledger.record(ORDER_ID, 'ship-order', OUTCOME, [{ sku: 'SKU-MOUSE', availableDelta: 0, reservedDelta: -1, shippedDelta: 1 }]);
    // Assess
    expect(actionsSent(sent())).toEqual({ ...sorted(ADAPTER_ACCESS.ledgerRecorder), ...sorted(ADAPTER_ACCESS.stockMover) });
  });
});

describe('adapters that send to SQS and EventBridge (pure unit tests)', () => {
  it('parking sends the record to the DLQ with SendMessage only', async () => {
    // Prepare
    const client = new SQSClient({ region: 'us-east-1', ...SDK_CLIENT_SETTINGS });
    const sqs = mockClient(client);
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    // Act
    await new SqsDeadLetterParking({ client, deadLetterQueueUrl: 'https://sqs/dlq' }).park('{}', { step: 'cancel-order', errorName: 'E', errorMessage: 'm', sourceMessageId: 's', receiveCount: 1 });
    // Assess
    expect(sqs.calls().map((call) => `sqs:${call.args[0].constructor.name.replace(/Command$/, '')}`)).toEqual([...PARKING_ACTIONS]);
  });

  it('the publisher puts events with PutEvents only, each with the source of its contract', async () => {
    // Prepare
    const client = new EventBridgeClient({ region: 'us-east-1', ...SDK_CLIENT_SETTINGS });
    const eventBridge = mockClient(client);
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e' }] });
    // Act
    await new EventBridgePublisher({ client, eventBusName: 'bus' }).publish([OUTCOME]);
    // Assess
    expect(eventBridge.calls().map((call) => `events:${call.args[0].constructor.name.replace(/Command$/, '')}`)).toEqual([...PUBLISHING_ACTIONS]);
    expect(eventBridge.commandCalls(PutEventsCommand)[0]?.args[0].input.Entries?.[0]?.Source).toBe('shop.orders');
  });
});
