/**
 * What the console shows, recorded from the local cloud's hooks as it happens: every event put
 * on a bus and where it was delivered, every invocation (HTTP or a batch from a queue: its
 * duration, cold or warm, batch size, outcome and code version), the functions' log lines that
 * carry a correlation id, every message that lands in a dead-letter queue, and per correlated
 * flow (an order, for the app that runs here) its whole trail and its latency from start to its
 * final event. History is bounded (ring buffers), so memory stays flat in a long run. The
 * recorder is built only when a console is attached: without one, the hooks are not set.
 */
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import { queueNameOfArn, type Delivery, type DeliveryOutcome } from '#cloud/events/target-delivery';
import type { InvocationResult } from '#cloud/lambda/invocation-result';
import type { SqsBatchOutcome } from '#cloud/lambda/sqs-event-source-mapping';
import type { MessageArrival } from '#cloud/sqs/sqs-service';
import { RingBuffer } from '#cloud/console/ring-buffer';
import { edgeId, EdgeKind, nodeId } from '#cloud/console/topology';

/** How the app's events group into flows (for the order pipeline, an order's). */
export interface FlowCorrelation {
  /** The flow an event belongs to (e.g. its `detail.orderId`), or undefined for none. */
  readonly idOfEvent: (event: EventEnvelope) => string | undefined;
  /** Whether an event ends its flow: its latency is measured to the first such event. */
  readonly isFinal: (event: EventEnvelope) => boolean;
  /**
   * The flow an HTTP request started, read from its route and response (e.g. the id in
   * `POST /orders`' answer): the flow then starts when that request arrived.
   * @default flows start at their first event
   */
  readonly idOfHttpResponse?: (routeKey: string, response: { readonly statusCode?: number; readonly body?: string }) => string | undefined;
}

/** Limits of the history. */
export interface RecorderLimits {
  /** @default 5000 */
  readonly events?: number;
  /** @default 5000 */
  readonly invocations?: number;
  /** @default 2000 */
  readonly flows?: number;
  /** @default 1000 */
  readonly parkings?: number;
}

/** One delivery of an event to a rule's target. */
export interface DeliveryRecord {
  readonly rule: string;
  readonly target: string;
  readonly status: DeliveryOutcome['status'];
  readonly attempts: number;
  /** The target's DLQ (a queue name), when it has one. */
  readonly deadLetterQueue?: string;
  readonly error?: string;
  readonly at: number;
}

/** An event put on a bus. */
export interface EventRecord {
  readonly id: string;
  /** Epoch ms it was put (the envelope's `time` is whole seconds). */
  readonly at: number;
  readonly detailType: string;
  readonly source: string;
  readonly flowId?: string;
  readonly replayName?: string;
  readonly matchedRules: number;
  readonly event: EventEnvelope;
  readonly deliveries: DeliveryRecord[];
}

/** How an invocation ended. */
export const InvocationOutcome = {
  ok: 'ok',
  /** Some records of the batch failed (a partial batch response). */
  partial: 'partial',
  failed: 'failed',
} as const;
export type InvocationOutcome = (typeof InvocationOutcome)[keyof typeof InvocationOutcome];

/** A function's JSON log line. */
export interface LogRecord {
  /** Epoch ms, from the line's `timestamp`. */
  readonly at: number;
  readonly level?: string;
  readonly message?: string;
  readonly service?: string;
  readonly line: string;
}

/** One invocation of a function. */
export interface InvocationRecord {
  readonly id: number;
  readonly functionName: string;
  /** The queue it was fed from, or the HTTP route that invoked it. */
  readonly trigger: { readonly queue: string } | { readonly route: string; readonly statusCode?: number };
  readonly startedAt: number;
  readonly durationMs: number;
  readonly cold: boolean;
  readonly initDurationMs?: number;
  readonly batchSize: number;
  readonly failedRecords: number;
  readonly outcome: InvocationOutcome;
  readonly error?: string;
  readonly codeVersion?: number;
  readonly flowIds: readonly string[];
  /** The log lines it wrote (see {@link ConsoleRecorder.recordLogLine}). */
  readonly logs: LogRecord[];
}

