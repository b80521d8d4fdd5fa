/**
 * Cost per million orders on AWS, from the pipeline's design (what the synthesized template
 * says: memory, architecture, batch sizes, windows, alarms, keys) and what one order uses (the
 * counts the end-to-end run observed). Pure arithmetic, so every figure can be checked by hand;
 * the naive baseline is the same arithmetic on a design without the pipeline's choices.
 *
 * What costs by the month whatever the orders (alarms, KMS keys) is spread over an assumed
 * number of orders a month; so are the empty receives of idle long polls, fewer the busier the
 * queues (`sqs-polling.ts`). What costs only when an alarm changes state (the
 * SNS notification, the KMS requests of publishing it) is left out: it depends on incidents,
 * not on orders, and a few state changes a month cost a fraction of a cent.
 *
 * @see ./prices.ts for the prices, their date and their sources.
 */
import { DEFAULT_LOGGING_CONFIG, writesPlatformInvocationLines, type LambdaLoggingConfig } from '#cloud/lambda/logging-config';
import type { Prices } from './prices.ts';
import { emptyReceivesPerSecond, LAMBDA_POLLING, type PollingBehaviour } from './sqs-polling.ts';

/** Lambda's two architectures, as the template spells them. */
export type Architecture = 'arm64' | 'x86_64';

/** One function as the template configures it. */
export interface FunctionDesign {
  /** The handler's name (its folder under `functions/`). */
  readonly name: string;
  readonly memoryMb: number;
  readonly architecture: Architecture;
  /** `BatchSize` of its SQS event source mapping; absent for a function behind the HTTP API. */
  readonly batchSize?: number;
  /** `MaximumBatchingWindowInSeconds` of that mapping. @default 0 */
  readonly batchingWindowSeconds?: number;
  /**
   * Its `LoggingConfig`: whether Lambda writes START, END and REPORT lines for each invocation
   * (not in JSON at system log level WARN).
   * @default Lambda's default: the Text format, every platform line written
   */
  readonly logging?: LambdaLoggingConfig;
}

/** What the template says about the parts that cost. */
export interface PipelineDesign {
  readonly functions: readonly FunctionDesign[];
  /** SQS queues polled by an event source mapping (each costs its idle long polls). */
  readonly polledQueues: number;
  /**
   * CloudWatch metric alarms, each a fixed price a month (standard resolution: the pipeline's
   * alarms evaluate 1-minute periods).
   * @default 0 (a design read before alarms were counted)
   */
  readonly alarms?: number;
  /**
   * Customer managed KMS keys, each a fixed price a month.
   * @default 0 (a design read before keys were counted)
   */
  readonly kmsKeys?: number;
}

/** What one function did, per order. */
export interface FunctionUsage {
  readonly name: string;
  /** Invocations per order. */
  readonly invocations: number;
  /** Records (SQS messages, HTTP requests) per order. */
  readonly records: number;
  /** Billed milliseconds per order: each invocation's duration rounded up to 1 ms, summed. */
  readonly billedMs: number;
}

/** What one order uses, on average over a run. */
export interface OrderUsage {
  readonly functions: readonly FunctionUsage[];
  /** Events put on the bus, in billed 64 KB chunks. */
  readonly events: number;
  /** Bytes of those events, as archived. */
  readonly eventBytes: number;
  /** SendMessage requests by EventBridge, one per delivery to a queue. */
  readonly sqsSends: number;
  /** ReceiveMessage requests that returned messages (idle long polls are modelled apart). */
  readonly sqsReceives: number;
  /** DeleteMessageBatch requests (up to 10 messages each). */
  readonly sqsDeletes: number;
  /** SendMessage requests of handlers parking a record in a DLQ. */
  readonly sqsParked: number;
  /** Requests to the HTTP API (POST /orders, and any GET). */
  readonly httpRequests: number;
  readonly readRequestUnits: number;
  readonly writeRequestUnits: number;
  /**
   * The DynamoDB units of the same orders had the read model applied each event on its own, as a
   * projection handed one record per invocation does: a read and a write of the view per event,
   * where the pipeline's projection applies the events of an order that share a batch together.
   */
  readonly unitsProjectingEachEventAlone: { readonly readRequestUnits: number; readonly writeRequestUnits: number };
  /** Bytes the functions themselves log (structured JSON lines, EMF metrics). */
  readonly functionLogBytes: number;
}

