/**
 * The local cloud's DynamoDB behind its own loopback port with the pipeline's tables, a client
 * for the adapters built as the handlers build theirs, and a document client for the tests' own
 * reads and writes: adapter and step tests run against real DynamoDB semantics.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalDynamoDb } from '#cloud/dynamodb/dynamodb-service';
import { SDK_CLIENT_SETTINGS } from '#shared/runtime/sdk-client-settings';
import { TABLE_KEYS, TABLE_NAMES, type SecondaryIndexKeys, type TableName } from '#shared/tables';
import { DEMO_CATALOGUE, inventoryItemOf } from '#shared/demo-catalogue';

/** Table names of one test environment (unique per call, so tests do not share state). */
export type TestTables = Readonly<Record<TableName, string>>;

/** A running local DynamoDB for tests. */
export interface TestDynamoDb {
  readonly endpoint: string;
  /** For the adapters: the handlers' client settings. */
  readonly client: DynamoDBClient;
  /**
   * For the tests' own reads and writes. It wraps a client of its own: a document client cannot
   * wrap one built with the handlers' settings (see `SDK_CLIENT_SETTINGS`).
   */
  readonly documents: DynamoDBDocumentClient;
  /** Creates the pipeline's tables under fresh names and seeds the demo catalogue. */
  createTables(): Promise<TestTables>;
  close(): Promise<void>;
}

/** Starts a local DynamoDB on an ephemeral port. */
export async function startTestDynamoDb(): Promise<TestDynamoDb> {
  const dynamoDb = await startLocalDynamoDb();
  const server = createServer((request, response) => dynamoDb.handle(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientConfig = { endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const client = new DynamoDBClient({ ...clientConfig, ...SDK_CLIENT_SETTINGS });
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig), { marshallOptions: { removeUndefinedValues: true } });

  const createTables = async (): Promise<TestTables> => {
    const suffix = randomUUID().slice(0, 8);
    const names = Object.fromEntries(TABLE_NAMES.map((table) => [table, `${table}-${suffix}`])) as Record<TableName, string>;
    for (const [table, keys] of Object.entries(TABLE_KEYS)) {
      const sortKey = 'sortKey' in keys ? keys.sortKey : undefined;
      const indexes = Object.entries(('globalSecondaryIndexes' in keys ? keys.globalSecondaryIndexes : undefined) ?? {}) as [string, SecondaryIndexKeys][];
      const keySchema = (partitionKey: string, rangeKey: string | undefined) => [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(rangeKey ? [{ AttributeName: rangeKey, KeyType: 'RANGE' }] : [])];
      const attributes = new Set([keys.partitionKey, ...(sortKey ? [sortKey] : []), ...indexes.flatMap(([, index]) => [index.partitionKey, index.sortKey])]);
      await dynamoDb.client.call('CreateTable', {
        TableName: names[table as TableName],
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
        KeySchema: keySchema(keys.partitionKey, sortKey),
        ...(indexes.length === 0
          ? {}
          : {
              GlobalSecondaryIndexes: indexes.map(([IndexName, index]) => ({
                IndexName,
                KeySchema: keySchema(index.partitionKey, index.sortKey),
                Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] },
              })),
            }),
      });
    }
    for (const entry of DEMO_CATALOGUE) await documents.send(new PutCommand({ TableName: names.inventory, Item: inventoryItemOf(entry) }));
    return names;
  };

  return {
    endpoint,
    client,
    documents,
    createTables,
    close: async () => {
      client.destroy();
      documents.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await dynamoDb.close();
    },
  };
}
