import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbOrderContacts } from '#shared/adapters/dynamodb-order-contacts';
import { ORDER_CONTACT_RETENTION_DAYS, SECONDS_PER_DAY } from '#shared/tables';
import { aContactOf, anOrder } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb, type TestTables } from '#test/support/local-dynamodb';

describe('DynamoDbOrderContacts', () => {
  let dynamoDb: TestDynamoDb;
  let tables: TestTables;
  const contactsAt = (now: Date) => new DynamoDbOrderContacts({ client: dynamoDb.client, orderContactsTableName: tables.orderContacts, now: () => now });
  beforeAll(async () => {
    dynamoDb = await startTestDynamoDb();
    tables = await dynamoDb.createTables();
  });
  afterAll(async () => {
    await dynamoDb?.close();
  });

  it("finds the contact kept for an order, and no other order's", async () => {
    // Prepare
    const [orderId, otherOrderId] = [randomUUID(), randomUUID()];
    const contacts = contactsAt(new Date());
    const contact = aContactOf(anOrder({ shippingAddress: { line1: '7 Rue de la Paix', line2: 'Apt 3', city: 'Paris', postalCode: '75002', country: 'FR' } }));
    // Act
    await contacts.keep(orderId, contact);
    // Assess
    expect(await contacts.find(orderId)).toEqual(contact);
    expect(await contacts.find(otherOrderId)).toBeUndefined();
  });

  it('treats a contact as gone once its retention has passed, though DynamoDB has not deleted it yet', async () => {
    // Prepare
    const orderId = randomUUID();
    const placedAt = new Date('2026-12-01T12:00:00Z');
    await contactsAt(placedAt).keep(orderId, aContactOf());
    const retentionMs = ORDER_CONTACT_RETENTION_DAYS * SECONDS_PER_DAY * 1000;
    // Act
    const lastDay = await contactsAt(new Date(placedAt.getTime() + retentionMs - 1000)).find(orderId);
    const afterwards = await contactsAt(new Date(placedAt.getTime() + retentionMs)).find(orderId);
    // Assess
    expect(lastDay).toEqual(aContactOf());
    expect(afterwards).toBeUndefined();
  });
});
