import { createServer, request, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalDynamoDb, type LocalDynamoDb } from '#cloud/dynamodb/dynamodb-service';

/**
 * A client that gives up (its SDK timed out, its function was replaced) while its request waits
 * behind a transaction must not keep the request's lock: under overload that is how the whole
 * local DynamoDB stalled for good.
 */
describe('local DynamoDB with requests whose clients went away', () => {
  const TABLE = 'ledger';
  let dynamoDb: LocalDynamoDb;
  let server: Server;
  let port: number;
  let client: DynamoDBClient;
  /** Resolvers waiting for the server to receive the next request. */
  const arrivals: (() => void)[] = [];

  beforeAll(async () => {
    dynamoDb = await startLocalDynamoDb();
    await dynamoDb.client.call('CreateTable', {
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }],
    });
    server = createServer((incoming, outgoing) => {
      dynamoDb.handle(incoming, outgoing);
      arrivals.shift()?.();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    client = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dynamoDb.close();
  });

  /** Sends a request's headers (its body follows when the test says) once the server has taken it in. */
  const openRequest = async (operation: string, body: string): Promise<{ readonly outgoing: ClientRequest; readonly closed: Promise<void>; readonly status: Promise<number> }> => {
    const arrived = new Promise<void>((resolve) => arrivals.push(resolve));
    const outgoing = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'content-length': Buffer.byteLength(body),
        'x-amz-target': `DynamoDB_20120810.${operation}`,
        'x-amz-date': '20260101T000000Z',
        authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      },
    });
    outgoing.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => outgoing.once('close', () => resolve()));
    const status = new Promise<number>((resolve) =>
      outgoing.once('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      }),
    );
    outgoing.flushHeaders();
    await arrived;
    return { outgoing, closed, status };
  };
  const putItem = (orderId: string) => ({ Put: { TableName: TABLE, Item: { orderId: { S: orderId } } } });
  const itemOf = async (orderId: string) => (await client.send(new GetItemCommand({ TableName: TABLE, Key: { orderId: { S: orderId } } }))).Item;
  const transact = (orderId: string) => client.send(new TransactWriteItemsCommand({ TransactItems: [putItem(orderId)] }));

  it('serves the next transaction after a request abandoned while it waited behind one', async () => {
    // Prepare: a transaction holds the lock until its body arrives; a GetItem waits behind it.
    const transactionBody = JSON.stringify({ TransactItems: [putItem('order-first')] });
    const transaction = await openRequest('TransactWriteItems', transactionBody);
    const getBody = JSON.stringify({ TableName: TABLE, Key: { orderId: { S: 'order-first' } } });
    const waiting = await openRequest('GetItem', getBody);
    waiting.outgoing.write(getBody);

    // Act: the waiting client goes away, then the transaction completes, then another one runs.
    waiting.outgoing.destroy();
    await waiting.closed;
    transaction.outgoing.end(transactionBody);
    const transactionStatus = await transaction.status;
    await transact('order-second');

    // Assess
    expect(transactionStatus).toBe(200);
    expect(await itemOf('order-second')).toEqual({ orderId: { S: 'order-second' } });
  });

  it('serves the next request after a transaction whose client went away before its body arrived', async () => {
    // Prepare: a transaction takes the lock, then its client disappears mid-body.
    const transactionBody = JSON.stringify({ TransactItems: [putItem('order-cut')] });
    const transaction = await openRequest('TransactWriteItems', transactionBody);
    transaction.outgoing.write(transactionBody.slice(0, 10));

    // Act
    transaction.outgoing.destroy();
    await transaction.closed;
    await transact('order-after-cut');

    // Assess
    expect(await itemOf('order-cut')).toBeUndefined();
    expect(await itemOf('order-after-cut')).toEqual({ orderId: { S: 'order-after-cut' } });
  });
});
