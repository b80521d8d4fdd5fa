/**
 * The DLQ tool's errors. Each names what it concerns (a queue, a message) and keeps the SDK
 * error that caused it as `cause`, so the CLI can print one line and a debugger the whole chain.
 */

/** Context an error of the tool may carry. */
export interface DlqToolErrorOptions {
  readonly cause?: unknown;
  /** The queue the failed call addressed. */
  readonly queueUrl?: string;
  /** The message the failure concerns. */
  readonly messageId?: string;
}

/** Base of every error the DLQ tool throws on purpose. */
export class DlqToolError extends Error {
  override name = 'DlqToolError';
  readonly queueUrl?: string;
  readonly messageId?: string;

  constructor(message: string, options: DlqToolErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    if (options.queueUrl !== undefined) this.queueUrl = options.queueUrl;
    if (options.messageId !== undefined) this.messageId = options.messageId;
  }
}

/** The command line is wrong (the CLI exits with 2 and prints the usage). */
export class UsageError extends DlqToolError {
  override name = 'UsageError';
}

/** No AWS API answered at the target's endpoint (nothing listening, DNS, time-out). */
export class EndpointUnreachableError extends DlqToolError {
  override name = 'EndpointUnreachableError';
}

/** A `<queue>` argument named no dead-letter queue of the stack. */
export class QueueNotFoundError extends DlqToolError {
  override name = 'QueueNotFoundError';
}

/** Listing the stack's queues, their redrive sources or its rules failed. */
export class DiscoveryError extends DlqToolError {
  override name = 'DiscoveryError';
}

/** Reading a DLQ's messages (or making them visible again afterwards) failed. */
export class InspectError extends DlqToolError {
  override name = 'InspectError';
}
