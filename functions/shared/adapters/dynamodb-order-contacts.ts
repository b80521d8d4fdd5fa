import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '#shared/adapters/dynamodb-item';
import type { OrderContact, OrderContactKeeper, OrderContactReader } from '#shared/ports';
import { epochSecondOf, hasExpired, ORDER_CONTACT_RETENTION_DAYS, SECONDS_PER_DAY, TABLE_KEYS } from '#shared/tables';

const { partitionKey, timeToLiveAttribute } = TABLE_KEYS.orderContacts;

/** Order contacts on the DynamoDB order-contacts table, one item per order. */
export class DynamoDbOrderContacts implements OrderContactKeeper, OrderContactReader {
  readonly #client: DynamoDBClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  /** @param options.now - The clock. @default () => new Date() */
  constructor(options: { readonly client: DynamoDBClient; readonly orderContactsTableName: string; readonly now?: () => Date }) {
    this.#client = options.client;
    this.#tableName = options.orderContactsTableName;
    this.#now = options.now ?? (() => new Date());
  }

  async keep(orderId: string, contact: OrderContact): Promise<void> {
    const expiresAt = epochSecondOf(this.#now()) + ORDER_CONTACT_RETENTION_DAYS * SECONDS_PER_DAY;
    // A retried request of the order writes the same contact again: the item is the order's, not the request's.
    await this.#client.send(new PutItemCommand({ TableName: this.#tableName, Item: toAttributes({ [partitionKey]: orderId, ...contact, [timeToLiveAttribute]: expiresAt }) }));
  }

  async find(orderId: string): Promise<OrderContact | undefined> {
    // Consistent: place-order writes the contact just before it publishes the order's first event.
    const { Item } = await this.#client.send(new GetItemCommand({ TableName: this.#tableName, Key: marshall({ [partitionKey]: orderId }), ConsistentRead: true }));
    const item = fromAttributes(Item);
    if (item === undefined || hasExpired(item[timeToLiveAttribute], this.#now())) return undefined;
    return { name: String(item.name), email: String(item.email), shippingAddress: item.shippingAddress as OrderContact['shippingAddress'] };
  }
}
