/**
 * A soak: start a local cloud with faults, place a seeded mix of orders concurrently, wait
 * until the pipeline is idle, clear the faults, redrive every DLQ, wait again, read the state
 * through the cloud's public interfaces and judge it with the invariants. The `npm run soak`
 * command and the fault-injection tests both run this.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import type { OrderView } from '#shared/order-view';
import type { InjectedFaultCounts } from '#cloud/faults/fault-injector';
import { formatFaultSpec, type FaultSpec } from '#cloud/faults/fault-spec';
import type { ExecutionEnvironmentOptions, LocalCloud, LocalCloudOptions } from '#cloud/local-cloud';
import { startOrderPipelineCloud } from '#local/order-pipeline-cloud';
import { mapConcurrently } from '#local/soak/concurrency';
import { deadLetterRoutes } from '#local/soak/dead-letter-routes';
import { checkInvariants, type AcceptedOrder, type DeadLetter, type InvariantResult } from '#local/soak/invariants';
import { placeOrder } from '#local/soak/order-client';
import { planOrders } from '#local/order-mix';
import { PipelineObserver, type DeliveryCounts, type FunctionRecordCounts } from '#local/soak/pipeline-observer';
import { messagesIn, queueUrls, readDeadLetters, readInventory, readLedger, readOrderViews } from '#local/soak/pipeline-state';
import { redriveDeadLetters, type RedriveCounts } from '#local/soak/redrive';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

/** Options of {@link runSoak}. */
export interface SoakOptions {
  /** How many orders to place. */
  readonly orders: number;
  readonly faults: FaultSpec;
  /** Seeds the faults and the order mix: the same seed places the same orders under the same fault decisions. */
  readonly seed: number;
  /** POSTs in flight at once (and GETs when reading the views). @default 20 */
  readonly concurrency?: number;
  /** See `LocalCloudOptions.visibilityTimeoutScale`. @default 0.1: failed records come back after their function's timeout (10 s) instead of 60 s */
  readonly visibilityTimeoutScale?: number;
  /** See `LocalCloudOptions.eventBridgeRetryBaseDelayMs`. @default 100 ms */
  readonly eventBridgeRetryBaseDelayMs?: number;
  /** A synthesized assembly to run (tests synthesize once). @default synthesize into `outdir` */
  readonly assemblyDirectory?: string;
  /** @default 'cdk.out' */
  readonly outdir?: string;
  /** How long each wait for the pipeline to go idle may last. @default 10 minutes */
  readonly idleTimeoutMs?: number;
  /** Progress lines. @default discarded */
  readonly onProgress?: (line: string) => void;
  /** Runs while the orders are placed, with the running cloud (a test puts poison events on the bus here). */
  readonly alongside?: (cloud: LocalCloud) => Promise<void>;
  /** See `LocalCloudOptions.executionEnvironments`. @default the local cloud's */
  readonly executionEnvironments?: ExecutionEnvironmentOptions;
  /** See `LocalCloudOptions.functionLogs`. @default discarded */
  readonly functionLogs?: LocalCloudOptions['functionLogs'];
  /** Runs once the soak is judged, before the cloud stops (a test reads what the cloud kept here). */
  readonly beforeStop?: (cloud: LocalCloud) => Promise<void>;
}

/** The functions' execution environments (worker threads) over a soak. */
export interface EnvironmentCounts {
  /** The most the cloud allows alive at once. */
  readonly limit: number;
  /** The most that were alive at once. */
  readonly peak: number;
  /** Environments started (cold starts), replacements of timed-out or crashed ones included. */
  readonly coldStarts: number;
  /** Alive when the soak ended. */
  readonly aliveAtEnd: number;
}

/** What a soak saw and concluded. */
export interface SoakReport {
  readonly seed: number;
  readonly faults: string;
  readonly planned: number;
  readonly accepted: readonly AcceptedOrder[];
  /** POSTs that never got a 202, with why. */
  readonly refused: readonly string[];
  /** POSTs that needed more than one attempt. */
  readonly retriedPosts: number;
  readonly durationMs: number;
  readonly phaseMs: { readonly place: number; readonly settle: number; readonly redrive: number };
  /** Orders whose customer was notified before the redrive. */
  readonly settledBeforeRedrive: number;
  /** Final statuses, e.g. `notified`, `cancelled (CARD_DECLINED)`. */
  readonly statusCounts: ReadonlyMap<string, number>;
  readonly injected: InjectedFaultCounts;
  /** Record counts per function (physical name). */
  readonly records: ReadonlyMap<string, FunctionRecordCounts>;
  readonly deliveries: DeliveryCounts;
  readonly eventCounts: ReadonlyMap<string, number>;
  readonly deadLettersBeforeRedrive: readonly DeadLetter[];
  readonly redriven: RedriveCounts;
  readonly deadLettersAfterRedrive: readonly DeadLetter[];
  readonly invariants: readonly InvariantResult[];
  readonly executionEnvironments: EnvironmentCounts;
  /** Whether every invariant holds. */
  readonly passed: boolean;
}

