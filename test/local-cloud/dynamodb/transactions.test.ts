import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDynamoDb, type TestDynamoDb, type TestTables } from '#test/support/local-dynamodb';

describe('local DynamoDB transactions (real SDK v3 client)', () => {
  let db: TestDynamoDb;
  let tables: TestTables;

  beforeAll(async () => {
    db = await startTestDynamoDb();
    tables = await db.createTables();
  });
  afterAll(() => db.close());

  const stock = async (sku: string) => (await db.documents.send(new GetCommand({ TableName: tables.inventory, Key: { sku } }))).Item;
  const take = (sku: string, quantity: number) => ({
    Update: {
      TableName: tables.inventory,
      Key: { sku },
      UpdateExpression: 'ADD available :minus',
      ConditionExpression: 'available >= :quantity',
      ExpressionAttributeValues: { ':minus': -quantity, ':quantity': quantity },
    },
  });

  it('applies every action when all conditions hold', async () => {
    // Prepare
    const orderId = 'order-all';
    // Act
    await db.documents.send(
      new TransactWriteCommand({
        TransactItems: [{ Put: { TableName: tables.ledger, Item: { orderId, step: 'reserve' }, ConditionExpression: 'attribute_not_exists(orderId)' } }, take('SKU-MOUSE', 2)],
      }),
    );
    // Assess
    expect((await stock('SKU-MOUSE'))?.available).toBe(999_998);
    expect((await db.documents.send(new GetCommand({ TableName: tables.ledger, Key: { orderId, step: 'reserve' } }))).Item).toBeDefined();
  });

  it('applies nothing and reports a reason per action when one condition fails', async () => {
    // Prepare
    const before = await stock('SKU-KEYBOARD');
    // Act
    const failure = await db.documents
      .send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: tables.ledger, Item: { orderId: 'order-none', step: 'reserve' }, ConditionExpression: 'attribute_not_exists(orderId)' } },
            take('SKU-KEYBOARD', 1),
            take('SKU-SOLD-OUT', 1),
          ],
        }),
      )
      .catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect((failure as TransactionCanceledException).CancellationReasons?.map((reason) => reason.Code)).toEqual(['None', 'None', 'ConditionalCheckFailed']);
    expect(await stock('SKU-KEYBOARD')).toEqual(before);
    expect((await db.documents.send(new GetCommand({ TableName: tables.ledger, Key: { orderId: 'order-none', step: 'reserve' } }))).Item).toBeUndefined();
  });

  it('returns the old item with the reason when asked to', async () => {
    // Prepare
    await db.documents.send(new PutCommand({ TableName: tables.ledger, Item: { orderId: 'order-old', step: 'pay', amount: 5 } }));
    // Act
    const failure = (await db.documents
      .send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.ledger,
                Item: { orderId: 'order-old', step: 'pay', amount: 6 },
                ConditionExpression: 'attribute_not_exists(orderId)',
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      )
      .catch((error: unknown) => error)) as TransactionCanceledException;
    // Assess
    expect(failure.CancellationReasons?.[0]?.Item?.amount).toEqual({ N: '5' });
  });

  it('checks a condition without writing', async () => {
    // Act
    await db.documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { ConditionCheck: { TableName: tables.inventory, Key: { sku: 'SKU-CABLE' }, ConditionExpression: 'attribute_exists(sku)' } },
          { Put: { TableName: tables.ledger, Item: { orderId: 'order-check', step: 'x' } } },
        ],
      }),
    );
    const failure = await db.documents
      .send(new TransactWriteCommand({ TransactItems: [{ ConditionCheck: { TableName: tables.inventory, Key: { sku: 'SKU-NONE' }, ConditionExpression: 'attribute_exists(sku)' } }] }))
      .catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(TransactionCanceledException);
    expect(await stock('SKU-NONE')).toBeUndefined();
  });

  it('rejects two actions on one item', async () => {
    // Act
    const failure = await db.documents
      .send(new TransactWriteCommand({ TransactItems: [take('SKU-CABLE', 1), take('SKU-CABLE', 1)] }))
      .catch((error: unknown) => error as Error);
    // Assess
    expect(failure).toMatchObject({ name: 'ValidationException', message: expect.stringContaining('multiple operations on one item') });
  });

  it('keeps concurrent transactions atomic: stock never goes below zero', async () => {
    // Prepare: 1,000 units; of 40 concurrent takes of 30, exactly 33 fit.
    await db.documents.send(new PutCommand({ TableName: tables.inventory, Item: { sku: 'SKU-RACE', available: 1_000, reserved: 0, shipped: 0 } }));
    // Act
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => db.documents.send(new TransactWriteCommand({ TransactItems: [take('SKU-RACE', 30)] }))));
    // Assess
    const succeeded = results.filter((result) => result.status === 'fulfilled').length;
    expect(succeeded).toBe(33);
    expect((await stock('SKU-RACE'))?.available).toBe(1_000 - 33 * 30);
  });

  it('reads several items in one TransactGetItems', async () => {
    // Act
    const { Responses } = await db.documents.send(
      new TransactGetCommand({ TransactItems: [{ Get: { TableName: tables.inventory, Key: { sku: 'SKU-LAPTOP' } } }, { Get: { TableName: tables.inventory, Key: { sku: 'SKU-NONE' } } }] }),
    );
    // Assess
    expect(Responses?.[0]?.Item?.sku).toBe('SKU-LAPTOP');
    expect(Responses?.[1]?.Item).toBeUndefined();
  });
});