/** Assumptions of the model that are not in the template or the counts. */
export interface CostAssumptions {
  /**
   * Orders a month, at an even rate: the fixed monthly costs (alarms, KMS keys) are spread over
   * them, and the queues' message rates (so their empty receives) follow from them.
   * @default - required
   */
  readonly ordersPerMonth: number;
  /**
   * How Lambda's pollers poll each queue: they make the empty receives priced as idle polling,
   * fewer the more messages arrive (see `emptyReceivesPerSecond`).
   * @default {@link LAMBDA_POLLING}
   */
  readonly polling?: PollingBehaviour;
  /**
   * Bytes of the START, END and REPORT lines Lambda writes per invocation of a function whose
   * logging configuration lets them through (see {@link FunctionDesign.logging}). @default 330
   */
  readonly platformLogBytesPerInvocation?: number;
  /** Bytes of one HTTP API access-log line (the stage's JSON format). @default 360 */
  readonly accessLogBytesPerRequest?: number;
}

/** US dollars per million orders, by service. */
export interface CostBreakdown {
  readonly lambdaRequests: number;
  readonly lambdaDuration: number;
  readonly sqs: number;
  readonly sqsIdlePolling: number;
  readonly eventBridge: number;
  readonly apiGateway: number;
  readonly dynamoDb: number;
  readonly logs: number;
  /** The alarms and the KMS keys, by the month. */
  readonly monitoring: number;
  readonly total: number;
}

const MILLION = 1_000_000;
/** A month of 30 days, the period monthly prices are spread over. */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;
const GIB = 1024 ** 3;
/** Below this memory a function gets less than one vCPU, in proportion to its memory. */
export const FULL_VCPU_MEMORY_MB = 1769;

/**
 * The cost of a million orders of `usage` on `design` at `prices`.
 * @throws RangeError when a function in `usage` is not in `design` (its memory would be unknown).
 */
export function costPerMillionOrders(design: PipelineDesign, usage: OrderUsage, prices: Prices, assumptions: CostAssumptions): CostBreakdown {
  const designs = new Map(design.functions.map((fn) => [fn.name, fn]));
  let invocations = 0;
  let invocationsWithPlatformLines = 0;
  let gbSecondsArm = 0;
  let gbSecondsX86 = 0;
  for (const fn of usage.functions) {
    const configured = designs.get(fn.name);
    if (configured === undefined) throw new RangeError(`function ${fn.name} is in the usage but not in the design`);
    invocations += fn.invocations;
    if (writesPlatformInvocationLines(configured.logging ?? DEFAULT_LOGGING_CONFIG)) invocationsWithPlatformLines += fn.invocations;
    const gbSeconds = (configured.memoryMb / 1024) * (fn.billedMs / 1000);
    if (configured.architecture === 'arm64') gbSecondsArm += gbSeconds;
    else gbSecondsX86 += gbSeconds;
  }
  const platformLogBytes = assumptions.platformLogBytesPerInvocation ?? 330;
  const accessLogBytes = assumptions.accessLogBytesPerRequest ?? 360;
  const logBytes = usage.functionLogBytes + platformLogBytes * invocationsWithPlatformLines + accessLogBytes * usage.httpRequests;

  const idleReceivesPerOrder = emptyReceivesPerOrder(design, usage, assumptions);

  const perMillion = (countPerOrder: number, pricePerMillion: number) => countPerOrder * pricePerMillion;
  const breakdown = {
    lambdaRequests: perMillion(invocations, prices.lambdaRequests.usd),
    lambdaDuration: MILLION * (gbSecondsArm * prices.lambdaGbSecondArm64.usd + gbSecondsX86 * prices.lambdaGbSecondX86.usd),
    sqs: perMillion(usage.sqsSends + usage.sqsReceives + usage.sqsDeletes + usage.sqsParked, prices.sqsStandardRequests.usd),
    sqsIdlePolling: perMillion(idleReceivesPerOrder, prices.sqsStandardRequests.usd),
    eventBridge: perMillion(usage.events, prices.eventBridgeCustomEvents.usd) + (MILLION * usage.eventBytes * prices.eventBridgeArchiveProcessing.usd) / GIB,
    apiGateway: perMillion(usage.httpRequests, prices.httpApiRequests.usd),
    dynamoDb: perMillion(usage.readRequestUnits, prices.dynamoDbReadRequestUnits.usd) + perMillion(usage.writeRequestUnits, prices.dynamoDbWriteRequestUnits.usd),
    logs: (MILLION * logBytes * prices.cloudWatchLogsIngestion.usd) / GIB,
    monitoring: (MILLION * ((design.alarms ?? 0) * prices.cloudWatchStandardAlarms.usd + (design.kmsKeys ?? 0) * prices.kmsCustomerManagedKeys.usd)) / assumptions.ordersPerMonth,
  };
  return { ...breakdown, total: Object.values(breakdown).reduce((sum, value) => sum + value, 0) };
}

/**
 * Empty receives per order: each polled queue's pollers at the rate of its messages (the
 * orders a second times its function's records per order); a queue whose function did nothing
 * in `usage` is idle.
 */
