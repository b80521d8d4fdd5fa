import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
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
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBDocumentClient; readonly inventoryTableName: string }) {
    this.#client = options.client;
    this.#tableName = options.inventoryTableName;
  }

  async stockLevels(skus: readonly string[]): Promise<Map<string, StockLevel>> {
    const levels = new Map<string, StockLevel>();
    for (let start = 0; start < skus.length; start += BATCH_GET_MAX_KEYS) {
      let keys: Record<string, unknown>[] | undefined = skus.slice(start, start + BATCH_GET_MAX_KEYS).map((sku) => ({ sku }));
      for (let round = 0; keys && keys.length > 0; round += 1) {
        if (round === MAX_UNPROCESSED_ROUNDS) throw new TransientError(`catalogue read left ${keys.length} key(s) unprocessed`);
        const response: BatchGetCommandOutput = await this.#client.send(
          new BatchGetCommand({
            RequestItems: { [this.#tableName]: { Keys: keys, ProjectionExpression: 'sku, available, unitPriceCents' } },
          }),
        );
        for (const item of response.Responses?.[this.#tableName] ?? []) {
          levels.set(item.sku as string, { sku: item.sku as string, available: Number(item.available), unitPriceCents: Number(item.unitPriceCents) });
        }
        keys = response.UnprocessedKeys?.[this.#tableName]?.Keys;
      }
    }
    return levels;
  }
}