/** A message that landed in a dead-letter queue. */
export interface ParkingRecord {
  readonly at: number;
  readonly queue: string;
  readonly messageId: string;
  readonly flowId?: string;
  /** Why, from the message's attributes (a handler's `errorName: errorMessage`, EventBridge's `ERROR_CODE: ERROR_MESSAGE`), or the redrive policy. */
  readonly cause: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A correlated flow: an order, for the order pipeline. */
export interface FlowRecord {
  readonly id: string;
  startedAt: number;
  /** When its first final event was put. */
  finishedAt?: number;
  /** Its HTTP request, when one started it. */
  request?: number;
  readonly events: string[];
  readonly invocations: number[];
  readonly parkings: ParkingRecord[];
}

/** A flow's whole trail, for the trace. */
export interface FlowTrace {
  readonly id: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  readonly events: readonly EventRecord[];
  readonly invocations: readonly InvocationRecord[];
  readonly parkings: readonly ParkingRecord[];
}

/** Throughput and latency by second. */
export interface FlowSeries {
  /** Epoch seconds. */
  readonly t: readonly number[];
  readonly started: readonly number[];
  readonly finished: readonly number[];
  /** Latency percentiles over the flows finished in the 10 s up to each second (null: none). */
  readonly p50: readonly (number | null)[];
  readonly p95: readonly (number | null)[];
  readonly p99: readonly (number | null)[];
}

/** What the recorder tells live listeners, in the order it happened. */
export type ConsoleUpdate =
  | { readonly type: 'event'; readonly event: EventSummary }
  | { readonly type: 'delivery'; readonly eventId: string; readonly delivery: DeliveryRecord }
  | { readonly type: 'invocation'; readonly invocation: Omit<InvocationRecord, 'logs'> }
  | { readonly type: 'parking'; readonly parking: Omit<ParkingRecord, 'body'> };

/** An event as the stream lists it. */
export type EventSummary = Omit<EventRecord, 'event' | 'deliveries'>;

/** Seconds of throughput and latency kept. */
const SERIES_SECONDS = 600;
/** Latency percentiles are computed over this many trailing seconds, so a chart point is not one or two orders. */
const LATENCY_WINDOW_SECONDS = 10;
/** Log lines kept per invocation or flow. */
const LOGS_PER_OWNER = 50;
/** Clock skew allowed between a log line's timestamp (the worker's) and an invocation's span (the host's). */
const LOG_SLACK_MS = 5;
/** Log lines kept until the invocation that wrote them is recorded (when it ends). */
const PENDING_LOGS = 2000;
/** How long a line waits for its invocation; one that never comes (a line written during init, outside any invocation) is dropped. */
const PENDING_LOG_MS = 60_000;
/** Recent invocations searched for the writer of a line that comes after them. */
const RECENT_INVOCATIONS = 200;

/** Records the cloud's activity for the console; see the module comment. */
export class ConsoleRecorder {
  readonly #correlation: FlowCorrelation | undefined;
  readonly #deadLetterQueues: ReadonlySet<string>;
  readonly #events: RingBuffer<EventRecord>;
  readonly #eventsById = new Map<string, EventRecord>();
  readonly #invocations: RingBuffer<InvocationRecord>;
  readonly #invocationsById = new Map<number, InvocationRecord>();
  readonly #flows = new Map<string, FlowRecord>();
  readonly #flowLimit: number;
  readonly #parkings: RingBuffer<ParkingRecord>;
  readonly #pendingLogs = new RingBuffer<PendingLog>(PENDING_LOGS);
  readonly #edgeCounts = new Map<string, number>();
  readonly #seconds = new Map<number, { started: number; finished: number; latencies: number[] }>();
  readonly #listeners = new Set<(update: ConsoleUpdate) => void>();
  #nextInvocationId = 1;

  constructor(options: { readonly correlation?: FlowCorrelation; readonly deadLetterQueues: ReadonlySet<string>; readonly limits?: RecorderLimits }) {
    this.#correlation = options.correlation;
    this.#deadLetterQueues = options.deadLetterQueues;
    const limits = options.limits ?? {};
    this.#events = new RingBuffer(limits.events ?? 5000, (evicted) => this.#eventsById.delete(evicted.id));
    this.#invocations = new RingBuffer(limits.invocations ?? 5000, (evicted) => this.#invocationsById.delete(evicted.id));
    this.#parkings = new RingBuffer(limits.parkings ?? 1000);
    this.#flowLimit = limits.flows ?? 2000;
  }

