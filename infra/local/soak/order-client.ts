/**
 * The soak's HTTP client, behaving as a careful client would: every request carries the
 * customer's token (`authorization`, from `CustomerTokens`); every POST carries an
 * Idempotency-Key and is retried on 5xx and 429 answers and network errors (the same key names
 * the same order, so a retry cannot place it twice); an order counts as accepted once a 202 came
 * back. GETs are retried the same way.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '#shared/contracts';
import type { OrderView } from '#shared/order-view';

/** What became of a POST /orders. */
export type PlaceOutcome =
  | { readonly accepted: true; readonly orderId: string; readonly attempts: number }
  | { readonly accepted: false; readonly reason: string; readonly attempts: number };

/** Options of the retrying calls. */
export interface RetryOptions {
  /** @default 8 */
  readonly maxAttempts?: number;
  /** First back-off, doubled on each retry up to 2 s. @default 100 ms */
  readonly baseDelayMs?: number;
}

const MAX_BACKOFF_MS = 2_000;

/** An answer worth retrying: the server failed, or the stage throttled the request (429). */
function retryable(status: number): boolean {
  return status >= 500 || status === 429;
}

/** POSTs `order` as the customer `authorization` names until it is accepted, refused (4xx), or the attempts run out. */
export async function placeOrder(httpApiUrl: string, authorization: string, order: Order, idempotencyKey: string, options: RetryOptions = {}): Promise<PlaceOutcome> {
  let reason = '';
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) await backOff(attempt, options);
    try {
      const response = await fetch(`${httpApiUrl}/orders`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: JSON.stringify(order),
      });
      const body = (await response.json().catch(() => ({}))) as { orderId?: string; message?: string };
      if (response.status === 202 && body.orderId !== undefined) return { accepted: true, orderId: body.orderId, attempts: attempt };
      reason = `${response.status} ${body.message ?? ''}`.trim();
      if (!retryable(response.status)) return { accepted: false, reason, attempts: attempt };
    } catch (error) {
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  return { accepted: false, reason: `gave up after ${maxAttempts} attempts: ${reason}`, attempts: maxAttempts };
}

/** GET /orders/{id} as the customer `authorization` names: the view, or `undefined` for a 404. @throws Error when the API keeps failing */
export async function getOrderView(httpApiUrl: string, authorization: string, orderId: string, options: RetryOptions = {}): Promise<OrderView | undefined> {
  let reason = '';
  const maxAttempts = options.maxAttempts ?? 8;
  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    if (attempt > 1) await backOff(attempt, options);
    try {
      const response = await fetch(`${httpApiUrl}/orders/${orderId}`, { headers: { authorization } });
      if (response.status === 404) return undefined;
      if (response.status === 200) return (await response.json()) as OrderView;
      reason = `${response.status} ${await response.text()}`;
      if (!retryable(response.status)) break;
    } catch (error) {
      reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  throw new Error(`GET /orders/${orderId} failed: ${reason}`);
}

function backOff(attempt: number, options: RetryOptions): Promise<void> {
  return sleep(Math.min(MAX_BACKOFF_MS, (options.baseDelayMs ?? 100) * 2 ** (attempt - 2)));
}
