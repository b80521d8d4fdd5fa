import { describe, expect, it } from 'vitest';
import { steadyCpuMsPerOperation } from '../../bench/steady-cpu.ts';

describe('steadyCpuMsPerOperation', () => {
  it('runs the warm-up batches, then the measured ones, each operation once, in order', async () => {
    // Prepare
    const indices: number[] = [];

    // Act
    const steady = await steadyCpuMsPerOperation(async (index) => void indices.push(index), { batchSize: 10, warmupBatches: 2, measuredBatches: 3, maxMs: 60_000 });

    // Assess
    expect(indices).toEqual(Array.from({ length: 50 }, (_, index) => index));
    expect(steady.operations).toBe(30);
    expect(steady.msPerOperation).toBeGreaterThanOrEqual(0);
  });

  it('measures one batch, without warming up, when the time is already gone', async () => {
    // Prepare
    let calls = 0;

    // Act
    const steady = await steadyCpuMsPerOperation(async () => void (calls += 1), { batchSize: 10, warmupBatches: 2, measuredBatches: 3, maxMs: 0 });

    // Assess
    expect(calls).toBe(10);
    expect(steady.operations).toBe(10);
  });

  it('takes the median batch, so one batch that burns far more CPU than the others does not move it', async () => {
    // Prepare: the third measured batch spins 200 ms of CPU; the others do next to nothing.
    const batchSize = 5;
    const spin = (ms: number) => {
      const until = process.cpuUsage().user + ms * 1000;
      while (process.cpuUsage().user < until);
    };

    // Act
    const steady = await steadyCpuMsPerOperation(async (index) => {
      if (Math.floor(index / batchSize) === 2) spin(200 / batchSize);
    }, { batchSize, warmupBatches: 0, measuredBatches: 5, maxMs: 60_000 });

    // Assess: the spinning batch costs 40 ms an operation, so the mean of the five is at least 8;
    // the median is one of the idle batches, a small fraction of a millisecond.
    expect(steady.msPerOperation).toBeLessThan(4);
  });

  it("reads the CPU it is given, such as another process's added to this one", async () => {
    // Prepare: a counter standing for the CPU of everything the operation runs on; each operation uses 3 ms of it.
    let cpuMs = 0;

    // Act
    const steady = await steadyCpuMsPerOperation(async () => void (cpuMs += 3), { batchSize: 10, warmupBatches: 1, measuredBatches: 3, maxMs: 60_000, cpuMs: async () => cpuMs });

    // Assess
    expect(steady.msPerOperation).toBe(3);
  });
});
