/**
 * What a soak learns from the local cloud's hooks while it runs: events on the bus (which
 * orders settled, the paymentIds of every PaymentCaptured), batches (failed and
 * redelivered records per function), and target deliveries (retried, dead-lettered, dropped).
 * Pass its hooks to `startLocalCloud`.
 */
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { Delivery, DeliveryOutcome } from '#cloud/events/target-delivery';
import type { SqsBatchOutcome } from '#cloud/lambda/sqs-event-source-mapping';
import type { LostDelivery } from '#local/soak/invariants';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';

/** Record counts of one function's batches. */
export interface FunctionRecordCounts {
  /** Records handed to the function. */
  received: number;
  /** Records left on the queue after an invocation (failed alone, or with their whole batch). */
  failed: number;
  /** Records received more than once (ApproximateReceiveCount above 1). */
  redelivered: number;
  /** Failed invocations by error type (`Runtime.ExitError`, `InjectedFaultError`…). */
  readonly invocationErrors: Record<string, number>;
}

/** Target delivery counts. */
export interface DeliveryCounts {
  delivered: number;
  /** Delivered after at least one retry. */
  retried: number;
  deadLettered: number;
  dropped: number;
}

/** Collects what the hooks report; read it at any time. */
export class PipelineObserver {
  /** Events seen on the bus, by detail-type. */
  readonly eventCounts = new Map<string, number>();
  /** Orders whose settling event (CustomerNotified) was seen: settled, once the projection caught up. */
  readonly settledOrders = new Set<string>();
  /** paymentIds of the PaymentCaptured events seen, by order. */
  readonly paymentIds = new Map<string, string[]>();
  /** Per function (by its physical name). */
  readonly records = new Map<string, FunctionRecordCounts>();
  readonly deliveries: DeliveryCounts = { delivered: 0, retried: 0, deadLettered: 0, dropped: 0 };
  readonly lostDeliveries: LostDelivery[] = [];
  #expectedDeliveries = 0;
  #finishedDeliveries = 0;

  /** The hooks to give `startLocalCloud`. */
  hooks(): {
    onEvent: (event: EventEnvelope, matchedRules: number) => void;
    onBatch: (functionName: string, outcome: SqsBatchOutcome) => void;
    onDelivery: (delivery: Delivery, outcome: DeliveryOutcome) => void;
  } {
    return {
      onEvent: (event, matchedRules) => this.#event(event, matchedRules),
      onBatch: (functionName, outcome) => this.#batch(functionName, outcome),
      onDelivery: (delivery, outcome) => this.#delivery(delivery, outcome),
    };
  }

  /** Deliveries EventBridge started and has not finished (retrying, or held by a delay). */
  get pendingDeliveries(): number {
    return this.#expectedDeliveries - this.#finishedDeliveries;
  }

  #event(event: EventEnvelope, matchedRules: number): void {
    // Every rule of this stack has one target (the PipelineStep construct gives it its queue).
    this.#expectedDeliveries += matchedRules;
    const type = event['detail-type'];
    this.eventCounts.set(type, (this.eventCounts.get(type) ?? 0) + 1);
    const detail = event.detail as { orderId?: unknown; paymentId?: unknown };
    if (typeof detail.orderId !== 'string') return;
    if (PIPELINE_GRAPH.isSettled([type])) this.settledOrders.add(detail.orderId);
    if (type === 'PaymentCaptured' && typeof detail.paymentId === 'string') {
      this.paymentIds.set(detail.orderId, [...(this.paymentIds.get(detail.orderId) ?? []), detail.paymentId]);
    }
  }

  #batch(functionName: string, outcome: SqsBatchOutcome): void {
    let counts = this.records.get(functionName);
    if (counts === undefined) {
      counts = { received: 0, failed: 0, redelivered: 0, invocationErrors: {} };
      this.records.set(functionName, counts);
    }
    counts.received += outcome.records.length;
    counts.failed += outcome.failed.length;
    counts.redelivered += outcome.records.filter((record) => Number(record.attributes.ApproximateReceiveCount) > 1).length;
    if (outcome.error !== undefined) counts.invocationErrors[outcome.error.errorType] = (counts.invocationErrors[outcome.error.errorType] ?? 0) + 1;
  }

  #delivery(delivery: Delivery, outcome: DeliveryOutcome): void {
    this.#finishedDeliveries += 1;
    if (outcome.status === 'delivered') {
      this.deliveries.delivered += 1;
      if (outcome.attempts > 1) this.deliveries.retried += 1;
      return;
    }
    if (outcome.status === 'dead-lettered') {
      this.deliveries.deadLettered += 1;
      return;
    }
    this.deliveries.dropped += 1;
    this.lostDeliveries.push({ eventId: delivery.eventId, targetArn: delivery.targetArn, errorCode: outcome.errorCode, errorMessage: outcome.errorMessage });
  }
}
