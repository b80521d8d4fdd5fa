/**
 * The floor of one AWS SDK v3 call on this machine: the CPU a hot call costs the client (signing,
 * serializing, node:http, parsing the answer) plus the least a server can spend on it (a no-op
 * server that parses the JSON body and answers). Client and server run in this process, so one
 * `process.cpuUsage()` delta covers both. Calls per order times this is what an order costs at
 * the least with the same handlers, whatever serves their calls: the `e2e` group's floor.
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startNoopAwsServer } from './noop-aws-server.ts';
import { benchClientConfig } from './sdk-client-config.ts';

/** Calls before measuring, so the client, the server and V8's optimized code are hot. */
const WARMUP_CALLS = 300;
/** Calls measured. */
const MEASURED_CALLS = 2_000;
/** The measurement stops here whatever it reached, so a starved machine cannot stall the bench. */
const MAX_MEASURE_MS = 20_000;

/** CPU milliseconds of one hot SDK call, client and no-op server together. */
export async function measureSdkCallCpuMs(): Promise<number> {
  const server = await startNoopAwsServer({
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    operations: { GetItem: () => ({ Item: { orderId: { S: 'bench-order' }, status: { S: 'placed' } } }) },
  });
  const client = new DynamoDBClient(benchClientConfig(server.endpoint, 1));
  const call = () => client.send(new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: 'bench-order' } } }));
  try {
    for (let index = 0; index < WARMUP_CALLS; index += 1) await call();
    const deadline = performance.now() + MAX_MEASURE_MS;
    const before = process.cpuUsage();
    let calls = 0;
    while (calls < MEASURED_CALLS && performance.now() < deadline) {
      await call();
      calls += 1;
    }
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / calls;
  } finally {
    client.destroy();
    await server.close();
  }
}
