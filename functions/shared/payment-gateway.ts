/**
 * A simulated payment gateway with deterministic rules, so every path can be exercised on
 * purpose:
 * - a token starting `tok_decline` is declined (`CARD_DECLINED`);
 * - a token starting `tok_insufficient_funds` is declined (`INSUFFICIENT_FUNDS`);
 * - an amount above {@link AMOUNT_LIMIT_CENTS} is declined (`AMOUNT_LIMIT_EXCEEDED`);
 * - anything else is captured.
 * The payment id derives from the order id, as a real gateway's idempotency key would make a
 * retried capture return the same charge.
 */
import { createHash } from 'node:crypto';
import type { Rejection } from '#shared/contracts';

/** The largest amount the gateway captures: $10,000.00. */
export const AMOUNT_LIMIT_CENTS = 1_000_000;

/** The gateway's answer. */
export type PaymentResult =
  | { readonly status: 'captured'; readonly paymentId: string }
  | { readonly status: 'declined'; readonly reason: Rejection };

/** Captures `amountCents` with `paymentToken` for `orderId`. */
export function capturePayment(orderId: string, paymentToken: string, amountCents: number): PaymentResult {
  // Prefixes, so that every test order can carry a token of its own (`tok_decline_3f9a...`).
  if (paymentToken.startsWith('tok_decline')) {
    return { status: 'declined', reason: { code: 'CARD_DECLINED', message: 'the card was declined' } };
  }
  if (paymentToken.startsWith('tok_insufficient_funds')) {
    return { status: 'declined', reason: { code: 'INSUFFICIENT_FUNDS', message: 'the card has insufficient funds' } };
  }
  if (amountCents > AMOUNT_LIMIT_CENTS) {
    return {
      status: 'declined',
      reason: { code: 'AMOUNT_LIMIT_EXCEEDED', message: `amount ${amountCents} cents is above the limit of ${AMOUNT_LIMIT_CENTS} cents` },
    };
  }
  return { status: 'captured', paymentId: `pay_${digest(orderId).slice(0, 24)}` };
}

/** A stable hex digest, for ids derived from an order id. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