/** A look costs one GetQueueAttributes per step queue, in-process: cheap enough to look often, so a soak's three waits end soon after the pipeline goes idle. */
const IDLE_POLL_MS = 100;
const PROGRESS_EVERY_MS = 5_000;
/** Idle twice in a row: one look could fall between a delete and the send it triggers. */
const IDLE_CHECKS = 2;
const LOCAL_CREDENTIALS = { accessKeyId: 'soak', secretAccessKey: 'soak' };

/** Runs a soak; see the module comment. The cloud is stopped when it ends. */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const progress = options.onProgress ?? (() => undefined);
  const concurrency = options.concurrency ?? 20;
  const started = Date.now();
  const observer = new PipelineObserver();
  progress(`starting the local cloud (faults ${formatFaultSpec(options.faults)}, seed ${options.seed})`);
  const cloud = await startOrderPipelineCloud({
    awsPort: 0,
    httpPort: 0,
    assemblyDirectory: options.assemblyDirectory,
    outdir: options.outdir,
    faults: options.faults,
    seed: options.seed,
    visibilityTimeoutScale: options.visibilityTimeoutScale ?? 0.1,
    eventBridgeRetryBaseDelayMs: options.eventBridgeRetryBaseDelayMs,
    ...(options.executionEnvironments === undefined ? {} : { executionEnvironments: options.executionEnvironments }),
    ...(options.functionLogs === undefined ? {} : { functionLogs: options.functionLogs }),
    ...observer.hooks(),
  });
  const clientConfig = { region: cloud.region, endpoint: cloud.awsEndpoint, credentials: LOCAL_CREDENTIALS };
  const sqs = new SQSClient(clientConfig);
  const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig));
  // Each planned customer signs in to the stack's user pool; their orders are theirs to read.
  const tokens = CustomerTokens.fromOutputs(clientConfig, cloud.outputs);
  try {
    const routes = deadLetterRoutes(cloud.plan);
    const stepQueueUrls = [...(await queueUrls(sqs, cloud.plan.eventSourceMappings.map((mapping) => mapping.queueName))).values()];
    const waitUntilIdle = (phase: string, accepted: readonly AcceptedOrder[]) =>
      untilIdle({ observer, accepted, isBusy: async () => observer.pendingDeliveries > 0 || (await messagesIn(sqs, stepQueueUrls)) > 0, timeoutMs: options.idleTimeoutMs ?? 600_000, phase, progress });

    const planned = planOrders(options.orders, options.seed);
    let placedCount = 0;
    const authorizations = await Promise.all(planned.map((plan) => tokens.authorizationOf(plan.order.customer.customerId)));
    const [outcomes] = await Promise.all([
      mapConcurrently(planned, concurrency, async (plan, index) => {
        const outcome = await placeOrder(cloud.httpApiUrl, authorizations[index] as string, plan.order, plan.idempotencyKey);
        placedCount += 1;
        if (placedCount % 250 === 0) progress(`placed ${placedCount}/${planned.length} orders, ${observer.settledOrders.size} settled`);
        return outcome;
      }),
      options.alongside?.(cloud),
    ]);
    const accepted: AcceptedOrder[] = outcomes.flatMap((outcome, index) => {
      const plan = planned[index];
      return outcome.accepted && plan ? [{ orderId: outcome.orderId, items: plan.order.items, expected: plan.expected }] : [];
    });
    const placedAt = Date.now();
    progress(`placed ${planned.length} orders (${accepted.length} accepted) in ${seconds(placedAt - started)}`);

    await waitUntilIdle('settling under faults', accepted);
    const settledBeforeRedrive = accepted.filter((order) => observer.settledOrders.has(order.orderId)).length;
    cloud.faults.clear();
    await waitUntilIdle('draining after the faults were cleared', accepted);
    const settledAt = Date.now();

    const deadLettersBeforeRedrive = await readDeadLetters(sqs, routes);
    progress(`faults cleared; ${settledBeforeRedrive}/${accepted.length} orders settled; redriving ${deadLettersBeforeRedrive.length} dead letter(s)`);
    const redriven = await redriveDeadLetters(sqs, routes);
    await waitUntilIdle('settling after the redrive', accepted);
    const deadLettersAfterRedrive = await readDeadLetters(sqs, routes);
    const redrivenAt = Date.now();

    const owned = outcomes.flatMap((outcome, index) => (outcome.accepted ? [{ orderId: outcome.orderId, authorization: authorizations[index] as string }] : []));
    const views = await readOrderViews(cloud.httpApiUrl, owned, concurrency);
    const invariants = checkInvariants({
      orders: accepted,
      views,
      ledger: await readLedger(dynamodb, outputOf(cloud, 'LedgerTableName')),
      inventory: await readInventory(dynamodb, outputOf(cloud, 'InventoryTableName')),
      seededStock: new Map(DEMO_CATALOGUE.map((entry) => [entry.sku, entry.initialStock])),
      paymentIdsSeen: observer.paymentIds,
      deadLettersBeforeRedrive,
      deadLettersAfterRedrive,
      lostDeliveries: observer.lostDeliveries,
    });
    await options.beforeStop?.(cloud);
    return {
      seed: options.seed,
      faults: formatFaultSpec(options.faults),
      planned: planned.length,
      accepted,
      refused: outcomes.flatMap((outcome) => (outcome.accepted ? [] : [outcome.reason])),
      retriedPosts: outcomes.filter((outcome) => outcome.attempts > 1).length,
      durationMs: Date.now() - started,
      phaseMs: { place: placedAt - started, settle: settledAt - placedAt, redrive: redrivenAt - settledAt },
      settledBeforeRedrive,
      statusCounts: countStatuses(views),
      injected: cloud.faults.injected(),
      records: observer.records,
      deliveries: observer.deliveries,
      eventCounts: observer.eventCounts,
      deadLettersBeforeRedrive,
      redriven,
      deadLettersAfterRedrive,
      invariants,
      executionEnvironments: environmentCounts(cloud),
      passed: invariants.every((result) => result.holds),
    };
  } finally {
    tokens.destroy();
    sqs.destroy();
    dynamodb.destroy();
    await cloud.stop();
  }
}