  /** Listens to what is recorded from now on; returns the way to stop. */
  listen(listener: (update: ConsoleUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** An event was put on a bus (the cloud's `onEvent`). */
  recordEvent(event: EventEnvelope, matchedRules: number): void {
    const at = Date.now();
    const flowId = this.#correlation?.idOfEvent(event);
    const replayName = event['replay-name'];
    const record: EventRecord = {
      id: event.id,
      at,
      detailType: event['detail-type'],
      source: event.source,
      ...(flowId === undefined ? {} : { flowId }),
      ...(replayName === undefined ? {} : { replayName }),
      matchedRules,
      event,
      deliveries: [],
    };
    this.#events.push(record);
    this.#eventsById.set(record.id, record);
    if (flowId !== undefined) {
      const flow = this.#flow(flowId, at);
      flow.events.push(record.id);
      // A replayed event re-runs part of a flow; it neither starts nor finishes one.
      if (replayName === undefined && flow.finishedAt === undefined && this.#correlation?.isFinal(event)) {
        flow.finishedAt = at;
        const second = this.#second(at);
        second.finished += 1;
        second.latencies.push(at - flow.startedAt);
      }
    }
    const { event: _event, deliveries: _deliveries, ...summary } = record;
    this.#tell({ type: 'event', event: summary });
  }

  /** A delivery to a rule target ended (the cloud's `onDelivery`). */
  recordDelivery(delivery: Delivery, outcome: DeliveryOutcome): void {
    const rule = delivery.ruleArn.split('/').pop() ?? delivery.ruleArn;
    const target = queueNameOfArn(delivery.targetArn);
    const record: DeliveryRecord = {
      rule,
      target,
      status: outcome.status,
      attempts: outcome.attempts,
      ...(delivery.deadLetterArn === undefined ? {} : { deadLetterQueue: queueNameOfArn(delivery.deadLetterArn) }),
      ...(outcome.status === 'delivered' ? {} : { error: `${outcome.errorCode}: ${outcome.errorMessage}` }),
      at: Date.now(),
    };
    this.#eventsById.get(delivery.eventId)?.deliveries.push(record);
    this.#count(edgeId(EdgeKind.matches, nodeId.bus(busOfRuleArn(delivery.ruleArn)), nodeId.rule(rule)));
    if (outcome.status === 'delivered') this.#count(edgeId(EdgeKind.delivers, nodeId.rule(rule), nodeId.queue(target)));
    else if (record.deadLetterQueue !== undefined && outcome.status === 'dead-lettered') this.#count(edgeId(EdgeKind.targetDeadLetter, nodeId.rule(rule), nodeId.queue(record.deadLetterQueue)));
    this.#tell({ type: 'delivery', eventId: delivery.eventId, delivery: record });
  }

  /** A function processed a batch from a queue (the cloud's `onBatch`). */
  recordBatch(functionName: string, outcome: SqsBatchOutcome): void {
    const queue = queueNameOfArn(outcome.records[0]?.eventSourceARN ?? '');
    const flowIds = new Set<string>();
    if (this.#correlation !== undefined) {
      for (const record of outcome.records) {
        const flowId = this.#flowIdOfBody(record.body);
        if (flowId !== undefined) flowIds.add(flowId);
      }
    }
    const failedRecords = outcome.failed.length;
    this.#addInvocation({
      functionName,
      trigger: { queue },
      startedAt: Date.now() - outcome.durationMs,
      durationMs: outcome.durationMs,
      cold: outcome.initDurationMs !== undefined,
      ...(outcome.initDurationMs === undefined ? {} : { initDurationMs: outcome.initDurationMs }),
      batchSize: outcome.records.length,
      failedRecords,
      outcome: failedRecords === 0 ? InvocationOutcome.ok : failedRecords < outcome.records.length ? InvocationOutcome.partial : InvocationOutcome.failed,
      ...(outcome.error === undefined ? {} : { error: `${outcome.error.errorType}: ${outcome.error.errorMessage}` }),
      ...(outcome.codeVersion === undefined ? {} : { codeVersion: outcome.codeVersion }),
      flowIds: [...flowIds],
    });
    this.#count(edgeId(EdgeKind.polls, nodeId.queue(queue), nodeId.function(functionName)), outcome.records.length);
  }

  /** The HTTP API invoked a function for a request that arrived at `startedAt`. */
  recordRequest(routeKey: string, functionName: string, startedAt: number, result: InvocationResult): void {
    const response = result.ok ? (result.result as { statusCode?: number; body?: string } | null) : null;
    const statusCode = result.ok ? (response?.statusCode ?? 200) : 500;
    const flowId = response === null ? undefined : this.#correlation?.idOfHttpResponse?.(routeKey, response);
    const invocation = this.#addInvocation({
      functionName,
      trigger: { route: routeKey, statusCode },
      startedAt,
      durationMs: result.durationMs,
      cold: result.ok && result.initDurationMs !== undefined,
      ...(result.ok && result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
      batchSize: 1,
      failedRecords: result.ok ? 0 : 1,
      outcome: result.ok ? InvocationOutcome.ok : InvocationOutcome.failed,
      ...(result.ok ? {} : { error: `${result.error.errorType}: ${result.error.errorMessage}` }),
      ...(result.codeVersion === undefined ? {} : { codeVersion: result.codeVersion }),
      flowIds: flowId === undefined ? [] : [flowId],
    });
    if (flowId !== undefined) {
      const flow = this.#flow(flowId, startedAt);
      // The request comes before the flow's first event: the flow starts when it arrived.
      if (flow.startedAt > startedAt && flow.events.length > 0) this.#moveStart(flow, startedAt);
      flow.request = invocation.id;
    }
    this.#count(edgeId(EdgeKind.request, nodeId.route(routeKey), nodeId.function(functionName)));
  }

