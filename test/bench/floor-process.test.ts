import { describe, expect, it } from 'vitest';
import { floorFigures, measureFloorTermsInOwnProcess, type FloorTerms } from '../../bench/floor-process.ts';
import { measureHandlerLogicMs } from '../../bench/handler-logic-floor.ts';

describe('measureFloorTermsInOwnProcess', () => {
  it("answers both terms of the floor from a process of its own, for the seed's order mix", async () => {
    // Prepare: the same mix carried here, in this process.
    const seed = 3;
    const here = await measureHandlerLogicMs(seed, { batchSize: 50, warmupBatches: 0, measuredBatches: 1 });

    // Act
    const terms = await measureFloorTermsInOwnProcess(seed);

    // Assess
    expect(terms.sdkCallCpuMs).toBeGreaterThan(0);
    expect(terms.sdkCallCpuMsAcrossProcesses).toBeGreaterThan(0);
    expect(terms.handlerLogic.msPerOrder).toBeGreaterThan(0);
    expect(terms.handlerLogic.orders).toBeGreaterThan(0);
    expect(terms.handlerLogic.invocationsPerOrder).toBeCloseTo(here.invocationsPerOrder, 0);
  });
});

describe('floorFigures', () => {
  const terms = (sdkCallCpuMs: number, handlerLogicMsPerOrder: number, sdkCallCpuMsAcrossProcesses = sdkCallCpuMs * 1.5): FloorTerms => ({
    sdkCallCpuMs,
    sdkCallCpuMsAcrossProcesses,
    handlerLogic: { msPerOrder: handlerLogicMsPerOrder, invocationsPerOrder: 10, orders: 1000 },
  });

  it('takes each term as the mean of the measurements around the run, and says how far they moved', () => {
    // Act: 20 calls an order; the machine was slower before the run than after it.
    const figures = floorFigures(20, 36, [terms(0.9, 1), terms(0.6, 0.6)]);

    // Assess
    expect(figures.sdkCallCpuMs).toBeCloseTo(0.75, 9);
    expect(figures.handlerLogicMsPerOrder).toBeCloseTo(0.8, 9);
    expect(figures.floorMsPerOrder).toBeCloseTo(20 * 0.75 + 0.8, 9);
    expect(figures.floorMsPerOrderMeasured).toEqual([expect.closeTo(19, 9), expect.closeTo(12.6, 9)]);
    expect(figures.floorRatio).toBeCloseTo(36 / 15.8, 9);
    expect(figures.floorSpread).toBeCloseTo(19 / 12.6, 9);
    expect(figures.handlerLogicInvocationsPerOrder).toBe(10);
  });

  it('also prices each call with its server in another process, from the same measurements', () => {
    // Act
    const figures = floorFigures(20, 36, [terms(0.4, 1, 0.5), terms(0.4, 0.6, 0.7)]);

    // Assess
    expect(figures.sdkCallCpuMsAcrossProcesses).toBeCloseTo(0.6, 9);
    expect(figures.floorMsPerOrderAcrossProcesses).toBeCloseTo(20 * 0.6 + 0.8, 9);
    expect(figures.floorRatioAcrossProcesses).toBeCloseTo(36 / 12.8, 9);
    expect(figures.floorRatio).toBeCloseTo(36 / 8.8, 9);
  });

  it('has no floor, ratio or spread without a count of SDK calls, and no ratio without the CPU', () => {
    expect(floorFigures(null, 36, [terms(0.6, 0.5)])).toMatchObject({ floorMsPerOrder: null, floorMsPerOrderMeasured: [], floorRatio: null, floorSpread: null, floorMsPerOrderAcrossProcesses: null, floorRatioAcrossProcesses: null });
    expect(floorFigures(20, null, [terms(0.6, 0.5)])).toMatchObject({ floorMsPerOrder: 12.5, floorRatio: null, floorSpread: 1, floorRatioAcrossProcesses: null });
  });

  it('refuses to compute a floor from no measurement', () => {
    expect(() => floorFigures(20, 36, [])).toThrow(RangeError);
  });
});
