import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { domainEvent } from '#shared/contracts';
import { LEDGER_RETENTION_DAYS, TABLE_KEYS } from '#shared/tables';
import { aPlacedOrder } from '#test/support/factories';
import { startTestDynamoDb, type TestDynamoDb, type TestTables } from '#test/support/local-dynamodb';

describe('DynamoDbStepLedger', () => {
  let dynamoDb: TestDynamoDb;
  let tables: TestTables;
  beforeAll(async () => {
    dynamoDb = await startTestDynamoDb();
    tables = await dynamoDb.createTables();
  });
  afterAll(async () => {
    await dynamoDb?.close();
  });

  it('records an outcome with the epoch second after which DynamoDB may delete it: the ledger retention from now', async () => {
    // Prepare
    const ledger = new DynamoDbStepLedger({ client: dynamoDb.client, ledgerTableName: tables.ledger });
    const outcome = domainEvent('OrderCancelled', { schemaVersion: 2, orderId: 'ord-retention', reason: { code: 'OUT_OF_STOCK', message: 'no stock' } });
    const before = Math.floor(Date.now() / 1000);
    // Act
    await ledger.record('ord-retention', 'cancel-order', outcome);
    // Assess
    const after = Math.ceil(Date.now() / 1000);
    const { Item } = await dynamoDb.documents.send(new GetCommand({ TableName: tables.ledger, Key: { orderId: 'ord-retention', step: 'cancel-order' } }));
    const expiresAt = Number(Item?.[TABLE_KEYS.ledger.timeToLiveAttribute]);
    const retentionSeconds = LEDGER_RETENTION_DAYS * 24 * 60 * 60;
    expect(expiresAt).toBeGreaterThanOrEqual(before + retentionSeconds);
    expect(expiresAt).toBeLessThanOrEqual(after + retentionSeconds);
  });
});