/**
 * Waits until no delivery is pending and every step queue is empty (nothing visible, in
 * flight or delayed): then nothing more will happen without a redrive. Orders stuck in a DLQ
 * do not keep it waiting.
 */
async function untilIdle(context: {
  readonly observer: PipelineObserver;
  readonly accepted: readonly AcceptedOrder[];
  readonly isBusy: () => Promise<boolean>;
  readonly timeoutMs: number;
  readonly phase: string;
  readonly progress: (line: string) => void;
}): Promise<void> {
  const started = Date.now();
  let idleChecks = 0;
  let lastProgress = started;
  while (idleChecks < IDLE_CHECKS) {
    await sleep(IDLE_POLL_MS);
    idleChecks = (await context.isBusy()) ? 0 : idleChecks + 1;
    const now = Date.now();
    if (now - lastProgress >= PROGRESS_EVERY_MS) {
      lastProgress = now;
      const settled = context.accepted.filter((order) => context.observer.settledOrders.has(order.orderId)).length;
      const failed = [...context.observer.records.values()].reduce((sum, counts) => sum + counts.failed, 0);
      context.progress(`${context.phase}: ${settled}/${context.accepted.length} settled, ${context.observer.pendingDeliveries} deliveries pending, ${failed} failed records so far (${seconds(now - started)})`);
    }
    if (now - started > context.timeoutMs) throw new Error(`${context.phase}: the pipeline was still busy after ${seconds(context.timeoutMs)}`);
  }
}

function environmentCounts(cloud: LocalCloud): EnvironmentCounts {
  const functions = [...cloud.functions.values()];
  return {
    limit: cloud.executionEnvironments.limit,
    peak: cloud.executionEnvironments.peak,
    coldStarts: functions.reduce((sum, fn) => sum + fn.coldStarts, 0),
    aliveAtEnd: functions.reduce((sum, fn) => sum + fn.environmentCount, 0),
  };
}

function outputOf(cloud: LocalCloud, key: string): string {
  const value = cloud.outputs[key];
  if (value === undefined) throw new Error(`the stack has no output ${key}`);
  return value;
}

function countStatuses(views: ReadonlyMap<string, OrderView | undefined>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const view of views.values()) {
    const status = view === undefined ? 'unknown (404)' : view.status === 'cancelled' ? `cancelled (${view.reason?.code ?? 'no reason'})` : view.status;
    counts.set(status, (counts.get(status) ?? 0) + 1);
  }
  return counts;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
