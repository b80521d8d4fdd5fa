/**
 * The floor of one AWS SDK v3 call on this machine: the CPU a hot call costs the client (signing,
 * serializing, node:http, parsing the answer) plus the least a server can spend on it (a no-op
 * server that parses the JSON body and answers). Calls per order times this is what an order
 * costs at the least with the same handlers, whatever serves their calls: the `e2e` group's floor.
 *
 * Measured twice. With the server in the client's process, one `process.cpuUsage()` delta covers
 * both, and the call is as cheap as it gets: the answer arrives on an event loop that never went
 * idle. With the server in a process of its own, the client's thread waits for the answer as a
 * function's does, every call of a function crossing to another thread or process (the local
 * cloud's, or AWS's): that figure is the least such a call can cost, client and server CPU summed.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { startNoopAwsServer, type NoopAwsServer } from './noop-aws-server.ts';
import { processCpuMs, steadyCpuMsPerOperation } from './steady-cpu.ts';
import { benchClientConfig } from './sdk-client-config.ts';

/** Calls a batch, batches before measuring and batches measured: V8 settles after a few thousand calls. */
const BATCHING = { batchSize: 500, warmupBatches: 6, measuredBatches: 6 } as const;
/** The measurement stops here with what it has, so a starved machine cannot stall the bench. */
const MAX_MEASURE_MS = 30_000;

/** Where the no-op server of {@link measureSdkCallCpuMs} runs. */
export type NoopServerPlacement = 'same-process' | 'own-process';

/** The no-op DynamoDB that answers the floor's GetItem. */
function startFloorServer(): Promise<NoopAwsServer> {
  return startNoopAwsServer({
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    operations: { GetItem: () => ({ Item: { orderId: { S: 'bench-order' }, status: { S: 'placed' } } }) },
  });
}

/** What the server's process says over IPC: its endpoint once, then its CPU milliseconds when asked. */
type ServerProcessMessage = { readonly endpoint: string } | { readonly cpuMs: number };

/** The floor's server in a child process, and a way to read that process's CPU. */
async function startFloorServerProcess(): Promise<{ readonly endpoint: string; readonly cpuMs: () => Promise<number>; readonly close: () => void }> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  // Each wait takes its listeners off again: the measurement asks for the server's CPU around every batch.
  const next = () =>
    new Promise<ServerProcessMessage>((resolve, reject) => {
      const onMessage = (message: unknown) => {
        child.off('exit', onExit);
        resolve(message as ServerProcessMessage);
      };
      const onExit = (code: number | null) => {
        child.off('message', onMessage);
        reject(new Error(`the floor's server process exited with ${String(code)}`));
      };
      child.once('message', onMessage);
      child.once('exit', onExit);
    });
  const first = await next();
  if (!('endpoint' in first)) throw new Error("the floor's server process did not say its endpoint");
  return {
    endpoint: first.endpoint,
    cpuMs: async () => {
      const answer = next();
      child.send('cpu');
      const message = await answer;
      if (!('cpuMs' in message)) throw new Error("the floor's server process did not say its CPU");
      return message.cpuMs;
    },
    close: () => child.kill(),
  };
}

/**
 * CPU milliseconds of one hot SDK call, client and no-op server together, once V8 has settled
 * (`steady-cpu.ts`), with the server in this process or in its own.
 */
export async function measureSdkCallCpuMs(placement: NoopServerPlacement = 'same-process'): Promise<number> {
  const server = placement === 'same-process' ? await startFloorServer() : await startFloorServerProcess();
  const client = new DynamoDBClient(benchClientConfig(server.endpoint, 1));
  // The server's own process counts too: the floor is the call's CPU, client and server.
  const clientAndServerCpuMs = 'cpuMs' in server ? async () => processCpuMs() + (await server.cpuMs()) : undefined;
  try {
    const steady = await steadyCpuMsPerOperation(
      async () => {
        await client.send(new GetItemCommand({ TableName: 'Orders', Key: { orderId: { S: 'bench-order' } } }));
      },
      { ...BATCHING, maxMs: MAX_MEASURE_MS, ...(clientAndServerCpuMs === undefined ? {} : { cpuMs: clientAndServerCpuMs }) },
    );
    return steady.msPerOperation;
  } finally {
    client.destroy();
    await server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send !== undefined) {
  const server = await startFloorServer();
  process.send({ endpoint: server.endpoint } satisfies ServerProcessMessage);
  process.on('message', () => process.send?.({ cpuMs: processCpuMs() } satisfies ServerProcessMessage));
  process.on('disconnect', () => void server.close().then(() => process.exit(0)));
}
