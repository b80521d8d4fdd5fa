/**
 * A transaction is all or nothing even when the local DynamoDB's process is SIGKILLed in the
 * middle of one: restarted on the same directory, it shows either every action or none.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';

const ENTRY = fileURLToPath(new URL('../../../local-cloud/dynamodb/dynamodb-process-main.ts', import.meta.url));
const TABLE = 'accounts';
const OPENING_BALANCE = 10_000;
const CONCURRENT_TRANSFERS = 4;
/** A transaction takes a few milliseconds; killing at different delays lands in its different phases. */
const KILL_DELAYS_MS = [0, 1, 2, 3, 4, 5];
const TRANSFERS_BEFORE_KILL = 40;

interface RunningDynamoDb {
  readonly child: ChildProcess;
  readonly client: DynamoDBDocumentClient;
}

async function startDynamoDbProcess(path: string): Promise<RunningDynamoDb> {
  const child = fork(ENTRY, [], { execArgv: ['--import', 'tsx'], env: { ...process.env, LOCAL_DYNAMODB_PATH: path }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const [{ port }] = (await once(child, 'message')) as [{ port: number }];
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 }),
  );
  return { child, client };
}

async function kill({ child, client }: RunningDynamoDb): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
  client.destroy();
}

/** Moves one unit from `from` to `to` in one transaction. */
function transfer(client: DynamoDBDocumentClient): Promise<unknown> {
  return client.send(
    new TransactWriteCommand({
      TransactItems: [
        { Update: { TableName: TABLE, Key: { id: 'from' }, UpdateExpression: 'ADD balance :minus', ConditionExpression: 'balance >= :one', ExpressionAttributeValues: { ':minus': -1, ':one': 1 } } },
        { Update: { TableName: TABLE, Key: { id: 'to' }, UpdateExpression: 'ADD balance :one', ExpressionAttributeValues: { ':one': 1 } } },
      ],
    }),
  );
}

/** Transfers from several clients at once until `count` were acknowledged, then kills the process `killDelayMs` later. */
async function transferUntilKilled(running: RunningDynamoDb, count: number, killDelayMs: number): Promise<number> {
  let acknowledged = 0;
  let killing: Promise<void> | undefined;
  const loop = async () => {
    while (!killing) {
      try {
        await transfer(running.client);
        if (++acknowledged === count) killing = new Promise((resolve) => setTimeout(resolve, killDelayMs)).then(() => kill(running));
      } catch {
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_TRANSFERS }, loop));
  await killing;
  return acknowledged;
}

async function balance(client: DynamoDBDocumentClient, id: string): Promise<number> {
  const { Item } = await client.send(new GetCommand({ TableName: TABLE, Key: { id }, ConsistentRead: true }));
  return Number(Item?.balance);
}

describe('local DynamoDB transactions across a SIGKILL', () => {
  const directory = mkdtempSync(join(tmpdir(), 'local-dynamodb-'));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('restarts with every transaction either whole or absent', { timeout: 60_000 }, async () => {
    // Prepare
    const path = join(directory, 'dynamodb');
    let running = await startDynamoDbProcess(path);
    await running.client.send(
      new CreateTableCommand({ TableName: TABLE, BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }),
    );
    await running.client.send(new PutCommand({ TableName: TABLE, Item: { id: 'from', balance: OPENING_BALANCE } }));
    await running.client.send(new PutCommand({ TableName: TABLE, Item: { id: 'to', balance: 0 } }));

    // Act: each round kills the process with transfers in flight and starts it again.
    let acknowledged = 0;
    const totals: number[] = [];
    for (const killDelayMs of KILL_DELAYS_MS) {
      acknowledged += await transferUntilKilled(running, TRANSFERS_BEFORE_KILL, killDelayMs);
      running = await startDynamoDbProcess(path);
      totals.push((await balance(running.client, 'from')) + (await balance(running.client, 'to')));
    }
    const moved = await balance(running.client, 'to');
    await kill(running);

    // Assess
    expect(totals).toEqual(KILL_DELAYS_MS.map(() => OPENING_BALANCE));
    expect(moved).toBeGreaterThanOrEqual(acknowledged);
  });
});
