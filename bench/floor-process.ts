/**
 * The floor's two terms (`sdk-call-floor.ts`, `handler-logic-floor.ts`), measured in a process
 * of their own. In the bench's process, whose heap holds every group's modules (the chart
 * library among them), the same hot SDK call cost 0.8 to 1.0 ms of CPU against 0.6 in a fresh
 * process: the garbage collector works through the bench's heap too. A function's execution
 * environment holds its handler's bundle only, so a small fresh process is the closer floor.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureHandlerLogicMs, type HandlerLogicFloor } from './handler-logic-floor.ts';
import { measureSdkCallCpuMs } from './sdk-call-floor.ts';

/** What the floor's process measures. */
export interface FloorTerms {
  /** CPU milliseconds of one hot SDK call, client and no-op server together. */
  readonly sdkCallCpuMs: number;
  readonly handlerLogic: HandlerLogicFloor;
}

/** Measures {@link FloorTerms} for the order mix of `seed` in a child process (run with tsx, as the bench). */
export function measureFloorTermsInOwnProcess(seed: number): Promise<FloorTerms> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), [String(seed)], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    let terms: FloorTerms | undefined;
    child.on('message', (message) => (terms = message as FloorTerms));
    child.on('error', reject);
    child.on('exit', (code) => (terms === undefined ? reject(new Error(`the floor's process exited with ${String(code)} before answering`)) : resolve(terms)));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send !== undefined) {
  const seed = Number(process.argv[2]);
  const terms: FloorTerms = { sdkCallCpuMs: await measureSdkCallCpuMs(), handlerLogic: await measureHandlerLogicMs(seed) };
  process.send(terms, () => process.exit(0));
}
