import { setTimeout as sleep } from 'node:timers/promises';
import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventSourceOf, type DomainEvent } from '#shared/contracts';
import { PublishError } from '#shared/errors';
import type { EventPublisher } from '#shared/ports';

/**
 * PutEvents takes at most 10 entries per call.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
export const PUT_EVENTS_MAX_ENTRIES = 10;

/** Options of {@link EventBridgePublisher}. */
export interface EventBridgePublisherOptions {
  readonly client: EventBridgeClient;
  readonly eventBusName: string;
  /**
   * How many times entries that PutEvents reports as failed are sent again. PutEvents can
   * fail some entries of an accepted call (throttling, internal errors), reporting them
   * only in `FailedEntryCount`; the SDK's own retries do not cover that.
   * @default 3
   */
  readonly maxEntryRetries?: number;
  /** @default 50 ms, doubled on each retry */
  readonly retryBaseDelayMs?: number;
}

/** Publishes domain events to an EventBridge bus, so no event is ever dropped silently. */
export class EventBridgePublisher implements EventPublisher {
  readonly #client: EventBridgeClient;
  readonly #eventBusName: string;
  readonly #maxEntryRetries: number;
  readonly #retryBaseDelayMs: number;

  constructor(options: EventBridgePublisherOptions) {
    this.#client = options.client;
    this.#eventBusName = options.eventBusName;
    this.#maxEntryRetries = options.maxEntryRetries ?? 3;
    this.#retryBaseDelayMs = options.retryBaseDelayMs ?? 50;
  }

  /** Puts every event on the bus; throws {@link PublishError} naming each one that still failed. */
  async publish(events: readonly DomainEvent[]): Promise<void> {
    const chunks: DomainEvent[][] = [];
    for (let start = 0; start < events.length; start += PUT_EVENTS_MAX_ENTRIES) {
      chunks.push(events.slice(start, start + PUT_EVENTS_MAX_ENTRIES));
    }
    const failures = (await Promise.all(chunks.map((chunk) => this.#putWithRetries(chunk)))).flat();
    if (failures.length > 0) throw new PublishError(failures, { orderId: failures[0]?.orderId });
  }

  async #putWithRetries(events: readonly DomainEvent[]): Promise<PublishError['failedEntries'][number][]> {
    let pending = events.map((event) => ({ event, errorCode: undefined as string | undefined, errorMessage: undefined as string | undefined }));
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt > 0) {
        if (attempt > this.#maxEntryRetries) break;
        await sleep(this.#retryBaseDelayMs * 2 ** (attempt - 1));
      }
      const response = await this.#client.send(
        new PutEventsCommand({ Entries: pending.map(({ event }) => this.#entryOf(event)) }),
      );
      if (!response.FailedEntryCount) return [];
      // Entries answer in request order; a failed one has an ErrorCode instead of an EventId.
      pending = pending.flatMap((item, index) => {
        const result = response.Entries?.[index];
        if (result?.EventId && !result.ErrorCode) return [];
        return [{ event: item.event, errorCode: result?.ErrorCode, errorMessage: result?.ErrorMessage }];
      });
    }
    return pending.map(({ event, errorCode, errorMessage }) => ({
      detailType: event.detailType,
      orderId: event.detail.orderId,
      errorCode,
      errorMessage,
    }));
  }

  #entryOf(event: DomainEvent): PutEventsRequestEntry {
    return {
      EventBusName: this.#eventBusName,
      Source: EventSourceOf[event.detailType],
      DetailType: event.detailType,
      Detail: JSON.stringify(event.detail),
    };
  }
}
