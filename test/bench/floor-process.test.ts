import { describe, expect, it } from 'vitest';
import { measureFloorTermsInOwnProcess } from '../../bench/floor-process.ts';
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
    expect(terms.handlerLogic.msPerOrder).toBeGreaterThan(0);
    expect(terms.handlerLogic.orders).toBeGreaterThan(0);
    expect(terms.handlerLogic.invocationsPerOrder).toBeCloseTo(here.invocationsPerOrder, 0);
  });
});
