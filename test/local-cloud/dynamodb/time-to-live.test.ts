/**
 * Time to live on the local DynamoDB: a sweep deletes the items whose TTL attribute is a number
 * of epoch seconds before the sweep's time, and only those, as DynamoDB's own deletion does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb, type LocalDynamoDb } from '#cloud/dynamodb/dynamodb-service';
import { TimeToLiveSweeper } from '#cloud/dynamodb/time-to-live';

const TABLE = 'Sessions';
const KEY_SCHEMA = [
  { AttributeName: 'customerId', KeyType: 'HASH' },
  { AttributeName: 'key', KeyType: 'RANGE' },
];
const NOW_SECONDS = 1_800_000_000;

describe('time to live', () => {
  let dynamodb: LocalDynamoDb;
  let sweeper: TimeToLiveSweeper;

  beforeAll(async () => {
    dynamodb = await startLocalDynamoDb();
    await dynamodb.client.call('CreateTable', {
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: KEY_SCHEMA,
      AttributeDefinitions: KEY_SCHEMA.map(({ AttributeName }) => ({ AttributeName, AttributeType: 'S' })),
    });
    sweeper = new TimeToLiveSweeper({ dynamodb: dynamodb.client, tables: [{ TableName: TABLE, AttributeName: 'expiresAt' }], keySchemas: [{ TableName: TABLE, KeySchema: KEY_SCHEMA }], now: () => NOW_SECONDS * 1000 });
  });
  afterAll(async () => {
    await sweeper.stop();
    await dynamodb.close();
  });

  const put = (key: string, expiresAt: Record<string, string> | undefined) =>
    dynamodb.client.call('PutItem', { TableName: TABLE, Item: { customerId: { S: 'c-1' }, key: { S: key }, ...(expiresAt ? { expiresAt } : {}) } });
  const keysLeft = async () => (((await dynamodb.client.call('Scan', { TableName: TABLE })).Items ?? []) as { key: { S: string } }[]).map((item) => item.key.S).sort();

  it('deletes expired items, keeps the others, and never expires a TTL that is not a number or is more than five years old', async () => {
    // Prepare
    await put('expired', { N: String(NOW_SECONDS - 1) });
    await put('due-now', { N: String(NOW_SECONDS) });
    await put('later', { N: String(NOW_SECONDS + 3_600) });
    await put('no-ttl', undefined);
    await put('text-ttl', { S: String(NOW_SECONDS - 1) });
    await put('ancient', { N: String(NOW_SECONDS - 6 * 365 * 24 * 3_600) });
    // Act
    const deleted = await sweeper.sweep();
    // Assess
    expect(deleted).toBe(1);
    expect(await keysLeft()).toEqual(['ancient', 'due-now', 'later', 'no-ttl', 'text-ttl']);
  });

  it('sweeps as of a later time when asked, to see what will have expired by then', async () => {
    // Act
    const deleted = await sweeper.sweep((NOW_SECONDS + 7_200) * 1000);
    // Assess
    expect(deleted).toBe(2);
    expect(await keysLeft()).toEqual(['ancient', 'no-ttl', 'text-ttl']);
  });
});
