/**
 * The handlers' own logic per order, with no I/O: the order mix placed through place-order's
 * handler and carried through every SQS-fed step's handler (record parsing and validation, the
 * step's checks and domain logic, Powertools' batch processing), with the ports, the bus and
 * the queues in memory. The `e2e` group's floor is the SDK calls' cost plus this: what an order
 * costs at the least with the same handlers, whatever serves their calls.
 *
 * Written here rather than taken from a library: it drives this project's own handlers.
 * The Lambda entry points' glue (SDK clients, the runtime's event hand-over) is not in it: the
 * SDK calls' term covers the clients, and the runtime is the platform's.
 */
import type { APIGatewayProxyEventV2, Context, SQSRecord } from 'aws-lambda';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { randomUUID } from 'node:crypto';
import { EventSourceOf, type DetailType, type DomainEvent } from '#shared/contracts';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import { ConcurrentUpdateError, InsufficientStockError } from '#shared/errors';
import type { OrderView } from '#shared/order-view';
import { consumedBy, STEP_NAMES, type StepName } from '#shared/pipeline-graph';
import type { Catalogue, EventPublisher, IdempotencyKeys, OrderContact, OrderContactKeeper, OrderContactReader, OrderViewStore, PaymentIntent, PaymentIntentIssuer, PaymentIntentRedeemer, StepLedger, StockChange, StockLevel } from '#shared/ports';
import { paymentIntentIdOf } from '#shared/adapters/dynamodb-payment-intents';
import { metrics as sharedMetrics } from '#shared/runtime/observability';
import { sqsStepHandler } from '#shared/runtime/sqs-step-handler';
import { cancelOrder } from '#shared/steps/cancel-order';
import { capturePayment } from '#shared/steps/capture-payment';
import { notifyCustomer } from '#shared/steps/notify-customer';
import { projectOrder } from '#shared/steps/project-order';
import { releaseInventory } from '#shared/steps/release-inventory';
import { reserveInventory } from '#shared/steps/reserve-inventory';
import { shipOrder } from '#shared/steps/ship-order';
import { stepProcess, type StepLogic } from '#shared/steps/step';
import { placeOrderHandler } from '../functions/place-order/place-order-handler.ts';
import { plannedOrder } from '#local/order-mix';
import { steadyCpuMsPerOperation, type SteadyCpuOptions } from './steady-cpu.ts';

/** Orders a batch, batches before measuring and batches measured: V8 settles after a few hundred orders. */
const BATCHING = { batchSize: 200, warmupBatches: 3, measuredBatches: 5 } as const;
/** The measurement stops here with what it has, so a starved machine cannot stall the bench. */
const MAX_MEASURE_MS = 30_000;

/** Every SQS-fed step's logic, by name. */
const STEP_LOGIC: { readonly [S in StepName]: StepLogic<S> } = {
  'reserve-inventory': reserveInventory,
  'capture-payment': capturePayment,
  'ship-order': shipOrder,
  'notify-customer': notifyCustomer,
  'release-inventory': releaseInventory,
  'cancel-order': cancelOrder,
  'project-order': projectOrder,
};

/** The result of {@link measureHandlerLogicMs}. */
export interface HandlerLogicFloor {
  /** CPU milliseconds of the handlers' own logic per order, over the order mix. */
  readonly msPerOrder: number;
  /** Handler invocations per order (one record each). */
  readonly invocationsPerOrder: number;
  /** Orders measured. */
  readonly orders: number;
}

/** How {@link measureHandlerLogicMs} batches the orders of the mix (indices from 0). */
export type HandlerLogicBatching = Partial<Omit<SteadyCpuOptions, 'maxMs'>>;

/** Measures the handlers' own logic per order of the mix for `seed`; see the module comment. */
export async function measureHandlerLogicMs(seed: number, batching: HandlerLogicBatching = {}): Promise<HandlerLogicFloor> {
  // The handlers' EMF metric lines are serialized as in Lambda, but not written to the bench's
  // terminal: Powertools writes them to stdout whatever logger it is given.
  const write = process.stdout.write;
  process.stdout.write = ((_chunk: unknown, encoding?: unknown, callback?: unknown) => {
    (typeof encoding === 'function' ? encoding : callback as (() => void) | undefined)?.();
    return true;
  }) as typeof process.stdout.write;
  try {
    return await measure(seed, { ...BATCHING, ...batching, maxMs: MAX_MEASURE_MS });
  } finally {
    process.stdout.write = write;
  }
}

