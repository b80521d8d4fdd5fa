import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { OrderContact, OrderContactKeeper, OrderContactReader } from '#shared/ports';
import { epochSecondOf, hasExpired, ORDER_CONTACT_RETENTION_DAYS, SECONDS_PER_DAY, TABLE_KEYS } from '#shared/tables';

const { partitionKey, timeToLiveAttribute } = TABLE_KEYS.orderContacts;

/** Order contacts on the DynamoDB order-contacts table, one item per order. */
export class DynamoDbOrderContacts implements OrderContactKeeper, OrderContactReader {
  readonly #client: DynamoDBDocumentClient;
  readonly #tableName: string;
  readonly #now: () => Date;

  /** @param options.now - The clock. @default () => new Date() */
  constructor(options: { readonly client: DynamoDBDocumentClient; readonly orderContactsTableName: string; readonly now?: () => Date }) {
    this.#client = options.client;
    this.#tableName = options.orderContactsTableName;
    this.#now = options.now ?? (() => new Date());
  }

  async keep(orderId: string, contact: OrderContact): Promise<void> {
    const expiresAt = epochSecondOf(this.#now()) + ORDER_CONTACT_RETENTION_DAYS * SECONDS_PER_DAY;
    // A retried request of the order writes the same contact again: the item is the order's, not the request's.
    await this.#client.send(new PutCommand({ TableName: this.#tableName, Item: { [partitionKey]: orderId, ...contact, [timeToLiveAttribute]: expiresAt } }));
  }

  async find(orderId: string): Promise<OrderContact | undefined> {
    // Consistent: place-order writes the contact just before it publishes the order's first event.
    const { Item } = await this.#client.send(new GetCommand({ TableName: this.#tableName, Key: { [partitionKey]: orderId }, ConsistentRead: true }));
    if (Item === undefined || hasExpired(Item[timeToLiveAttribute], this.#now())) return undefined;
    return { name: String(Item.name), email: String(Item.email), shippingAddress: Item.shippingAddress as OrderContact['shippingAddress'] };
  }
}
