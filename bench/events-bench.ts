/**
 * Group `events`: the local cloud's EventBridge from PutEvents to messages in the target
 * queues. One bus, 20 rules whose patterns use the operators the pipeline's rules and their
 * likely growth use (exact, prefix, numeric, anything-but), each rule targeting its own queue;
 * the SDK client puts batches of 10 entries (PutEvents' maximum) with requests in flight.
 * A round ends when every matched delivery sits in its queue, so the rate covers routing and
 * delivery, not just the API call. The same load against a no-op EventBridge endpoint gives
 * the client's own limit on this machine.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventBridgeService } from '#cloud/events/eventbridge-service';
import { eventBridgeBinding } from '#cloud/events/protocol';
import { startAwsGateway } from '#cloud/gateway';
import { sqsRegistration } from '#cloud/sqs/operations';
import { SqsService } from '#cloud/sqs/sqs-service';
import type { BenchmarkGroup } from './benchmark.ts';
import { startNoopEventsServer } from './noop-events-server.ts';
import { benchClientConfig } from './sdk-client-config.ts';
import { measureRates, type LoadOptions, type LoadSubject } from './throughput.ts';

const BUS_NAME = 'bench-bus';
const SOURCE = 'bench.orders';
/** PutEvents' maximum entries per call. */
const ENTRIES_PER_PUT = 10;
/** How long a round waits for its deliveries before declaring them lost. */
const SETTLE_TIMEOUT_MS = 10_000;

// Batches are capped per round: every delivery is a stored message until the round's reset.
const LOAD: LoadOptions = { concurrency: 16, warmupMs: 500, roundMs: 1_000, rounds: 5, maxOperationsPerRound: 1_000 };

/** The 20 rule patterns: exact, prefix, numeric and anything-but, alone and combined. */
const BENCH_RULE_PATTERNS: readonly object[] = [
  { source: [SOURCE] },
  { 'detail-type': ['OrderPlaced'] },
  { 'detail-type': ['OrderShipped', 'OrderCancelled'] },
  { source: [SOURCE], 'detail-type': [{ prefix: 'Order' }] },
  { detail: { orderId: [{ prefix: 'order-1' }] } },
  { detail: { region: [{ prefix: 'eu-' }] } },
  { detail: { total: [{ numeric: ['>', 100] }] } },
  { detail: { total: [{ numeric: ['>=', 0, '<', 50] }] } },
  { detail: { items: [{ numeric: ['=', 1] }] } },
  { detail: { status: [{ 'anything-but': 'cancelled' }] } },
  { detail: { status: [{ 'anything-but': ['placed', 'shipped'] }] } },
  { detail: { currency: [{ 'anything-but': ['EUR'] }] } },
  { detail: { customer: { tier: [{ 'anything-but': { prefix: 'g' } }] } } },
  { detail: { customer: { tier: ['gold'] } } },
  { detail: { currency: ['EUR'], total: [{ numeric: ['>', 20] }] } },
  { detail: { region: ['us-east-1'], status: ['placed'] } },
  { detail: { total: [{ numeric: ['>', 500] }], customer: { tier: ['gold'] } } },
  { 'detail-type': ['OrderPlaced'], detail: { region: [{ prefix: 'us-' }] } },
  { detail: { status: ['shipped'], total: [{ numeric: ['<=', 100] }] } },
  { source: ['bench.payments'] },
];

const DETAIL_TYPES = ['OrderPlaced', 'OrderShipped', 'OrderCancelled'] as const;
const STATUS_OF = { OrderPlaced: 'placed', OrderShipped: 'shipped', OrderCancelled: 'cancelled' } as const;
const TOTALS = [15, 49.5, 120, 640, 75] as const;

/** The 10 entries every PutEvents sends: varied so that each rule matches some and misses others. */
function benchEntries(): PutEventsRequestEntry[] {
  return Array.from({ length: ENTRIES_PER_PUT }, (_, index) => {
    const detailType = DETAIL_TYPES[index % DETAIL_TYPES.length] as (typeof DETAIL_TYPES)[number];
    const detail = {
      orderId: `order-${index}`,
      status: STATUS_OF[detailType],
      total: TOTALS[index % TOTALS.length],
      currency: index % 2 === 0 ? 'EUR' : 'USD',
      region: index % 4 < 2 ? 'eu-west-1' : 'us-east-1',
      items: (index % 4) + 1,
      customer: { tier: index % 3 === 0 ? 'gold' : 'silver' },
    };
    return { EventBusName: BUS_NAME, Source: SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) };
  });
}