  /**
   * A JSON line a function wrote (Powertools' structured logs: `timestamp`, `level`, `message`,
   * `service`). It belongs to the invocation of that function (named by the sink, else by the
   * line's `service`) that was running when it was written; when several were, to the one whose
   * flow id the line names. An invocation is recorded when it ends, so its lines usually come
   * first: they wait (bounded) for it.
   */
  recordLogLine(line: string, functionName?: string): void {
    if (!line.startsWith('{')) return;
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const service = typeof parsed.service === 'string' ? parsed.service : undefined;
    const record: LogRecord = {
      at: typeof parsed.timestamp === 'string' ? Date.parse(parsed.timestamp) : Date.now(),
      line,
      ...(typeof parsed.level === 'string' ? { level: parsed.level } : {}),
      ...(typeof parsed.message === 'string' ? { message: parsed.message } : {}),
      ...(service === undefined ? {} : { service }),
    };
    const pending: PendingLog = { record, ...(functionName === undefined ? {} : { functionName }) };
    const recent = this.#invocations.toArray().slice(-RECENT_INVOCATIONS);
    const writer = writerOf(pending, recent);
    if (writer === undefined) this.#pendingLogs.push(pending);
    else if (writer.logs.length < LOGS_PER_OWNER) writer.logs.push(record);
  }

  /**
   * A message a queue took in (SQS's `onMessageArrived`): kept when the queue is a DLQ. A log
   * line with the same correlation id arrives around then, and the queue's sender is in it.
   */
  recordArrival(arrival: MessageArrival): void {
    if (!this.#deadLetterQueues.has(arrival.queueName)) return;
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(arrival.message.messageAttributes)) if (value.StringValue !== undefined) attributes[name] = value.StringValue;
    const flowId = this.#flowIdOfBody(arrival.message.body);
    const cause =
      attributes.errorName !== undefined
        ? `${attributes.errorName}: ${attributes.errorMessage ?? ''}`
        : attributes.ERROR_CODE !== undefined
          ? `${attributes.ERROR_CODE}: ${attributes.ERROR_MESSAGE ?? ''}`
          : arrival.deadLetterSourceArn !== undefined
            ? `moved by the redrive policy of ${queueNameOfArn(arrival.deadLetterSourceArn)} after ${arrival.message.receiveCount} receives`
            : 'sent to the DLQ';
    const parking: ParkingRecord = { at: Date.now(), queue: arrival.queueName, messageId: arrival.message.messageId, ...(flowId === undefined ? {} : { flowId }), cause, attributes, body: arrival.message.body };
    this.#parkings.push(parking);
    if (flowId !== undefined) this.#flow(flowId, parking.at).parkings.push(parking);
    if (arrival.deadLetterSourceArn !== undefined) this.#count(edgeId(EdgeKind.redrive, nodeId.queue(queueNameOfArn(arrival.deadLetterSourceArn)), nodeId.queue(arrival.queueName)));
    const { body: _body, ...summary } = parking;
    this.#tell({ type: 'parking', parking: summary });
  }

