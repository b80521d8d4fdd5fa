/**
 * One line per pipeline event, so a person watching `npm start` sees each order move:
 * `12:00:01.234  order 3f2a9c1e  OrderPlaced`, and how long an order took once it settles.
 */
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';

/** Formats pipeline events into progress lines. */
export class OrderProgress {
  readonly #placedAt = new Map<string, number>();

  constructor(private readonly write: (line: string) => void) {}

  /** Writes the line for `event` (events without an order id are not the pipeline's and are skipped). */
  report(event: EventEnvelope): void {
    const detail = event.detail as { orderId?: unknown; reason?: { code?: string }; outcome?: string };
    if (typeof detail.orderId !== 'string') return;
    const now = Date.now();
    if (event['detail-type'] === 'OrderPlaced') this.#placedAt.set(detail.orderId, now);
    const clock = new Date(now).toISOString().slice(11, 23);
    const facts = [detail.reason?.code, detail.outcome].filter(Boolean).join(' ');
    let line = `${clock}  order ${detail.orderId.slice(0, 8)}  ${event['detail-type']}${facts ? ` (${facts})` : ''}${event['replay-name'] ? ` [replay ${event['replay-name']}]` : ''}`;
    // A settling event (the customer was told the outcome) ends the order's progress.
    if (PIPELINE_GRAPH.isSettled([event['detail-type']])) {
      const placedAt = this.#placedAt.get(detail.orderId);
      this.#placedAt.delete(detail.orderId);
      if (placedAt !== undefined) line += `  — ${detail.outcome === 'shipped' ? 'fulfilled' : 'cancelled'} in ${now - placedAt} ms`;
    }
    this.write(line);
  }
}
