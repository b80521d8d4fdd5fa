import { describe, expect, it } from 'vitest';
import { plannedOrder } from '#local/order-mix';
import { consumedBy, STEP_NAMES } from '#shared/pipeline-graph';
import { measureHandlerLogicMs } from '../../bench/handler-logic-floor.ts';

describe('measureHandlerLogicMs', () => {
  it("carries every order of the mix to its end through place-order's and each consuming step's handler", async () => {
    // Prepare: place-order once, then one invocation per event of the order's path and step consuming it.
    const seed = 7;
    const orders = 40;
    const consumers = (type: string) => STEP_NAMES.filter((step) => (consumedBy(step) as readonly string[]).includes(type)).length;
    let expectedInvocations = 0;
    for (let index = 0; index < orders; index += 1) expectedInvocations += 1 + plannedOrder(index, seed).path.events.reduce((total, type) => total + consumers(type), 0);

    // Act
    const floor = await measureHandlerLogicMs(seed, { batchSize: orders, warmupBatches: 0, measuredBatches: 1 });

    // Assess
    expect(floor.orders).toBe(orders);
    expect(floor.invocationsPerOrder).toBeCloseTo(expectedInvocations / orders, 9);
    expect(floor.msPerOrder).toBeGreaterThan(0);
  });
});
