/**
 * The machine baseline of the end-to-end figures: plain HTTP round trips per second between a
 * node:http client and a trivial node:http server on loopback, in this process. The local cloud
 * is made of exactly such round trips (every AWS call of every function crosses the gateway),
 * so a faster or slower machine moves both; their ratio is what compares across machines.
 */
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { measureRates, type LoadOptions } from './throughput.ts';

/** Requests in flight, rounds and their length: a few seconds in all. */
const LOAD: LoadOptions = { concurrency: 16, warmupMs: 500, roundMs: 1_000, rounds: 3, maxOperationsPerRound: 200_000 };

/** Median round trips per second over {@link LOAD}'s rounds. */
export async function measureLoopbackRoundTrips(): Promise<number> {
  const body = '{"ok":true}';
  const server = createServer((incoming, response) => {
    incoming.resume();
    incoming.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      response.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true, maxSockets: LOAD.concurrency });
  const roundTrip = () =>
    new Promise<number>((resolve, reject) => {
      const outgoing = request({ host: '127.0.0.1', port, method: 'POST', path: '/', agent, headers: { 'content-type': 'application/json', 'content-length': 2 } }, (response) => {
        response.resume();
        response.on('end', () => resolve(1));
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end('{}');
    });
  try {
    const { loopback } = await measureRates({ loopback: { operation: roundTrip } }, LOAD);
    return loopback.perSecond;
  } finally {
    agent.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
