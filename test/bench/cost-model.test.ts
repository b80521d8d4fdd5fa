import { describe, expect, it } from 'vitest';
import { costPerMillionOrders, cpuShare, naiveScenario, savingVersusNaive, type OrderUsage, type PipelineDesign } from '../../bench/cost-model.ts';
import type { LambdaLoggingConfig } from '#cloud/lambda/logging-config';
import { PRICES } from '../../bench/prices.ts';

/** One SQS-fed step and one HTTP function, both arm64 with 256 MB. */
function aDesign(): PipelineDesign {
  return {
    polledQueues: 1,
    functions: [
      { name: 'step', memoryMb: 256, architecture: 'arm64', batchSize: 10, batchingWindowSeconds: 0 },
      { name: 'http', memoryMb: 256, architecture: 'arm64' },
    ],
  };
}

/** `aDesign()` with every function logging as `logging` says. */
function aDesignLogging(logging: LambdaLoggingConfig): PipelineDesign {
  return { ...aDesign(), functions: aDesign().functions.map((fn) => ({ ...fn, logging })) };
}

const JSON_AT_WARN: LambdaLoggingConfig = { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' };

function aUsage(overrides: Partial<OrderUsage> = {}): OrderUsage {
  return {
    functions: [
      { name: 'step', invocations: 0.5, records: 2, billedMs: 40 },
      { name: 'http', invocations: 1, records: 1, billedMs: 100 },
    ],
    events: 2,
    eventBytes: 0,
    sqsSends: 2,
    sqsReceives: 0.5,
    sqsDeletes: 0.5,
    sqsParked: 0,
    httpRequests: 1,
    readRequestUnits: 4,
    writeRequestUnits: 10,
    unitsProjectingEachEventAlone: { readRequestUnits: 5, writeRequestUnits: 12 },
    functionLogBytes: 1000,
    ...overrides,
  };
}

/** 129,600 orders a month (0.05 a second), one poller long-polling 20 s. */
const ASSUMPTIONS = {
  ordersPerMonth: 129_600,
  polling: { pollers: 1, longPollSeconds: 20, receiveTurnaroundSeconds: 0.01 },
  platformLogBytesPerInvocation: 100,
  accessLogBytesPerRequest: 100,
};
/**
 * The step's queue gets 2 records an order, 0.1 a second: a 20 s poll ends empty with
 * probability e^-2, so 0.1 x e^-2 / (1 - e^-2) empty receives a second, over 0.05 orders.
 */
const IDLE_USD = ((0.1 * Math.exp(-2)) / (1 - Math.exp(-2)) / 0.05) * 0.4;
/** The total of `aDesign()` and `aUsage()` at `ASSUMPTIONS`, by hand (the services but idle polling: 12.298746). */
const TOTAL_USD = 12.298746 + IDLE_USD;

describe('costPerMillionOrders', () => {
  it('prices each service as computed by hand', () => {
    // Act
    const cost = costPerMillionOrders(aDesign(), aUsage(), PRICES, ASSUMPTIONS);

    // Assess: USD per million orders.
    expect(cost.lambdaRequests).toBeCloseTo(1.5 * 0.2, 9);
    expect(cost.lambdaDuration).toBeCloseTo(0.25 * 0.14 * 13.3334, 6); // 0.035 GB-s an order
    expect(cost.sqs).toBeCloseTo(3 * 0.4, 9);
    expect(cost.sqsIdlePolling).toBeCloseTo(IDLE_USD, 9);
    expect(cost.eventBridge).toBeCloseTo(2, 9);
    expect(cost.apiGateway).toBeCloseTo(1, 9);
    expect(cost.dynamoDb).toBeCloseTo(4 * 0.125 + 10 * 0.625, 9);
    expect(cost.logs).toBeCloseTo((1250e6 / 1024 ** 3) * 0.5, 9); // 1,000 + 1.5 x 100 + 1 x 100 bytes an order
    expect(cost.total).toBeCloseTo(TOTAL_USD, 5);
  });

  it('prices x86_64 duration at the x86_64 rate', () => {
    // Prepare
    const design: PipelineDesign = { ...aDesign(), functions: aDesign().functions.map((fn) => ({ ...fn, architecture: 'x86_64' as const })) };

    // Act
    const cost = costPerMillionOrders(design, aUsage(), PRICES, ASSUMPTIONS);

    // Assess
    expect(cost.lambdaDuration).toBeCloseTo(0.035 * 16.6667, 6);
  });

  it.each<{ logging: LambdaLoggingConfig }>([
    { logging: { logFormat: 'Text' } },
    { logging: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'INFO' } },
    { logging: { logFormat: 'JSON', applicationLogLevel: 'DEBUG', systemLogLevel: 'DEBUG' } },
  ])('adds the platform lines of every invocation for $logging', ({ logging }) => {
    // Act
    const cost = costPerMillionOrders(aDesignLogging(logging), aUsage(), PRICES, ASSUMPTIONS);

    // Assess: 1,000 + 1.5 x 100 + 1 x 100 bytes an order, as with Lambda's default.
    expect(cost.logs).toBeCloseTo((1250e6 / 1024 ** 3) * 0.5, 9);
  });

  it('adds no platform lines for a function logging JSON at system level WARN', () => {
    // Act
    const cost = costPerMillionOrders(aDesignLogging(JSON_AT_WARN), aUsage(), PRICES, ASSUMPTIONS);

    // Assess: 1,000 + 1 x 100 bytes an order; the other services cost the same.
    expect(cost.logs).toBeCloseTo((1100e6 / 1024 ** 3) * 0.5, 9);
    expect(cost.total - cost.logs).toBeCloseTo(TOTAL_USD - (1250e6 / 1024 ** 3) * 0.5, 5);
  });

  it('adds the platform lines only of the functions that write them', () => {
    // Prepare: the SQS-fed step (0.5 invocations an order) at WARN, the HTTP function (1) by default.
    const design: PipelineDesign = { ...aDesign(), functions: aDesign().functions.map((fn) => (fn.name === 'step' ? { ...fn, logging: JSON_AT_WARN } : fn)) };

    // Act
    const cost = costPerMillionOrders(design, aUsage(), PRICES, ASSUMPTIONS);

    // Assess: 1,000 + 1 x 100 + 1 x 100 bytes an order.
    expect(cost.logs).toBeCloseTo((1200e6 / 1024 ** 3) * 0.5, 9);
  });

  it('prices alarms and KMS keys by the month, spread over the orders of a month', () => {
    // Prepare: 21 alarms at $0.10 and a key at $1 a month, over 129,600 orders.
    const design: PipelineDesign = { ...aDesign(), alarms: 21, kmsKeys: 1 };

    // Act
    const cost = costPerMillionOrders(design, aUsage(), PRICES, ASSUMPTIONS);

    // Assess
    expect(cost.monitoring).toBeCloseTo((1e6 * (21 * 0.1 + 1)) / 129_600, 9);
    expect(cost.total).toBeCloseTo(TOTAL_USD + cost.monitoring, 5);
  });

  it('prices an idle queue at one empty receive per poller per long poll', () => {
    // Prepare: the step's queue gets no message: 1 / 20 s empty receives a second, over 0.05 orders a second.
    const usage = aUsage({ functions: [{ name: 'step', invocations: 0, records: 0, billedMs: 0 }, { name: 'http', invocations: 1, records: 1, billedMs: 100 }] });

    // Act
    const cost = costPerMillionOrders(aDesign(), usage, PRICES, ASSUMPTIONS);

    // Assess
    expect(cost.sqsIdlePolling).toBeCloseTo(1 * 0.4, 9);
  });

  it('prices fewer empty receives per order the busier the queues', () => {
    // Act
    const quiet = costPerMillionOrders(aDesign(), aUsage(), PRICES, ASSUMPTIONS);
    const busy = costPerMillionOrders(aDesign(), aUsage(), PRICES, { ...ASSUMPTIONS, ordersPerMonth: 100 * ASSUMPTIONS.ordersPerMonth });

    // Assess: 5 orders a second put 10 messages a second on the queue; a poll is almost never empty.
    expect(busy.sqsIdlePolling).toBeLessThan(quiet.sqsIdlePolling / 1e6);
  });

  it('prices no monitoring for a design without alarms or keys', () => {
    expect(costPerMillionOrders(aDesign(), aUsage(), PRICES, ASSUMPTIONS).monitoring).toBe(0);
  });

  it('refuses usage of a function the design does not have', () => {
    expect(() => costPerMillionOrders(aDesign(), aUsage({ functions: [{ name: 'other', invocations: 1, records: 1, billedMs: 1 }] }), PRICES, ASSUMPTIONS)).toThrow(RangeError);
  });
});