  /** The events kept, newest last, filtered. */
  events(filter: { readonly flowId?: string; readonly detailType?: string; readonly source?: string; readonly limit?: number } = {}): EventSummary[] {
    const matching = this.#events.toArray().filter(
      (record) =>
        (filter.flowId === undefined || record.flowId?.startsWith(filter.flowId) === true) &&
        (filter.detailType === undefined || record.detailType === filter.detailType) &&
        (filter.source === undefined || record.source === filter.source),
    );
    return matching.slice(-(filter.limit ?? 500)).map(({ event: _event, deliveries: _deliveries, ...summary }) => summary);
  }

  /** One event, its body and its deliveries. */
  event(id: string): EventRecord | undefined {
    return this.#eventsById.get(id);
  }

  /** The invocations kept, newest last. */
  invocations(limit = 500): Omit<InvocationRecord, 'logs'>[] {
    return this.#invocations.toArray().slice(-limit).map(({ logs: _logs, ...invocation }) => invocation);
  }

  /** The messages that landed in DLQs, newest last. */
  parkings(): ParkingRecord[] {
    return this.#parkings.toArray();
  }

  /** A flow's trail, by its id or the start of it. */
  trace(idOrPrefix: string): FlowTrace | undefined {
    const flow = this.#flows.get(idOrPrefix) ?? [...this.#flows.values()].find((candidate) => candidate.id.startsWith(idOrPrefix));
    if (flow === undefined) return undefined;
    const invocationIds = flow.request === undefined ? flow.invocations : [flow.request, ...flow.invocations.filter((id) => id !== flow.request)];
    return {
      id: flow.id,
      startedAt: flow.startedAt,
      ...(flow.finishedAt === undefined ? {} : { finishedAt: flow.finishedAt }),
      events: flow.events.flatMap((id) => this.#eventsById.get(id) ?? []),
      invocations: [...new Set(invocationIds)].flatMap((id) => this.#invocationsById.get(id) ?? []),
      parkings: flow.parkings,
    };
  }

  /** The latest flows, newest last. */
  flows(limit = 100): { id: string; startedAt: number; finishedAt?: number; events: number }[] {
    return [...this.#flows.values()].slice(-limit).map((flow) => ({ id: flow.id, startedAt: flow.startedAt, ...(flow.finishedAt === undefined ? {} : { finishedAt: flow.finishedAt }), events: flow.events.length }));
  }

  /** How many things crossed each edge of the topology, by edge id. */
  edgeCounts(): Record<string, number> {
    return Object.fromEntries(this.#edgeCounts);
  }

  /** Flows started and finished per second, and latency percentiles, over the last `seconds`. */
  series(seconds = 300, nowMs = Date.now()): FlowSeries {
    const end = Math.floor(nowMs / 1000);
    const t: number[] = [];
    const started: number[] = [];
    const finished: number[] = [];
    const p50: (number | null)[] = [];
    const p95: (number | null)[] = [];
    const p99: (number | null)[] = [];
    for (let second = end - seconds + 1; second <= end; second += 1) {
      const bucket = this.#seconds.get(second);
      t.push(second);
      started.push(bucket?.started ?? 0);
      finished.push(bucket?.finished ?? 0);
      const window: number[] = [];
      for (let back = 0; back < LATENCY_WINDOW_SECONDS; back += 1) window.push(...(this.#seconds.get(second - back)?.latencies ?? []));
      window.sort((a, b) => a - b);
      p50.push(percentile(window, 0.5));
      p95.push(percentile(window, 0.95));
      p99.push(percentile(window, 0.99));
    }
    return { t, started, finished, p50, p95, p99 };
  }

  #addInvocation(fields: Omit<InvocationRecord, 'id' | 'logs'>): InvocationRecord {
    const invocation: InvocationRecord = { id: this.#nextInvocationId++, ...fields, logs: [] };
    this.#invocations.push(invocation);
    this.#invocationsById.set(invocation.id, invocation);
    for (const flowId of invocation.flowIds) this.#flow(flowId, invocation.startedAt).invocations.push(invocation.id);
    // It is recorded when it ends: the lines it wrote while running came first.
    const adopted: LogRecord[] = [];
    const stale = Date.now() - PENDING_LOG_MS;
    if (this.#pendingLogs.size > 0) this.#pendingLogs.removeWhere((pending) => {
      if (pending.record.at < stale) return true;
      if (writerOf(pending, [invocation]) !== invocation) return false;
      if (adopted.length < LOGS_PER_OWNER) adopted.push(pending.record);
      return true;
    });
    invocation.logs.push(...adopted.sort((a, b) => a.at - b.at));
    const { logs: _logs, ...summary } = invocation;
    this.#tell({ type: 'invocation', invocation: summary });
    return invocation;
  }

  /** The flow with this id, started at `at` if it is new; the oldest flow is forgotten beyond the limit. */
  #flow(id: string, at: number): FlowRecord {
    let flow = this.#flows.get(id);
    if (flow === undefined) {
      flow = { id, startedAt: at, events: [], invocations: [], parkings: [] };
      this.#flows.set(id, flow);
      this.#second(at).started += 1;
      if (this.#flows.size > this.#flowLimit) this.#flows.delete(this.#flows.keys().next().value as string);
    }
    return flow;
  }

  /** Moves a flow's start earlier, keeping the per-second count of starts right. */
  #moveStart(flow: FlowRecord, at: number): void {
    const previous = this.#seconds.get(Math.floor(flow.startedAt / 1000));
    if (previous !== undefined) previous.started -= 1;
    this.#second(at).started += 1;
    flow.startedAt = at;
  }

  #second(at: number): { started: number; finished: number; latencies: number[] } {
    const key = Math.floor(at / 1000);
    let bucket = this.#seconds.get(key);
    if (bucket === undefined) {
      bucket = { started: 0, finished: 0, latencies: [] };
      this.#seconds.set(key, bucket);
      for (const old of this.#seconds.keys()) {
        if (old > key - SERIES_SECONDS - LATENCY_WINDOW_SECONDS) break;
        this.#seconds.delete(old);
      }
    }
    return bucket;
  }

  #flowIdOfBody(body: string): string | undefined {
    if (this.#correlation === undefined) return undefined;
    try {
      const parsed = JSON.parse(body) as EventEnvelope;
      return typeof parsed === 'object' && parsed !== null && 'detail-type' in parsed ? this.#correlation.idOfEvent(parsed) : undefined;
    } catch {
      return undefined;
    }
  }

  #count(edge: string, by = 1): void {
    this.#edgeCounts.set(edge, (this.#edgeCounts.get(edge) ?? 0) + by);
  }

  #tell(update: ConsoleUpdate): void {
    for (const listener of this.#listeners) listener(update);
  }
}

/** The bus name in a rule ARN, `arn:aws:events:<region>:<account>:rule/<bus>/<rule>` (the default bus has no segment). */
function busOfRuleArn(ruleArn: string): string {
  const parts = ruleArn.split(':').pop()?.split('/') ?? [];
  return parts.length === 3 ? (parts[1] ?? 'default') : 'default';
}

/** The nearest-rank percentile of sorted values; null when there are none. */
function percentile(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] ?? null;
}

/** A log line waiting for its invocation. */
interface PendingLog {
  readonly record: LogRecord;
  /** The function that wrote it, when the sink said. */
  readonly functionName?: string;
}

/**
 * The invocation among `candidates` that wrote the line: of its function, running when it was
 * written, and, when several were, the one whose flow the line names.
 */
function writerOf(pending: PendingLog, candidates: readonly InvocationRecord[]): InvocationRecord | undefined {
  const { record, functionName } = pending;
  const running = candidates.filter(
    (invocation) => ranDuring(invocation, record) && (functionName !== undefined ? invocation.functionName === functionName : record.service !== undefined && serves(invocation, record.service)),
  );
  if (running.length <= 1) return running[0];
  return running.find((invocation) => invocation.flowIds.some((flowId) => record.line.includes(flowId)));
}

/** Whether a log line was written while the invocation ran. */
function ranDuring(invocation: Pick<InvocationRecord, 'startedAt' | 'durationMs'>, log: LogRecord): boolean {
  return log.at >= invocation.startedAt - LOG_SLACK_MS && log.at <= invocation.startedAt + invocation.durationMs + LOG_SLACK_MS;
}

/** Whether a log line's `service` names the invocation's function (Powertools' service name is the function's). */
function serves(invocation: Pick<InvocationRecord, 'functionName'>, service: string): boolean {
  return compact(invocation.functionName).includes(compact(service));
}

function compact(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}
