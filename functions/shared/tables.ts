/**
 * The key schema of each DynamoDB table. The CDK stack defines the tables from this and the
 * adapters read and write these attributes, so the two cannot disagree.
 */

/** A table's key attributes (all strings). */
export interface TableKeys {
  readonly partitionKey: string;
  readonly sortKey?: string;
  /**
   * The attribute holding the epoch second after which DynamoDB may delete an item (its time to live).
   * @default - items are kept until deleted
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
   */
  readonly timeToLiveAttribute?: string;
}

/** The pipeline's tables. */
export const TABLE_KEYS = {
  /** Order read models, one item per order. */
  orders: { partitionKey: 'orderId' },
  /** Stock counters and prices, one item per SKU. */
  inventory: { partitionKey: 'sku' },
  /** Each step's recorded outcome, one item per order and step. */
  ledger: { partitionKey: 'orderId', sortKey: 'step' },
  /**
   * Idempotency-Keys, one item per customer and key (`<customer id>#<key>`): the random order id
   * the key placed and the request's fingerprint, for a day (`expiresAt`).
   */
  idempotency: { partitionKey: 'customerKey', timeToLiveAttribute: 'expiresAt' },
  /**
   * Payment intents, one item per placed order (`paymentIntentId`): the order's payment token,
   * written by place-order, read and deleted by capture-payment, gone after a day at the latest
   * (`expiresAt`).
   */
  paymentIntents: { partitionKey: 'paymentIntentId', timeToLiveAttribute: 'expiresAt' },
} as const satisfies Record<string, TableKeys>;

/** A table of the pipeline, by the name the declaration and the grants use. */
export type TableName = keyof typeof TABLE_KEYS;

/** Every table name. */
export const TABLE_NAMES = Object.keys(TABLE_KEYS) as TableName[];