async function measure(seed: number, options: SteadyCpuOptions): Promise<HandlerLogicFloor> {
  const pipeline = new InMemoryPipeline();
  let carried = 0;
  const steady = await steadyCpuMsPerOperation(async (index) => {
    await pipeline.carry(index, seed);
    carried += 1;
  }, options);
  // The mix is the same for every run of the seed: invocations per order over every order carried.
  return { msPerOrder: steady.msPerOperation, invocationsPerOrder: pipeline.invocations / carried, orders: steady.operations };
}

/** The handlers wired to in-memory ports, a bus that hands each event to its consumers' handlers. */
class InMemoryPipeline {
  invocations = 0;
  readonly #pending: DomainEvent[] = [];
  readonly #publisher: EventPublisher = { publish: async (events) => void this.#pending.push(...events) };
  readonly #views = new InMemoryOrderViews();
  readonly #ledger = new InMemoryLedger();
  readonly #catalogue = new InMemoryCatalogue();
  readonly #paymentIntents = new InMemoryPaymentIntents();
  readonly #orderContacts = new InMemoryOrderContacts();
  // Silent, and cleared after each invocation: the real ones write to the function's log.
  readonly #logger = new Logger({ logLevel: 'SILENT' });
  readonly #metrics = new Metrics({ namespace: 'bench', serviceName: 'bench' });
  readonly #place = placeOrderHandler({ publisher: this.#publisher, orderViews: this.#views, idempotencyKeys: new InMemoryIdempotencyKeys(), paymentIntentIssuer: this.#paymentIntents, orderContactKeeper: this.#orderContacts });
  readonly #consumers = new Map<DetailType, ((record: SQSRecord) => Promise<unknown>)[]>();

  constructor() {
    for (const step of STEP_NAMES) {
      const process = stepProcess(step, STEP_LOGIC[step] as StepLogic<typeof step>, {
        catalogue: () => this.#catalogue,
        orderViews: () => this.#views,
        orderViewReader: () => this.#views,
        ledger: () => this.#ledger,
        paymentIntentDiscarder: () => this.#paymentIntents,
        paymentIntentRedeemer: () => this.#paymentIntents,
        orderContactReader: () => this.#orderContacts,
      });
      const handler = sqsStepHandler({ step, process, publisher: this.#publisher, parking: { park: async () => undefined }, maxReceiveCount: 4, logger: this.#logger, metrics: this.#metrics });
      for (const type of consumedBy(step)) {
        const consumers = this.#consumers.get(type) ?? [];
        consumers.push((record) => handler({ Records: [record] }, LAMBDA_CONTEXT));
        this.#consumers.set(type, consumers);
      }
    }
  }

  /** Places order `index` of the mix and hands every event it leads to to its consumers, until none is left. */
  async carry(index: number, seed: number): Promise<void> {
    const { order } = plannedOrder(index, seed);
    const answer = await this.#place(httpRequest(JSON.stringify(order), order.customer.customerId, order.customer.email));
    this.invocations += 1;
    if (typeof answer !== 'object' || answer.statusCode !== 202) throw new Error(`place-order answered ${JSON.stringify(answer)}`);
    for (let event = this.#pending.shift(); event !== undefined; event = this.#pending.shift()) {
      for (const consume of this.#consumers.get(event.detailType) ?? []) {
        const result = (await consume(sqsRecord(event))) as { batchItemFailures: unknown[] };
        this.invocations += 1;
        this.#metrics.clearMetrics();
        sharedMetrics.clearMetrics();
        if (result.batchItemFailures.length > 0) throw new Error(`a step failed ${event.detailType} of order ${index}`);
      }
    }
  }
}

const LAMBDA_CONTEXT = { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10_000 } as unknown as Context;

/** The API's payload 2.0 event of POST /orders by a customer the JWT authorizer verified. */
function httpRequest(body: string, customerId: string, email: string): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /orders',
    rawPath: '/orders',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    body,
    isBase64Encoded: false,
    requestContext: { authorizer: { jwt: { claims: { sub: customerId, email }, scopes: [] } }, http: { method: 'POST', path: '/orders' } },
  } as unknown as APIGatewayProxyEventV2;
}

