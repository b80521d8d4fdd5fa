/**
 * The floor of one AWS SDK v3 call on this machine: the CPU a hot call costs the client (signing,
 * serializing, node:http, parsing the answer) plus the least a server can spend on it (a no-op
 * server that parses the JSON body and answers). Client and server run in this process, so one
 * `process.cpuUsage()` delta covers both. Calls per order times this is what an order costs at
 * the least with the same handlers, whatever serves their calls: the `e2e` group's floor.
 */
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startNoopAwsServer } from './noop-aws-server.ts';
import { steadyCpuMsPerOperation } from './steady-cpu.ts';
import { benchClientConfig } from './sdk-client-config.ts';

/** Calls a batch, batches before measuring and batches measured: V8 settles after a few thousand calls. */
const BATCHING = { batchSize: 500, warmupBatches: 6, measuredBatches: 6 } as const;
/** The measurement stops here with what it has, so a starved machine cannot stall the bench. */
const MAX_MEASURE_MS = 30_000;

/** CPU milliseconds of one hot SDK call, client and no-op server together, once V8 has settled (`steady-cpu.ts`). */
export async function measureSdkCallCpuMs(): Promise<number> {
  const server = await startNoopAwsServer({
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    operations: { GetItem: () => ({ Item: { orderId: { S: 'bench-order' }, status: { S: 'placed' } } }) },
  });
  const client = new DynamoDBClient(benchClientConfig(server.endpoint, 1));
  try {
    const steady = await steadyCpuMsPerOperation(async () => {
      await client.send(new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: 'bench-order' } } }));
    }, { ...BATCHING, maxMs: MAX_MEASURE_MS });
    return steady.msPerOperation;
  } finally {
    client.destroy();
    await server.close();
  }
}
