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
  /**
   * Global secondary indexes, by index name.
   * @default - none
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html
   */
  readonly globalSecondaryIndexes?: Readonly<Record<string, SecondaryIndexKeys>>;
}

/** A global secondary index: its key attributes (strings) and the other attributes it copies. */
export interface SecondaryIndexKeys {
  readonly partitionKey: string;
  readonly sortKey: string;
  /**
   * The attributes besides the table's and the index's keys that the index copies (projection
   * `INCLUDE`): only what its readers show, so nothing else (a payment token) is ever copied.
   */
  readonly nonKeyAttributes: readonly string[];
}

/**
 * How long the bus archive keeps events, in days: the oldest event a replay can deliver again.
 * The stack's archive and the ledger's time to live both derive from it.
 */
export const EVENT_ARCHIVE_RETENTION_DAYS = 30;

/**
 * How long a step's ledger record is kept, in days. Every copy of the event it answers that can
 * be delivered again must still find it, or the step would act twice (reserve stock again): a
 * replay of the archive (30 days, the longest), a redrive of a DLQ (14 days). The margin covers a
 * replay started on the archive's last day.
 */
export const LEDGER_RETENTION_DAYS = EVENT_ARCHIVE_RETENTION_DAYS + 5;

/**
 * How long an order's contact (the customer's name, e-mail and address) is kept, in days: as long
 * as the ledger's records, for the same reason. ship-order and notify-customer read it for every
 * event of the order that can be delivered again; after that it has no use.
 */
export const ORDER_CONTACT_RETENTION_DAYS = LEDGER_RETENTION_DAYS;

/** Seconds in a day, for lifetimes given in days. */
export const SECONDS_PER_DAY = 24 * 60 * 60;

/** `date` as the epoch second a time-to-live attribute holds (DynamoDB's TTL counts whole seconds). */
export function epochSecondOf(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Whether an item whose time-to-live attribute holds `expiresAt` has expired at `now`. DynamoDB
 * deletes an expired item within days of expiring, not at once: one still there is gone all the same.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
export function hasExpired(expiresAt: unknown, now: Date): boolean {
  return Number(expiresAt) <= epochSecondOf(now);
}

/** The pipeline's tables. */
export const TABLE_KEYS = {
  /**
   * Order read models, one item per order. `customerOrders` lists a customer's orders by the time
   * they were placed; a view gets its `customerId` from `OrderPlaced`, so a view projected from
   * later events alone (no owner yet) stays out of the index.
   */
  orders: {
    partitionKey: 'orderId',
    globalSecondaryIndexes: { customerOrders: { partitionKey: 'customerId', sortKey: 'placedAt', nonKeyAttributes: ['status', 'updatedAt'] } },
  },
  /** Stock counters and prices, one item per SKU. */
  inventory: { partitionKey: 'sku' },
  /** Each step's recorded outcome, one item per order and step, for {@link LEDGER_RETENTION_DAYS} (`expiresAt`). */
  ledger: { partitionKey: 'orderId', sortKey: 'step', timeToLiveAttribute: 'expiresAt' },
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
  /**
   * Order contacts, one item per placed order (`orderId`): the customer's name, e-mail and
   * shipping address, written by place-order, read by ship-order and notify-customer, kept for
   * {@link ORDER_CONTACT_RETENTION_DAYS} (`expiresAt`).
   */
  orderContacts: { partitionKey: 'orderId', timeToLiveAttribute: 'expiresAt' },
} as const satisfies Record<string, TableKeys>;

/** A table of the pipeline, by the name the declaration and the grants use. */
export type TableName = keyof typeof TABLE_KEYS;

/** Every table name. */
export const TABLE_NAMES = Object.keys(TABLE_KEYS) as TableName[];

/** A global secondary index, as `<table>/index/<index>` (the tail of its ARN). */
export type IndexPath = {
  [T in TableName]: (typeof TABLE_KEYS)[T] extends { readonly globalSecondaryIndexes: infer I } ? `${T}/index/${keyof I & string}` : never;
}[TableName];

/** Every global secondary index of every table, with its table. */
export const INDEXES: readonly { readonly path: IndexPath; readonly table: TableName; readonly index: string; readonly keys: SecondaryIndexKeys }[] = TABLE_NAMES.flatMap((table) =>
  Object.entries((TABLE_KEYS[table] as TableKeys).globalSecondaryIndexes ?? {}).map(([index, keys]) => ({ path: `${table}/index/${index}` as IndexPath, table, index, keys })),
);
