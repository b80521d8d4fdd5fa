/**
 * Cost per million orders as a curve over the order rate, not a point: at low rates each
 * receive and each invocation carries one message and idle pollers' empty receives weigh on
 * every order; at production rates batches fill. The counts of the end-to-end run (records,
 * events, deliveries, DynamoDB units, log bytes per order) are kept; what depends on the rate
 * (records per invocation, receives, deletes, empty receives, billed milliseconds, the monthly
 * costs spread over the orders) is recomputed at each rate from the mappings' batch sizes and
 * windows (`sqs-polling.ts`). The naive design goes through the same arithmetic.
 *
 * Left as observed: the pipeline's projection's writes per order (several events of an order
 * applied by one write when they share a batch), which the run measured at its own rate. The
 * naive design's projection writes once per event at every rate: one record per invocation.
 */
import { costPerMillionOrders, naiveScenario, SECONDS_PER_MONTH, type CostBreakdown, type FunctionUsage, type OrderUsage, type PipelineDesign } from './cost-model.ts';
import type { Prices } from './prices.ts';
import { batchShape, LAMBDA_POLLING, type PollingBehaviour } from './sqs-polling.ts';

/** The rates the curve prices, in orders a second. */
export const CURVE_RATES = [1, 10, 100, 1_000] as const;

/** One point of the curve: USD per million orders at a rate, the design's and the naive one's. */
export interface CostCurvePoint {
  readonly ordersPerSecond: number;
  readonly perMillionOrders: number;
  readonly naivePerMillionOrders: number;
}

/** A point with both breakdowns, by service. */
export interface PricedRate extends CostCurvePoint {
  readonly breakdown: CostBreakdown;
  readonly naiveBreakdown: CostBreakdown;
}

/**
 * `usage` as it would be at `ordersPerSecond` on `design`: each SQS-fed function's records
 * per order unchanged, in the batches its mapping forms at that rate (its queue gets the orders
 * a second times its records per order); the receives and deletes those batches take. A
 * batch's billed duration is its records times the milliseconds a record took in the run
 * (per-invocation overhead included at the run's batch size), rounded up to 1 ms.
 * @throws RangeError when a function in `usage` is not in `design`.
 */
export function usageAtRate(design: PipelineDesign, usage: OrderUsage, ordersPerSecond: number, polling: PollingBehaviour = LAMBDA_POLLING): OrderUsage {
  const designs = new Map(design.functions.map((fn) => [fn.name, fn]));
  let sqsReceives = 0;
  let sqsDeletes = 0;
  const functions = usage.functions.map((fn): FunctionUsage => {
    const configured = designs.get(fn.name);
    if (configured === undefined) throw new RangeError(`function ${fn.name} is in the usage but not in the design`);
    if (configured.batchSize === undefined || fn.records === 0) return fn;
    const msPerRecord = fn.billedMs / fn.records;
    const mapping = { batchSize: configured.batchSize, batchingWindowSeconds: configured.batchingWindowSeconds ?? 0 };
    const shape = batchShape(mapping, ordersPerSecond * fn.records, msPerRecord / 1000, polling);
    const invocations = fn.records / shape.recordsPerBatch;
    sqsReceives += invocations * shape.receivesPerBatch;
    sqsDeletes += invocations * shape.deletesPerBatch;
    return { name: fn.name, invocations, records: fn.records, billedMs: invocations * Math.ceil(msPerRecord * shape.recordsPerBatch) };
  });
  return { ...usage, functions, sqsReceives, sqsDeletes };
}

/** The design and the naive design priced at `ordersPerSecond`, orders arriving evenly all month. */
export function priceAtRate(design: PipelineDesign, usage: OrderUsage, prices: Prices, ordersPerSecond: number, polling: PollingBehaviour = LAMBDA_POLLING): PricedRate {
  const assumptions = { ordersPerMonth: ordersPerSecond * SECONDS_PER_MONTH, polling };
  const naive = naiveScenario(design, usage);
  const breakdown = costPerMillionOrders(design, usageAtRate(design, usage, ordersPerSecond, polling), prices, assumptions);
  const naiveBreakdown = costPerMillionOrders(naive.design, usageAtRate(naive.design, naive.usage, ordersPerSecond, polling), prices, assumptions);
  return { ordersPerSecond, perMillionOrders: breakdown.total, naivePerMillionOrders: naiveBreakdown.total, breakdown, naiveBreakdown };
}

/** The curve: {@link priceAtRate} at each of `rates`. */
export function costCurve(design: PipelineDesign, usage: OrderUsage, prices: Prices, rates: readonly number[] = CURVE_RATES, polling: PollingBehaviour = LAMBDA_POLLING): CostCurvePoint[] {
  return rates.map((rate) => {
    const { ordersPerSecond, perMillionOrders, naivePerMillionOrders } = priceAtRate(design, usage, prices, rate, polling);
    return { ordersPerSecond, perMillionOrders, naivePerMillionOrders };
  });
}
