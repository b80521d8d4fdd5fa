import { BatchGetItemCommand, type AttributeValue, type BatchGetItemCommandOutput, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TransientError } from '#shared/errors';
import type { Catalogue, StockLevel } from '#shared/ports';

/**
 * BatchGetItem reads at most 100 keys per call and may return some as UnprocessedKeys.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_BatchGetItem.html
 */
const BATCH_GET_MAX_KEYS = 100;
const MAX_UNPROCESSED_ROUNDS = 5;

/** The catalogue on the DynamoDB inventory table (partition key `sku`). */
export class DynamoDbCatalogue implements Catalogue {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBClient; readonly inventoryTableName: string }) {
    this.#client = options.client;
    this.#tableName = options.inventoryTableName;
  }

  async stockLevels(skus: readonly string[]): Promise<Map<string, StockLevel>> {
    const levels = new Map<string, StockLevel>();
    for (let start = 0; start < skus.length; start += BATCH_GET_MAX_KEYS) {
      let keys: Record<string, AttributeValue>[] | undefined = skus.slice(start, start + BATCH_GET_MAX_KEYS).map((sku) => marshall({ sku }));
      for (let round = 0; keys && keys.length > 0; round += 1) {
        if (round === MAX_UNPROCESSED_ROUNDS) throw new TransientError(`catalogue read left ${keys.length} key(s) unprocessed`);
        const response: BatchGetItemCommandOutput = await this.#client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.#tableName]: { Keys: keys, ProjectionExpression: 'sku, available, unitPriceCents' } },
          }),
        );
        for (const attributes of response.Responses?.[this.#tableName] ?? []) {
          const item = unmarshall(attributes);
          levels.set(item.sku as string, { sku: item.sku as string, available: Number(item.available), unitPriceCents: Number(item.unitPriceCents) });
        }
        keys = response.UnprocessedKeys?.[this.#tableName]?.Keys;
      }
    }
    return levels;
  }
}
