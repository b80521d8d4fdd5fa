/**
 * The floor's two terms (`sdk-call-floor.ts`, `handler-logic-floor.ts`), measured in a process
 * of their own. In the bench's process, whose heap holds every group's modules (the chart
 * library among them), the same hot SDK call cost 0.8 to 1.0 ms of CPU against 0.6 in a fresh
 * process: the garbage collector works through the bench's heap too. A function's execution
 * environment holds its handler's bundle only, so a small fresh process is the closer floor.
 *
 * The machine is shared, and the CPU an operation costs follows what its neighbours do: in one
 * run the same call cost 0.94 ms at the start and the loopback baseline ran at 0.58 of its usual
 * rate, while the measurement a minute later cost what it costs on a quiet machine. So the floor
 * is measured on both sides of the measurement, and {@link floorFigures} reports both.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { measureHandlerLogicMs, type HandlerLogicFloor } from './handler-logic-floor.ts';
import { measureSdkCallCpuMs } from './sdk-call-floor.ts';
import { mean } from './statistics.ts';

/** What the floor's process measures. */
export interface FloorTerms {
  /** CPU milliseconds of one hot SDK call, client and no-op server together, in one process. */
  readonly sdkCallCpuMs: number;
  /** The same with the no-op server in a process of its own, both processes' CPU summed. */
  readonly sdkCallCpuMsAcrossProcesses: number;
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

/** The floor's figures for a run (`e2e.*`), from its counts per order and the floor's terms measured around it. */
export interface FloorFigures {
  /** CPU of one hot SDK call, the mean of the measurements. */
  readonly sdkCallCpuMs: number;
  /** CPU of the handlers' own logic per order, the mean of the measurements. */
  readonly handlerLogicMsPerOrder: number;
  readonly handlerLogicInvocationsPerOrder: number;
  /** SDK calls per order x {@link sdkCallCpuMs} + {@link handlerLogicMsPerOrder}; `null` without a count of calls. */
  readonly floorMsPerOrder: number | null;
  /** The floor per order from each measurement on its own, in the order measured. */
  readonly floorMsPerOrderMeasured: readonly number[];
  /** CPU per order over {@link floorMsPerOrder}; `null` without either. */
  readonly floorRatio: number | null;
  /** The largest measurement of the floor over the smallest: how far the machine's speed moved during the run. */
  readonly floorSpread: number | null;
  /** CPU of one hot SDK call with the server in another process, the mean of the measurements. */
  readonly sdkCallCpuMsAcrossProcesses: number;
  /** The floor with {@link sdkCallCpuMsAcrossProcesses} for each call; `null` without a count of calls. */
  readonly floorMsPerOrderAcrossProcesses: number | null;
  /** CPU per order over {@link floorMsPerOrderAcrossProcesses}; `null` without either. */
  readonly floorRatioAcrossProcesses: number | null;
}

/**
 * The floor of a run that made `sdkCallsPerOrder` SDK calls and spent `cpuMsPerOrder` per order,
 * from the floor's terms measured before and after it (at least one measurement).
 */
export function floorFigures(sdkCallsPerOrder: number | null, cpuMsPerOrder: number | null, measured: readonly FloorTerms[]): FloorFigures {
  const [first] = measured;
  if (first === undefined) throw new RangeError('the floor needs at least one measurement of its terms');
  const sdkCallCpuMs = mean(measured.map((terms) => terms.sdkCallCpuMs));
  const sdkCallCpuMsAcrossProcesses = mean(measured.map((terms) => terms.sdkCallCpuMsAcrossProcesses));
  const handlerLogicMsPerOrder = mean(measured.map((terms) => terms.handlerLogic.msPerOrder));
  const floorOf = (callCpuMs: number, logicMs: number) => (sdkCallsPerOrder === null ? null : sdkCallsPerOrder * callCpuMs + logicMs);
  const floorMsPerOrder = floorOf(sdkCallCpuMs, handlerLogicMsPerOrder);
  const floorMsPerOrderMeasured = measured.flatMap((terms) => floorOf(terms.sdkCallCpuMs, terms.handlerLogic.msPerOrder) ?? []);
  const floorMsPerOrderAcrossProcesses = floorOf(sdkCallCpuMsAcrossProcesses, handlerLogicMsPerOrder);
  const ratioTo = (floor: number | null) => (floor !== null && cpuMsPerOrder !== null ? cpuMsPerOrder / floor : null);
  return {
    sdkCallCpuMs,
    handlerLogicMsPerOrder,
    handlerLogicInvocationsPerOrder: first.handlerLogic.invocationsPerOrder,
    floorMsPerOrder,
    floorMsPerOrderMeasured,
    floorRatio: ratioTo(floorMsPerOrder),
    floorSpread: floorMsPerOrderMeasured.length > 0 ? Math.max(...floorMsPerOrderMeasured) / Math.min(...floorMsPerOrderMeasured) : null,
    sdkCallCpuMsAcrossProcesses,
    floorMsPerOrderAcrossProcesses,
    floorRatioAcrossProcesses: ratioTo(floorMsPerOrderAcrossProcesses),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send !== undefined) {
  const seed = Number(process.argv[2]);
  const terms: FloorTerms = {
    sdkCallCpuMs: await measureSdkCallCpuMs('same-process'),
    sdkCallCpuMsAcrossProcesses: await measureSdkCallCpuMs('own-process'),
    handlerLogic: await measureHandlerLogicMs(seed),
  };
  process.send(terms, () => process.exit(0));
}
