/**
 * moto's standalone server (`python3 -m moto.server`), a widely used AWS emulator, as a peer to
 * measure the local cloud against with the same client and load. Optional: when python3 or
 * moto is missing, there is nothing to compare with and the figures say so.
 * @see https://docs.getmoto.org/en/latest/docs/server_mode.html
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** A running moto server. */
export interface MotoServer {
  readonly endpoint: string;
  /** Stops the server process (only the one this module started). */
  close(): Promise<void>;
}

/** moto starts in a few seconds; beyond this it is treated as unavailable. */
const START_TIMEOUT_MS = 30_000;

/** Starts moto on a free loopback port, or resolves undefined when it cannot run here. */
export async function startMotoServer(): Promise<MotoServer | undefined> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline && child.exitCode === null && !child.killed) {
    // moto answers GET /moto-api/ once it serves requests.
    const ready = await fetch(`${endpoint}/moto-api/`).then((response) => response.ok, () => false);
    if (ready) return { endpoint, close: () => stop(child, exited) };
    await sleep(200);
  }
  await stop(child, exited);
  return undefined;
}

async function stop(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode === null) child.kill('SIGTERM');
  await exited;
}

/** A port nothing listens on now (moto takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
