import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '#shared/adapters/dynamodb-item';
import type { IdempotencyClaim, IdempotencyKeys } from '#shared/ports';
import { epochSecondOf, SECONDS_PER_DAY, TABLE_KEYS } from '#shared/tables';

/**
 * How long an Idempotency-Key names its order: a client retries within minutes; after a day the
 * item has no further use and DynamoDB's time to live deletes it (within days of expiring, so an
 * expired claim still in the table is treated as gone).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
export const IDEMPOTENCY_KEY_TTL_SECONDS = SECONDS_PER_DAY;

const { partitionKey, timeToLiveAttribute } = TABLE_KEYS.idempotency;

/** Idempotency-Keys on the DynamoDB idempotency table, one item per customer and key. */
export class DynamoDbIdempotencyKeys implements IdempotencyKeys {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  /** @param options.now - The clock. @default () => new Date() */
  constructor(options: { readonly client: DynamoDBClient; readonly idempotencyTableName: string; readonly now?: () => Date }) {
    this.#client = options.client;
    this.#tableName = options.idempotencyTableName;
    this.#now = options.now ?? (() => new Date());
  }

  async claim(customerId: string, key: string, candidate: IdempotencyClaim): Promise<{ readonly claimed: true } | ({ readonly claimed: false } & IdempotencyClaim)> {
    // A customer id (a token's `sub`) holds no `#`, so the pair cannot collide with another's.
    const customerKey = `${customerId}#${key}`;
    const nowSeconds = epochSecondOf(this.#now());
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: toAttributes({ [partitionKey]: customerKey, orderId: candidate.orderId, fingerprint: candidate.fingerprint, [timeToLiveAttribute]: nowSeconds + IDEMPOTENCY_KEY_TTL_SECONDS }),
          ConditionExpression: 'attribute_not_exists(#key) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#key': partitionKey, '#expiresAt': timeToLiveAttribute },
          ExpressionAttributeValues: marshall({ ':now': nowSeconds }),
        }),
      );
      return { claimed: true };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: marshall({ [partitionKey]: customerKey }), ConsistentRead: true }));
    const claim = fromAttributes(Item);
    return { claimed: false, orderId: String(claim?.orderId), fingerprint: String(claim?.fingerprint) };
  }
}