/** The SQS record of `event` as EventBridge delivers it to a queue. */
function sqsRecord(event: DomainEvent): SQSRecord {
  const id = randomUUID();
  const body = JSON.stringify({
    version: '0',
    id,
    'detail-type': event.detailType,
    source: EventSourceOf[event.detailType],
    account: '000000000000',
    time: new Date().toISOString(),
    region: 'us-east-1',
    resources: [],
    detail: event.detail,
  });
  return { messageId: id, receiptHandle: 'bench', body, attributes: { ApproximateReceiveCount: '1' }, messageAttributes: {}, md5OfBody: '', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:bench', awsRegion: 'us-east-1' } as unknown as SQSRecord;
}

class InMemoryOrderViews implements OrderViewStore {
  readonly #views = new Map<string, OrderView>();

  async get(orderId: string): Promise<OrderView | undefined> {
    return this.#views.get(orderId);
  }

  /** Conditional on the version, as the DynamoDB adapter's write is. */
  async save(view: OrderView): Promise<void> {
    if ((this.#views.get(view.orderId)?.version ?? 0) !== view.version - 1) throw new ConcurrentUpdateError(`order ${view.orderId} changed`);
    this.#views.set(view.orderId, view);
  }
}

class InMemoryPaymentIntents implements PaymentIntentIssuer, PaymentIntentRedeemer {
  readonly #intents = new Map<string, PaymentIntent>();

  async issue(orderId: string, paymentToken: string): Promise<string> {
    const paymentIntentId = paymentIntentIdOf(orderId);
    this.#intents.set(paymentIntentId, { paymentIntentId, orderId, paymentToken });
    return paymentIntentId;
  }

  async find(paymentIntentId: string): Promise<PaymentIntent | undefined> {
    return this.#intents.get(paymentIntentId);
  }

  async discard(paymentIntentId: string): Promise<void> {
    this.#intents.delete(paymentIntentId);
  }
}

class InMemoryOrderContacts implements OrderContactKeeper, OrderContactReader {
  readonly #contacts = new Map<string, OrderContact>();

  async keep(orderId: string, contact: OrderContact): Promise<void> {
    this.#contacts.set(orderId, contact);
  }

  async find(orderId: string): Promise<OrderContact | undefined> {
    return this.#contacts.get(orderId);
  }
}

class InMemoryLedger implements StepLedger {
  readonly #outcomes = new Map<string, DomainEvent>();
  readonly #stock = new Map(DEMO_CATALOGUE.map((entry) => [entry.sku, { available: entry.initialStock, reserved: 0, shipped: 0 }]));

  async find(orderId: string, step: string): Promise<DomainEvent | undefined> {
    return this.#outcomes.get(`${orderId} ${step}`);
  }

  /** Records once, moving stock in the same step, refused below zero, as the DynamoDB adapter's transaction does. */
  async record(orderId: string, step: string, outcome: DomainEvent, stockChanges: readonly StockChange[] = []): Promise<DomainEvent> {
    const key = `${orderId} ${step}`;
    const recorded = this.#outcomes.get(key);
    if (recorded !== undefined) return recorded;
    const short = stockChanges.filter((change) => (this.#stock.get(change.sku)?.available ?? 0) + change.availableDelta < 0).map((change) => change.sku);
    if (short.length > 0) throw new InsufficientStockError(short);
    for (const change of stockChanges) {
      const counters = this.#stock.get(change.sku) ?? { available: 0, reserved: 0, shipped: 0 };
      this.#stock.set(change.sku, { available: counters.available + change.availableDelta, reserved: counters.reserved + change.reservedDelta, shipped: counters.shipped + change.shippedDelta });
    }
    this.#outcomes.set(key, outcome);
    return outcome;
  }
}

class InMemoryCatalogue implements Catalogue {
  async stockLevels(skus: readonly string[]): Promise<Map<string, StockLevel>> {
    return new Map(DEMO_CATALOGUE.filter((entry) => skus.includes(entry.sku)).map((entry) => [entry.sku, { sku: entry.sku, available: entry.initialStock, unitPriceCents: entry.unitPriceCents }]));
  }
}

class InMemoryIdempotencyKeys implements IdempotencyKeys {
  async claim(): Promise<{ readonly claimed: true }> {
    return { claimed: true };
  }
}
