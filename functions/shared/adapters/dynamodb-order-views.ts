import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#shared/errors';
import type { OrderView } from '#shared/order-view';
import type { OrderViewStore } from '#shared/ports';

/** Order read models on the DynamoDB orders table (partition key `orderId`). */
export class DynamoDbOrderViews implements OrderViewStore {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBDocumentClient; readonly ordersTableName: string }) {
    this.#client = options.client;
    this.#tableName = options.ordersTableName;
  }

  async get(orderId: string): Promise<OrderView | undefined> {
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: { orderId }, ConsistentRead: true }));
    return Item as OrderView | undefined;
  }

  async save(view: OrderView): Promise<void> {
    try {
      await this.#client.send(
        new PutCommand({
          TableName: this.#tableName,
          Item: view,
          ...(view.version === 1
            ? { ConditionExpression: 'attribute_not_exists(orderId)' }
            : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': view.version - 1 } }),
        }),
      );
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        throw new ConcurrentUpdateError(`order ${view.orderId} changed while being projected`, { orderId: view.orderId, cause: error });
      }
      throw error;
    }
  }
}
