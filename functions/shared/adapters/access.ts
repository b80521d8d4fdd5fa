/**
 * The AWS operations each adapter performs, as the IAM actions that authorize them, per table.
 * Grants are computed from these and the pipeline's declaration; each adapter's tests check
 * that what it sends is exactly what is listed here. No SDK import: infra and docs read this too.
 *
 * A `TransactWriteItems` request is authorized item by item: its Put needs `dynamodb:PutItem`
 * and its Update `dynamodb:UpdateItem` on the item's table.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 */
import type { IndexPath, TableName } from '#shared/tables';

/**
 * IAM actions on DynamoDB tables and their indexes, by table or `<table>/index/<index>`: a Query
 * of an index is authorized on the index's ARN alone, so a grant there reads nothing else.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies
 */
export type TableAccess = Readonly<Partial<Record<TableName | IndexPath, readonly DynamoDbAction[]>>>;

/** The DynamoDB actions the adapters use (nothing else is ever granted: no Scan or BatchWriteItem; Query on an index only). */
export const DynamoDbAction = {
  getItem: 'dynamodb:GetItem',
  putItem: 'dynamodb:PutItem',
  updateItem: 'dynamodb:UpdateItem',
  deleteItem: 'dynamodb:DeleteItem',
  batchGetItem: 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
} as const;
export type DynamoDbAction = (typeof DynamoDbAction)[keyof typeof DynamoDbAction];

/** Each adapter capability and the table actions it performs. */
export const ADAPTER_ACCESS = {
  /** `DynamoDbCatalogue.stockLevels`: BatchGetItem of the SKUs. */
  catalogue: { inventory: [DynamoDbAction.batchGetItem] },
  /** `DynamoDbOrderViews.get` and `.save` (a conditional PutItem). */
  orderViews: { orders: [DynamoDbAction.getItem, DynamoDbAction.putItem] },
  /**
   * `DynamoDbIdempotencyKeys.claim`: a conditional PutItem, then a GetItem of the claim that
   * stands when the condition fails (a retry, or the key reused).
   */
  idempotencyKeys: { idempotency: [DynamoDbAction.getItem, DynamoDbAction.putItem] },
  /** `DynamoDbPaymentIntents.issue`: a PutItem of the new intent. */
  paymentIntentIssuer: { paymentIntents: [DynamoDbAction.putItem] },
  /** `DynamoDbPaymentIntents.discard`: a DeleteItem. */
  paymentIntentDiscarder: { paymentIntents: [DynamoDbAction.deleteItem] },
  /** `DynamoDbPaymentIntents.find` (a GetItem) and `.discard` (a DeleteItem). */
  paymentIntentRedeemer: { paymentIntents: [DynamoDbAction.getItem, DynamoDbAction.deleteItem] },
  /** `DynamoDbOrderContacts.keep`: a PutItem. */
  orderContactKeeper: { orderContacts: [DynamoDbAction.putItem] },
  /** `DynamoDbOrderContacts.find`: a GetItem. */
  orderContactReader: { orderContacts: [DynamoDbAction.getItem] },
  /** `DynamoDbOrderViews.get` only. */
  orderViewReader: { orders: [DynamoDbAction.getItem] },
  /** `DynamoDbOrderViews.listByCustomer`: Query of the `customerOrders` index. */
  orderLister: { 'orders/index/customerOrders': [DynamoDbAction.query] },
  /** `DynamoDbStepLedger.find`: GetItem of a step's record. */
  ledgerReader: { ledger: [DynamoDbAction.getItem] },
  /**
   * `DynamoDbStepLedger.record` without stock changes: a conditional PutItem, alone or as the Put
   * of a transaction, then a GetItem of the record that stands when the condition fails.
   */
  ledgerRecorder: { ledger: [DynamoDbAction.getItem, DynamoDbAction.putItem] },
  /** `DynamoDbStepLedger.record` with stock changes: one Update per SKU inside the transaction. */
  stockMover: { inventory: [DynamoDbAction.updateItem] },
} as const satisfies Record<string, TableAccess>;
export type AdapterCapability = keyof typeof ADAPTER_ACCESS;

/**
 * What `SqsDeadLetterParking.park` calls on the DLQ it parks in: SendMessage.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 */
export const PARKING_ACTIONS = ['sqs:SendMessage'] as const;

/** What `EventBridgePublisher.publish` calls on the bus: PutEvents, for the sources of the events it puts. */
export const PUBLISHING_ACTIONS = ['events:PutEvents'] as const;

/**
 * What Lambda's SQS event source mapping needs on the queue it polls, with the function's role:
 * AWS's documented minimum (the AWSLambdaSQSQueueExecutionRole managed policy).
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
 */
export const EVENT_SOURCE_MAPPING_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;