describe('naiveScenario', () => {
  it('runs every record alone, on x86_64 with 128 MB, twice as long, projecting each event alone, with twice the writes', () => {
    // Act
    const naive = naiveScenario(aDesign(), aUsage());

    // Assess
    expect(naive.design.functions).toEqual([
      { name: 'step', memoryMb: 128, architecture: 'x86_64', logging: { logFormat: 'Text' }, batchSize: 1, batchingWindowSeconds: 0 },
      { name: 'http', memoryMb: 128, architecture: 'x86_64', logging: { logFormat: 'Text' } },
    ]);
    expect(naive.usage.functions).toEqual([
      { name: 'step', invocations: 2, records: 2, billedMs: 80 },
      { name: 'http', invocations: 1, records: 1, billedMs: 200 },
    ]);
    expect(naive.usage.sqsReceives).toBe(2);
    expect(naive.usage.sqsDeletes).toBe(2);
    expect(naive.usage.readRequestUnits).toBe(5);
    expect(naive.usage.writeRequestUnits).toBe(24);
    expect(naive.usage.events).toBe(2);
  });

  it('keeps the same queues, alarms and keys', () => {
    // Act
    const naive = naiveScenario({ ...aDesign(), alarms: 21, kmsKeys: 1 }, aUsage());

    // Assess
    expect(naive.design).toMatchObject({ polledQueues: 1, alarms: 21, kmsKeys: 1 });
  });

  it('costs what the same arithmetic gives by hand, and the saving follows', () => {
    // Prepare
    const naive = naiveScenario(aDesign(), aUsage());

    // Act
    const naiveCost = costPerMillionOrders(naive.design, naive.usage, PRICES, ASSUMPTIONS);
    const tunedCost = costPerMillionOrders(aDesign(), aUsage(), PRICES, ASSUMPTIONS);

    // Assess: 0.6 requests + 0.035 GB-s x 16.6667 + 6 x 0.4 SQS + idle polling + 2 events + 1 HTTP + 5 RRU x 0.125 + 24 WRU x 0.625 DynamoDB + 1,400 log bytes.
    expect(naiveCost.total).toBeCloseTo(0.6 + 0.035 * 16.6667 + 2.4 + IDLE_USD + 2 + 1 + 5 * 0.125 + 24 * 0.625 + (1400e6 / 1024 ** 3) * 0.5, 5);
    expect(savingVersusNaive(tunedCost, naiveCost)).toBeCloseTo(1 - TOTAL_USD / naiveCost.total, 6);
  });
});

describe('naiveScenario logging', () => {
  it("keeps Lambda's default Text logs, with the platform lines of every invocation, whatever the pipeline's level", () => {
    // Prepare
    const naive = naiveScenario(aDesignLogging(JSON_AT_WARN), aUsage());

    // Act
    const naiveCost = costPerMillionOrders(naive.design, naive.usage, PRICES, ASSUMPTIONS);

    // Assess: 1,000 + 3 invocations x 100 + 1 x 100 bytes an order.
    expect(naive.design.functions.map((fn) => fn.logging)).toEqual([{ logFormat: 'Text' }, { logFormat: 'Text' }]);
    expect(naiveCost.logs).toBeCloseTo((1400e6 / 1024 ** 3) * 0.5, 9);
  });
});

describe('cpuShare', () => {
  it.each([
    { memoryMb: 128, expected: 128 / 1769 },
    { memoryMb: 1769, expected: 1 },
    { memoryMb: 4096, expected: 1 },
  ])('gives $memoryMb MB $expected of a vCPU', ({ memoryMb, expected }) => {
    expect(cpuShare(memoryMb)).toBeCloseTo(expected, 10);
  });
});
