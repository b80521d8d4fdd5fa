import { describe, expect, it } from 'vitest';
import { costCurve, CURVE_RATES, priceAtRate, usageAtRate } from '../../bench/cost-curve.ts';
import { costPerMillionOrders, naiveScenario, type OrderUsage, type PipelineDesign } from '../../bench/cost-model.ts';
import { PRICES } from '../../bench/prices.ts';

/** Two SQS-fed steps (one without a window, one with a batch of 100 and a 1 s window) and an HTTP function. */
function aDesign(): PipelineDesign {
  return {
    polledQueues: 2,
    alarms: 20,
    kmsKeys: 1,
    functions: [
      { name: 'step', memoryMb: 256, architecture: 'arm64', batchSize: 10, batchingWindowSeconds: 0 },
      { name: 'projection', memoryMb: 256, architecture: 'arm64', batchSize: 100, batchingWindowSeconds: 1 },
      { name: 'http', memoryMb: 256, architecture: 'arm64' },
    ],
  };
}

/** What a run observed per order: 4 step records in 2 invocations, 5 projected records in 0.5. */
function aUsage(): OrderUsage {
  return {
    functions: [
      { name: 'step', invocations: 2, records: 4, billedMs: 40 },
      { name: 'projection', invocations: 0.5, records: 5, billedMs: 10 },
      { name: 'http', invocations: 1, records: 1, billedMs: 30 },
    ],
    events: 5,
    eventBytes: 5_000,
    sqsSends: 9,
    sqsReceives: 2.5,
    sqsDeletes: 2.5,
    sqsParked: 0,
    httpRequests: 1,
    readRequestUnits: 7,
    writeRequestUnits: 12,
    unitsProjectingEachEventAlone: { readRequestUnits: 9, writeRequestUnits: 16 },
    functionLogBytes: 900,
  };
}

describe('usageAtRate', () => {
  it('hands each record to its own invocation, receive and delete at one order a second without a window', () => {
    // Act
    const usage = usageAtRate(aDesign(), aUsage(), 1);

    // Assess: the step's queue gets 4 messages a second, 0.8 per poller: batches of
    // (1 + 0.8 x 0.01) / (1 - 0.8 x 0.01) records, each of 10 ms a record billed as 11 ms.
    const step = usage.functions.find((fn) => fn.name === 'step');
    const invocations = 4 / (1.008 / 0.992);
    expect(step?.records).toBe(4);
    expect(step?.invocations).toBeCloseTo(invocations, 9);
    expect(step?.billedMs).toBeCloseTo(invocations * 11, 9);
  });

  it('keeps what does not depend on the rate: records, events, deliveries, units, HTTP functions', () => {
    // Act
    const usage = usageAtRate(aDesign(), aUsage(), 100);

    // Assess
    expect(usage.functions.map((fn) => fn.records)).toEqual([4, 5, 1]);
    expect(usage.functions.find((fn) => fn.name === 'http')).toEqual({ name: 'http', invocations: 1, records: 1, billedMs: 30 });
    expect(usage).toMatchObject({ events: 5, sqsSends: 9, readRequestUnits: 7, writeRequestUnits: 12, functionLogBytes: 900 });
  });

  it('fills the projection to its batch size at a high rate: 10 receives and deletes per 100 records', () => {
    // Act: 5,000 projected messages a second.
    const usage = usageAtRate({ ...aDesign(), functions: aDesign().functions.filter((fn) => fn.name !== 'step') }, { ...aUsage(), functions: aUsage().functions.filter((fn) => fn.name !== 'step') }, 1_000);

    // Assess
    expect(usage.functions.find((fn) => fn.name === 'projection')?.invocations).toBeCloseTo(0.05, 9);
    expect(usage.sqsReceives).toBeCloseTo(0.5, 9);
    expect(usage.sqsDeletes).toBeCloseTo(0.5, 9);
  });

  it('leaves the naive design one record per invocation, receive and delete at every rate', () => {
    // Prepare
    const naive = naiveScenario(aDesign(), aUsage());

    for (const rate of CURVE_RATES) {
      // Act
      const usage = usageAtRate(naive.design, naive.usage, rate);

      // Assess: 4 + 5 SQS-fed records an order.
      expect(usage.sqsReceives).toBeCloseTo(9, 9);
      expect(usage.sqsDeletes).toBeCloseTo(9, 9);
      expect(usage.functions.map((fn) => fn.invocations)).toEqual([4, 5, 1]);
    }
  });
});

describe('costCurve', () => {
  it('prices the design and the naive design at 1, 10, 100 and 1,000 orders a second', () => {
    // Act
    const curve = costCurve(aDesign(), aUsage(), PRICES);

    // Assess
    expect(curve.map((point) => point.ordersPerSecond)).toEqual([1, 10, 100, 1_000]);
    for (const point of curve) expect(point.perMillionOrders).toBeLessThan(point.naivePerMillionOrders);
  });

  it('falls as the rate grows, for both designs', () => {
    // Act
    const curve = costCurve(aDesign(), aUsage(), PRICES, [0.1, 1, 3, 10, 30, 100, 300, 1_000, 10_000]);

    // Assess
    for (let index = 1; index < curve.length; index += 1) {
      expect(curve[index]?.perMillionOrders).toBeLessThanOrEqual(curve[index - 1]?.perMillionOrders as number);
      expect(curve[index]?.naivePerMillionOrders).toBeLessThanOrEqual(curve[index - 1]?.naivePerMillionOrders as number);
    }
  });

  it('stays above the price of full batches, and reaches it at a high rate', () => {
    // Prepare: every batch full (the step's 10, the projection's 100), one receive and one delete per 10
    // records, nothing idle, the monthly costs spread over next to infinitely many orders.
    const full: OrderUsage = {
      ...aUsage(),
      functions: [
        { name: 'step', invocations: 0.4, records: 4, billedMs: 40 },
        { name: 'projection', invocations: 0.05, records: 5, billedMs: 10 },
        { name: 'http', invocations: 1, records: 1, billedMs: 30 },
      ],
      sqsReceives: 0.9,
      sqsDeletes: 0.9,
    };
    const floor = costPerMillionOrders(aDesign(), full, PRICES, { ordersPerMonth: 1e18 }).total;

    // Act
    const curve = costCurve(aDesign(), aUsage(), PRICES, [...CURVE_RATES, 1e6]);

    // Assess
    for (const point of curve) expect(point.perMillionOrders).toBeGreaterThanOrEqual(floor - 1e-9);
    expect(curve.at(-1)?.perMillionOrders).toBeCloseTo(floor, 3);
  });

  it('gives the totals of the breakdowns priceAtRate returns', () => {
    // Act
    const priced = priceAtRate(aDesign(), aUsage(), PRICES, 100);
    const [point] = costCurve(aDesign(), aUsage(), PRICES, [100]);

    // Assess
    expect(point).toEqual({ ordersPerSecond: 100, perMillionOrders: priced.breakdown.total, naivePerMillionOrders: priced.naiveBreakdown.total });
  });

  it('refuses usage of a function the design does not have', () => {
    expect(() => usageAtRate(aDesign(), { ...aUsage(), functions: [{ name: 'other', invocations: 1, records: 1, billedMs: 1 }] }, 1)).toThrow(RangeError);
  });
});
