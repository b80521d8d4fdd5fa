/**
 * The pipeline's error tree. A `PermanentError` can never succeed on retry (bad input, an
 * unknown order): the record is parked in its DLQ with the reason. A `TransientError` may
 * succeed later (throttling, a network fault): the record is retried.
 */

/** Context every pipeline error may carry, so an operator can find the order and message. */
export interface ErrorContext {
  readonly orderId?: string;
  readonly messageId?: string;
  readonly cause?: unknown;
}

/** Base of every error this project throws. */
export class PipelineError extends Error {
  readonly orderId?: string;
  readonly messageId?: string;

  constructor(message: string, context: ErrorContext = {}) {
    super(message, { cause: context.cause });
    this.name = 'PipelineError';
    this.orderId = context.orderId;
    this.messageId = context.messageId;
  }
}

/** Retrying cannot help: park the record with this reason. */
export class PermanentError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super(message, context);
    this.name = 'PermanentError';
  }
}

/** Retrying may help: leave the record to be redelivered. */
export class TransientError extends PipelineError {
  constructor(message: string, context: ErrorContext = {}) {
    super(message, context);
    this.name = 'TransientError';
  }
}

/** One problem with an input, located by its field path (e.g. `items.0.quantity`). */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** The input does not match its schema; lists every problem by field. */
export class ValidationError extends PermanentError {
  readonly issues: readonly FieldIssue[];

  constructor(what: string, issues: readonly FieldIssue[], context: ErrorContext = {}) {
    super(`${what} is invalid: ${issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')}`, context);
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** Some events could not be put on the bus even after retries. */
export class PublishError extends TransientError {
  readonly failedEntries: readonly { readonly detailType: string; readonly orderId: string; readonly errorCode?: string; readonly errorMessage?: string }[];

  constructor(failedEntries: PublishError['failedEntries'], context: ErrorContext = {}) {
    super(
      `${failedEntries.length} event(s) could not be published: ${failedEntries
        .map((entry) => `${entry.detailType} for order ${entry.orderId} (${entry.errorCode ?? 'unknown'}: ${entry.errorMessage ?? 'no message'})`)
        .join('; ')}`,
      context,
    );
    this.name = 'PublishError';
    this.failedEntries = failedEntries;
  }
}

/** A write lost a race with a concurrent writer of the same item; retrying resolves it. */
export class ConcurrentUpdateError extends TransientError {
  constructor(message: string, context: ErrorContext = {}) {
    super(message, context);
    this.name = 'ConcurrentUpdateError';
  }
}

/** An `Idempotency-Key` was reused with a different request body. */
export class IdempotencyKeyReuseError extends PermanentError {
  constructor(idempotencyKey: string, context: ErrorContext = {}) {
    super(`Idempotency-Key "${idempotencyKey}" was already used for a different request`, context);
    this.name = 'IdempotencyKeyReuseError';
  }
}

/** Translates a zod error into field issues. */
export function fieldIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/** Reserving would take these SKUs' available stock below zero. */
export class InsufficientStockError extends PipelineError {
  readonly skus: readonly string[];

  constructor(skus: readonly string[], context: ErrorContext = {}) {
    super(`not enough stock for ${skus.join(', ')}`, context);
    this.name = 'InsufficientStockError';
    this.skus = skus;
  }
}

/**
 * An event names an order this step's predecessor never recorded an outcome for: it belongs
 * to no placed order (a forged, misrouted or corrupted event) and can never succeed.
 */
export class UnknownOrderError extends PermanentError {
  constructor(orderId: string, step: string, expected: readonly string[], found: string | undefined, context: ErrorContext = {}) {
    super(`order ${orderId}: ${step} recorded ${found ?? 'nothing'}, not ${expected.join(' or ')}; the event belongs to no placed order`, { orderId, ...context });
    this.name = 'UnknownOrderError';
  }
}

/**
 * capture-payment found no payment intent it may use for the order: never issued (a forged or
 * corrupted event), issued for another order, or expired (a capture redriven more than a day
 * after the order was placed). Without the token there is nothing to capture with, ever.
 */
export class PaymentIntentUnavailableError extends PermanentError {
  readonly paymentIntentId: string;

  constructor(orderId: string, paymentIntentId: string, reason: 'missing or expired' | 'issued for another order', context: ErrorContext = {}) {
    super(`order ${orderId}: payment intent ${paymentIntentId} is ${reason}; the order must be placed again`, { orderId, ...context });
    this.name = 'PaymentIntentUnavailableError';
    this.paymentIntentId = paymentIntentId;
  }
}

/**
 * A step found no contact for the order: never kept (a forged or corrupted event) or expired (an
 * event delivered again more than `ORDER_CONTACT_RETENTION_DAYS` (tables.ts) after the order was
 * placed). Without the customer's address or e-mail there is no one to ship to or tell, ever.
 */
export class OrderContactUnavailableError extends PermanentError {
  constructor(orderId: string, context: ErrorContext = {}) {
    super(`order ${orderId}: its contact (the customer's name, e-mail and address) is missing or expired`, { orderId, ...context });
    this.name = 'OrderContactUnavailableError';
  }
}
