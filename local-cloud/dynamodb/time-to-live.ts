/**
 * DynamoDB's time to live, which dynalite does not implement: for each table whose template
 * enables `TimeToLiveSpecification`, items whose TTL attribute holds a number of epoch seconds
 * in the past are deleted by a background sweep. As on DynamoDB, an expired item stays readable
 * until the sweep deletes it (DynamoDB takes up to a few days; here, one sweep interval), an
 * attribute that is not a number never expires an item, and neither does a time more than five
 * years in the past. Each delete is conditional on the item still being expired, so an item
 * whose TTL was pushed back meanwhile is kept.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/TTL.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/howitworks-ttl.html
 */
import type { TablePlan, TimeToLivePlan } from '#cloud/template/stack-plan';

/** Calls the local DynamoDB with wire-format input (the dynalite client). */
export interface WireDynamoDb {
  call(operation: string, input: unknown): Promise<Record<string, unknown>>;
}

/** Options of {@link TimeToLiveSweeper}. */
export interface TimeToLiveSweeperOptions {
  readonly dynamodb: WireDynamoDb;
  /** The tables whose items expire, with their TTL attribute. */
  readonly tables: readonly TimeToLivePlan[];
  /** Every table's key schema, to delete an item by its key. */
  readonly keySchemas: readonly Pick<TablePlan, 'TableName' | 'KeySchema'>[];
  /** Time between sweeps. @default 60 seconds */
  readonly intervalMs?: number;
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
}

/** DynamoDB leaves alone items whose TTL is more than five years in the past. */
const MAX_PAST_SECONDS = 5 * 365 * 24 * 3600;

/** Deletes expired items, now and then. */
export class TimeToLiveSweeper {
  readonly #options: TimeToLiveSweeperOptions;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<number> | undefined;

  constructor(options: TimeToLiveSweeperOptions) {
    this.#options = options;
  }

  /** Sweeps every interval until {@link stop}. */
  start(): void {
    if (this.#options.tables.length === 0) return;
    this.#timer = setInterval(() => void this.sweep().catch((error: unknown) => console.error(`time to live: the sweep failed: ${String(error)}`)), this.#options.intervalMs ?? 60_000);
    this.#timer.unref();
  }

  /**
   * Deletes every item that has expired by `at` (a test may pass a time ahead of the clock to see
   * what will have expired then) and returns how many it deleted.
   */
  sweep(at: number = (this.#options.now ?? Date.now)()): Promise<number> {
    const previous = this.#sweeping ?? Promise.resolve(0);
    const sweeping = previous.catch(() => 0).then(() => this.#sweepAll(Math.floor(at / 1000)));
    this.#sweeping = sweeping;
    return sweeping;
  }

  /** Stops sweeping, after the sweep under way. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#sweeping?.catch(() => undefined);
  }

  async #sweepAll(nowSeconds: number): Promise<number> {
    let deleted = 0;
    for (const table of this.#options.tables) deleted += await this.#sweepTable(table, nowSeconds);
    return deleted;
  }

  async #sweepTable(table: TimeToLivePlan, nowSeconds: number): Promise<number> {
    const keySchema = (this.#options.keySchemas.find((candidate) => candidate.TableName === table.TableName)?.KeySchema ?? []) as { AttributeName: string }[];
    const keyNames = keySchema.map((key) => key.AttributeName);
    const names = { '#ttl': table.AttributeName, ...Object.fromEntries(keyNames.map((name, index) => [`#k${index}`, name])) };
    const expired = { ':now': { N: String(nowSeconds) }, ':oldest': { N: String(nowSeconds - MAX_PAST_SECONDS) } };
    let deleted = 0;
    let startKey: unknown;
    do {
      const page = await this.#options.dynamodb.call('Scan', {
        TableName: table.TableName,
        // A comparison with a number is false for any other type: such an item never expires.
        FilterExpression: '#ttl < :now AND #ttl > :oldest',
        ProjectionExpression: keyNames.map((_, index) => `#k${index}`).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: expired,
        ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
      });
      for (const key of (page.Items ?? []) as Record<string, unknown>[]) {
        const removed = await this.#options.dynamodb
          .call('DeleteItem', { TableName: table.TableName, Key: key, ConditionExpression: '#ttl < :now', ExpressionAttributeNames: { '#ttl': table.AttributeName }, ExpressionAttributeValues: { ':now': expired[':now'] } })
          .then(
            () => true,
            (error: { code?: string }) => {
              // Pushed back (or deleted) since the scan read it: not expired any more.
              if (error.code === 'ConditionalCheckFailedException') return false;
              throw error;
            },
          );
        if (removed) deleted += 1;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return deleted;
  }
}
