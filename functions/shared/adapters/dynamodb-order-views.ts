import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '#shared/adapters/dynamodb-item';
import { ConcurrentUpdateError } from '#shared/errors';
import type { OrderView } from '#shared/order-view';
import type { OrderLister, OrderPage, OrderPosition, OrderSummary, OrderViewStore } from '#shared/ports';
import { TABLE_KEYS } from '#shared/tables';

const ORDER_KEY = TABLE_KEYS.orders.partitionKey;
const CUSTOMER_ORDERS = 'customerOrders';
const { partitionKey: CUSTOMER_KEY, sortKey: PLACED_AT_KEY } = TABLE_KEYS.orders.globalSecondaryIndexes[CUSTOMER_ORDERS];

/**
 * Order read models on the DynamoDB orders table (partition key `orderId`), and each customer's
 * orders through its `customerOrders` index (customer, then the time the order was placed).
 */
export class DynamoDbOrderViews implements OrderViewStore, OrderLister {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;

  constructor(options: { readonly client: DynamoDBClient; readonly ordersTableName: string }) {
    this.#client = options.client;
    this.#tableName = options.ordersTableName;
  }

  async get(orderId: string): Promise<OrderView | undefined> {
    const { Item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: marshall({ orderId }), ConsistentRead: true }));
    return fromAttributes(Item) as OrderView | undefined;
  }

  /**
   * Queries the index newest first. The index is eventually consistent: an order placed a moment
   * ago may not be listed yet. DynamoDB may hand back a position after a full last page (it stops
   * at `Limit` without looking further), so the page after it can be empty.
   * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html
   */
  async listByCustomer(customerId: string, page: { readonly limit: number; readonly after?: OrderPosition }): Promise<OrderPage> {
    const { Items = [], LastEvaluatedKey } = await this.#client.send(
      new QueryCommand({
        TableName: this.#tableName,
        IndexName: CUSTOMER_ORDERS,
        KeyConditionExpression: '#customer = :customer',
        ExpressionAttributeNames: { '#customer': CUSTOMER_KEY },
        ExpressionAttributeValues: marshall({ ':customer': customerId }),
        ScanIndexForward: false,
        Limit: page.limit,
        // The customer comes from the caller, never from the position: a position cannot lead into another customer's orders.
        ...(page.after === undefined ? {} : { ExclusiveStartKey: marshall({ [CUSTOMER_KEY]: customerId, [PLACED_AT_KEY]: page.after.placedAt, [ORDER_KEY]: page.after.orderId }) }),
      }),
    );
    const orders = Items.map((item) => {
      const { orderId, status, placedAt, updatedAt } = unmarshall(item);
      return { orderId, status, placedAt, updatedAt } as OrderSummary;
    });
    const lastKey = fromAttributes(LastEvaluatedKey);
    const last = lastKey === undefined ? undefined : { placedAt: String(lastKey[PLACED_AT_KEY]), orderId: String(lastKey[ORDER_KEY]) };
    return { orders, ...(last === undefined ? {} : { next: last }) };
  }

  async save(view: OrderView): Promise<void> {
    try {
      await this.#client.send(
        new PutItemCommand({
          TableName: this.#tableName,
          Item: toAttributes(view),
          ...(view.version === 1
            ? { ConditionExpression: 'attribute_not_exists(orderId)' }
            : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: marshall({ ':previous': view.version - 1 }) }),
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
