/** In-memory implementations of the ports that cross to other services, recording what they were given. */
import type { DomainEvent } from '#shared/contracts';
import { PublishError } from '#shared/errors';
import type { EventPublisher } from '#shared/ports';
import type { ParkingReason } from '#shared/adapters/sqs-dead-letter-parking';

/** A publisher that records events and can be told to fail. */
export class RecordingPublisher implements EventPublisher {
  readonly events: DomainEvent[] = [];
  /** How many next publish calls fail with a PublishError. */
  failures = 0;

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new PublishError(events.map((event) => ({ detailType: event.detailType, orderId: event.detail.orderId, errorCode: 'InternalFailure' })));
    }
    this.events.push(...events);
  }

  /** The detail-types published, in order. */
  types(): string[] {
    return this.events.map((event) => event.detailType);
  }
}

/** A DLQ that records parked records. */
export class RecordingParking {
  readonly parked: { body: string; reason: ParkingReason }[] = [];

  async park(body: string, reason: ParkingReason): Promise<void> {
    this.parked.push({ body, reason });
  }
}