function emptyReceivesPerOrder(design: PipelineDesign, usage: OrderUsage, assumptions: CostAssumptions): number {
  const polling = assumptions.polling ?? LAMBDA_POLLING;
  const ordersPerSecond = assumptions.ordersPerMonth / SECONDS_PER_MONTH;
  const recordsPerOrder = new Map(usage.functions.map((fn) => [fn.name, fn.records]));
  const polled = design.functions.filter((fn) => fn.batchSize !== undefined);
  // Queues the design counts without naming their function (none today) are taken as idle.
  let perSecond = Math.max(0, design.polledQueues - polled.length) * emptyReceivesPerSecond(0, polling);
  for (const fn of polled) perSecond += emptyReceivesPerSecond(ordersPerSecond * (recordsPerOrder.get(fn.name) ?? 0), polling);
  return perSecond / ordersPerSecond;
}

/** How the naive baseline differs from the pipeline's design. */
export const NAIVE_DESIGN = {
  memoryMb: 128,
  architecture: 'x86_64',
  batchSize: 1,
  /** Each step writes its state and its status apart: twice the write units. */
  writesPerStepFactor: 2,
  /** Lambda's default logging: the Text format, with START, END and REPORT lines for every invocation. */
  logging: DEFAULT_LOGGING_CONFIG,
} as const;

/**
 * The naive baseline of the same pipeline doing the same work: every function on x86_64 with
 * 128 MB, one record per invocation (so one receive and one delete per message, and a read model
 * that applies each event on its own: {@link OrderUsage.unitsProjectingEachEventAlone}), two
 * DynamoDB writes where that design makes one; the same queues, alarms and keys. Durations scale with the CPU Lambda allots, which is
 * proportional to memory below {@link FULL_VCPU_MEMORY_MB}: a record that took `t` ms at 256 MB
 * takes `t x 256 / 128` ms at 128 MB. That treats the whole invocation as CPU-bound, so it
 * overstates the naive duration of I/O-bound steps; the per-invocation overhead that batching
 * saved is not added back, which understates it. Lambda's default logging (Text) writes the
 * platform lines of every invocation. Events, deliveries, HTTP requests, the steps' reads and the
 * functions' own log lines stay as observed: the same work, and the lines the pipeline's log
 * level left out are not added back, which understates the naive baseline's logs.
 */
export function naiveScenario(design: PipelineDesign, usage: OrderUsage): { readonly design: PipelineDesign; readonly usage: OrderUsage } {
  const designs = new Map(design.functions.map((fn) => [fn.name, fn]));
  const functions = usage.functions.map((fn): FunctionUsage => {
    const configured = designs.get(fn.name);
    if (configured === undefined) throw new RangeError(`function ${fn.name} is in the usage but not in the design`);
    const slowdown = cpuShare(NAIVE_DESIGN.memoryMb) > 0 ? cpuShare(configured.memoryMb) / cpuShare(NAIVE_DESIGN.memoryMb) : 1;
    if (configured.batchSize === undefined) return { ...fn, billedMs: fn.billedMs * slowdown };
    const msPerRecord = fn.records > 0 ? fn.billedMs / fn.records : 0;
    // One record per invocation, each rounded up to a whole millisecond on its own.
    return { name: fn.name, invocations: fn.records, records: fn.records, billedMs: fn.records * Math.ceil(msPerRecord * slowdown) };
  });
  const sqsFedRecords = functions.filter((fn) => designs.get(fn.name)?.batchSize !== undefined).reduce((sum, fn) => sum + fn.records, 0);
  return {
    design: {
      ...design,
      functions: design.functions.map((fn) => ({
        ...fn,
        memoryMb: NAIVE_DESIGN.memoryMb,
        architecture: NAIVE_DESIGN.architecture,
        logging: NAIVE_DESIGN.logging,
        ...(fn.batchSize === undefined ? {} : { batchSize: NAIVE_DESIGN.batchSize, batchingWindowSeconds: 0 }),
      })),
    },
    usage: {
      ...usage,
      functions,
      sqsReceives: sqsFedRecords,
      sqsDeletes: sqsFedRecords,
      readRequestUnits: usage.unitsProjectingEachEventAlone.readRequestUnits,
      writeRequestUnits: usage.unitsProjectingEachEventAlone.writeRequestUnits * NAIVE_DESIGN.writesPerStepFactor,
    },
  };
}

/** The share of a vCPU Lambda gives a function of `memoryMb` (1 at and above 1,769 MB). */
export function cpuShare(memoryMb: number): number {
  return Math.min(1, memoryMb / FULL_VCPU_MEMORY_MB);
}

/** `1 - tuned / naive`: the fraction the pipeline's design saves. */
export function savingVersusNaive(tuned: CostBreakdown, naive: CostBreakdown): number {
  return 1 - tuned.total / naive.total;
}
