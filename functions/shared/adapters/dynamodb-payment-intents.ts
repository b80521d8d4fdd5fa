import { createHash } from 'node:crypto';
import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '#shared/adapters/dynamodb-item';
import type { PaymentIntent, PaymentIntentDiscarder, PaymentIntentIssuer, PaymentIntentRedeemer } from '#shared/ports';
import { epochSecondOf, hasExpired, SECONDS_PER_DAY, TABLE_KEYS } from '#shared/tables';

/**
 * How long a payment intent keeps its token: a day. It must outlive the pipeline's retries
 * between placing and capturing, two hops of at most an hour of EventBridge retries
 * (`maxEventAge`) plus five visibility timeouts each (about 2 h 10 min in all), and leave an
 * operator the working day to redrive a parked capture after the DLQ alarm. After that the
 * token has no use: a capture redriven later is parked as `PaymentIntentUnavailableError` and
 * the customer places the order again. DynamoDB's time to live deletes an expired item within
 * days, not at once, so an expired intent still in the table is treated as gone.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
export const PAYMENT_INTENT_TTL_SECONDS = SECONDS_PER_DAY;

const { partitionKey, timeToLiveAttribute } = TABLE_KEYS.paymentIntents;

/**
 * The id of order `orderId`'s payment intent. One intent per order, named after it: a retried
 * request of the order (same Idempotency-Key, same token) overwrites its intent rather than
 * leaving a second token behind.
 */
export function paymentIntentIdOf(orderId: string): string {
  return `pi_${createHash('sha256').update(orderId).digest('hex').slice(0, 32)}`;
}

/** Payment intents on the DynamoDB payment-intents table, one item per intent. */
export class DynamoDbPaymentIntents implements PaymentIntentIssuer, PaymentIntentDiscarder, PaymentIntentRedeemer {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  /** @param options.now - The clock. @default () => new Date() */
  constructor(options: { readonly client: DynamoDBClient; readonly paymentIntentsTableName: string; readonly now?: () => Date }) {
    this.#client = options.client;
    this.#tableName = options.paymentIntentsTableName;
    this.#now = options.now ?? (() => new Date());
  }

  async issue(orderId: string, paymentToken: string): Promise<string> {
    const paymentIntentId = paymentIntentIdOf(orderId);
    await this.#client.send(
      new PutItemCommand({
        TableName: this.#tableName,
        Item: toAttributes({ [partitionKey]: paymentIntentId, orderId, paymentToken, [timeToLiveAttribute]: epochSecondOf(this.#now()) + PAYMENT_INTENT_TTL_SECONDS }),
      }),
    );
    return paymentIntentId;
  }

  async find(paymentIntentId: string): Promise<PaymentIntent | undefined> {
    const { Item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: marshall({ [partitionKey]: paymentIntentId }), ConsistentRead: true }));
    const item = fromAttributes(Item);
    if (item === undefined || hasExpired(item[timeToLiveAttribute], this.#now())) return undefined;
    return { paymentIntentId, orderId: String(item.orderId), paymentToken: String(item.paymentToken) };
  }

  async discard(paymentIntentId: string): Promise<void> {
    // DeleteItem of a missing item succeeds: a redelivery's second delete is no error.
    await this.#client.send(new DeleteItemCommand({ TableName: this.#tableName, Key: marshall({ [partitionKey]: paymentIntentId }) }));
  }
}
