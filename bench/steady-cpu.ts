/**
 * The CPU an operation costs once V8 has settled on its code. V8 keeps tiering hot code up for
 * thousands of calls, compiling it on helper threads that `process.cpuUsage()` counts, so one
 * measured stretch after a short warm-up came out at 1.2 to 2 times the settled cost, and
 * varied that much from run to run. So the operations run in batches: the first ones warm up,
 * and the figure is the median of the later batches' CPU per operation (a batch that caught a
 * major garbage collection or another process's burst does not move it).
 */
import { performance } from 'node:perf_hooks';
import { median } from './statistics.ts';

/** How {@link steadyCpuMsPerOperation} batches the operations. */
export interface SteadyCpuOptions {
  /** Operations a batch. */
  readonly batchSize: number;
  /** Batches run before the measured ones. */
  readonly warmupBatches: number;
  /** Batches measured. */
  readonly measuredBatches: number;
  /** The measurement ends here with the batches it has, so a starved machine cannot stall the bench. */
  readonly maxMs: number;
  /**
   * The CPU milliseconds used so far by everything the operation runs on, read around each
   * measured batch. @default this process's CPU, every thread (`process.cpuUsage()`)
   */
  readonly cpuMs?: () => number | Promise<number>;
}

/** The result of {@link steadyCpuMsPerOperation}. */
export interface SteadyCpu {
  /** The median of the measured batches' CPU milliseconds per operation (`cpuMs`: by default the process's CPU, every thread). */
  readonly msPerOperation: number;
  /** Operations in the measured batches. */
  readonly operations: number;
}

/**
 * Runs `operation` (given its index, from 0) in batches, one operation at a time, and measures
 * the steady CPU per operation; see the module comment. The warm-up stops at half of `maxMs`;
 * at least one batch is measured, however long it takes.
 */
export async function steadyCpuMsPerOperation(operation: (index: number) => Promise<void>, options: SteadyCpuOptions): Promise<SteadyCpu> {
  const cpuMs = options.cpuMs ?? processCpuMs;
  const start = performance.now();
  let index = 0;
  const runBatch = async () => {
    for (let count = 0; count < options.batchSize; count += 1) await operation(index++);
  };
  for (let batch = 0; batch < options.warmupBatches && performance.now() - start < options.maxMs / 2; batch += 1) await runBatch();
  const perOperation: number[] = [];
  while (perOperation.length < options.measuredBatches && (perOperation.length === 0 || performance.now() - start < options.maxMs)) {
    const before = await cpuMs();
    await runBatch();
    perOperation.push(((await cpuMs()) - before) / options.batchSize);
  }
  return { msPerOperation: median(perOperation), operations: perOperation.length * options.batchSize };
}

/** User plus system CPU time, in milliseconds. */
export function cpuMs(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1000;
}

/** This process's CPU milliseconds so far, every thread. */
export function processCpuMs(): number {
  return cpuMs(process.cpuUsage());
}