/** The `events` benchmark group. */
export const eventsBenchmark: BenchmarkGroup = {
  name: 'events',
  async run(context) {
    const gateway = await startAwsGateway({ port: 0 });
    const sqs = new SqsService({ endpoint: gateway.endpoint });
    const failedDeliveries: string[] = [];
    const events = new EventBridgeService({
      sqs: { sendMessage: async (input) => sqs.sendMessage(input) },
      onDelivery: (delivery, outcome) => {
        if (outcome.status !== 'delivered') failedDeliveries.push(`${delivery.targetArn}: ${outcome.status} ${outcome.errorCode}`);
      },
    });
    gateway.register(sqsRegistration(sqs));
    gateway.register({ name: 'events', json: eventBridgeBinding(events) });
    const noop = await startNoopEventsServer();
    const localClient = new EventBridgeClient(benchClientConfig(gateway.endpoint, LOAD.concurrency));
    const noopClient = new EventBridgeClient(benchClientConfig(noop.endpoint, LOAD.concurrency));
    try {
      const queueNames = createBusWithRules(sqs, events);
      const entries = benchEntries();
      const deliveriesPerPut = expectedDeliveries(events, entries);
      context.log(`events: ${BENCH_RULE_PATTERNS.length} rules, ${deliveriesPerPut} deliveries per PutEvents of ${ENTRIES_PER_PUT}, ${LOAD.concurrency} in flight`);

      let putsThisRound = 0;
      const local: LoadSubject = {
        async operation() {
          await putEvents(localClient, entries);
          putsThisRound += 1;
          return entries.length;
        },
        // Deliveries run after PutEvents has answered; the round lasts until all are queued.
        async settle() {
          const expected = putsThisRound * deliveriesPerPut;
          const deadline = Date.now() + SETTLE_TIMEOUT_MS;
          for (;;) {
            if (failedDeliveries.length > 0) throw new Error(`events: deliveries failed: ${failedDeliveries.slice(0, 3).join('; ')}`);
            const queued = queuedMessages(sqs, queueNames);
            if (queued >= expected) return;
            if (Date.now() > deadline) throw new Error(`events: ${queued} of ${expected} deliveries arrived within ${SETTLE_TIMEOUT_MS} ms`);
            await sleep(1);
          }
        },
        async reset() {
          putsThisRound = 0;
          emptyQueues(sqs, queueNames);
        },
      };
      const noopSubject: LoadSubject = {
        async operation() {
          await putEvents(noopClient, entries);
          return entries.length;
        },
      };
      const rates = await measureRates({ local, noop: noopSubject }, LOAD);
      return {
        rules: BENCH_RULE_PATTERNS.length,
        concurrency: LOAD.concurrency,
        perSecond: rates.local.perSecond,
        deliveriesPerSecond: (rates.local.perSecond * deliveriesPerPut) / entries.length,
        noopPerSecond: rates.noop.perSecond,
        ratioToNoop: rates.local.perSecond / rates.noop.perSecond,
      };
    } finally {
      localClient.destroy();
      noopClient.destroy();
      events.close();
      sqs.close();
      await Promise.all([gateway.close(), noop.close()]);
    }
  },
};

/** Creates the bus, one queue per rule and the rules targeting them (in process: set-up is not measured). */
function createBusWithRules(sqs: SqsService, events: EventBridgeService): string[] {
  events.createEventBus({ Name: BUS_NAME });
  return BENCH_RULE_PATTERNS.map((pattern, index) => {
    const name = `bench-rule-${String(index + 1).padStart(2, '0')}`;
    sqs.createQueue({ QueueName: name });
    events.putRule({ Name: name, EventBusName: BUS_NAME, EventPattern: JSON.stringify(pattern) });
    events.putTargets({ Rule: name, EventBusName: BUS_NAME, Targets: [{ Id: 'queue', Arn: sqs.queueArn(name) }] });
    return name;
  });
}

/**
 * Deliveries one PutEvents of `entries` causes: matches of every entry against every rule, by
 * the service's own TestEventPattern. The pattern engine's correctness is tested elsewhere
 * (test/local-cloud/events); here the count only tells a round when its deliveries are done.
 */
function expectedDeliveries(events: EventBridgeService, entries: readonly PutEventsRequestEntry[]): number {
  let deliveries = 0;
  for (const entry of entries) {
    const event = JSON.stringify({
      version: '0',
      id: 'bench',
      account: '000000000000',
      region: 'us-east-1',
      time: new Date().toISOString(),
      source: entry.Source,
      'detail-type': entry.DetailType,
      resources: [],
      detail: JSON.parse(entry.Detail ?? '{}'),
    });
    for (const pattern of BENCH_RULE_PATTERNS) {
      if (events.testEventPattern({ EventPattern: JSON.stringify(pattern), Event: event }).Result) deliveries += 1;
    }
  }
  return deliveries;
}

async function putEvents(client: EventBridgeClient, entries: PutEventsRequestEntry[]): Promise<void> {
  const output = await client.send(new PutEventsCommand({ Entries: entries }));
  if ((output.FailedEntryCount ?? 0) > 0) throw new Error(`events: PutEvents failed entries: ${JSON.stringify(output.Entries?.filter((entry) => entry.ErrorCode))}`);
}

function queuedMessages(sqs: SqsService, queueNames: readonly string[]): number {
  return queueNames.reduce((total, name) => {
    const { Attributes } = sqs.getQueueAttributes({ QueueUrl: name, AttributeNames: ['ApproximateNumberOfMessages'] });
    return total + Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  }, 0);
}

/**
 * Drops every queued delivery between rounds, so each round counts from zero and memory stays
 * bounded. Deleting and re-creating the queue does it at once (PurgeQueue allows one purge a
 * minute); the rules target the queue by ARN, which stays the same.
 */
function emptyQueues(sqs: SqsService, queueNames: readonly string[]): void {
  for (const name of queueNames) {
    sqs.deleteQueue({ QueueUrl: name });
    sqs.createQueue({ QueueName: name });
  }
}
