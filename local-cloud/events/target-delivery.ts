/**
 * Delivering a matched event to an SQS target as EventBridge does: retry retriable failures
 * with exponential back-off and jitter within the target's RetryPolicy, then send the event to
 * the target's dead-letter queue with the error attributes EventBridge sets. A failure that
 * retrying cannot fix (the queue does not exist, or its policy refuses EventBridge) goes to the
 * DLQ at once; a refusal is EventBridge's `NO_PERMISSIONS`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
import { AwsServiceError } from '#cloud/aws-error';

/** Who sends, for the queue's policy: EventBridge, on behalf of a rule (`aws:SourceArn`). */
export interface SendOrigin {
  /** The ARN of the rule whose target (or target DLQ) the send delivers to. */
  readonly sourceArn: string;
}

/** The SQS operation delivery needs (the local SQS service, in process). */
export interface SqsSendPort {
  sendMessage(input: {
    QueueUrl: string;
    MessageBody: string;
    MessageGroupId?: string;
    MessageDeduplicationId?: string;
    MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
  }, origin?: SendOrigin): Promise<unknown>;
}

/** A target's retry policy. @default 185 attempts over 24 hours, as EventBridge's */
export interface RetryPolicy {
  readonly MaximumRetryAttempts?: number;
  readonly MaximumEventAgeInSeconds?: number;
}

/** One delivery to do. */
export interface Delivery {
  readonly eventId: string;
  readonly eventTime: number;
  readonly ruleArn: string;
  readonly targetArn: string;
  readonly body: string;
  readonly messageGroupId?: string;
  readonly retryPolicy?: RetryPolicy;
  readonly deadLetterArn?: string;
}

/** What became of a delivery, for the cloud's own reporting. */
export type DeliveryOutcome =
  | { readonly status: 'delivered'; readonly attempts: number }
  | { readonly status: 'dead-lettered' | 'dropped'; readonly attempts: number; readonly errorCode: string; readonly errorMessage: string };

/** Options of {@link TargetDelivery}. */
export interface TargetDeliveryOptions {
  readonly sqs: SqsSendPort;
  /** First retry delay; each retry doubles it, with full jitter. @default 100 ms */
  readonly retryBaseDelayMs?: number;
  /** Longest delay between two attempts. @default 30 s */
  readonly retryMaxDelayMs?: number;
  readonly onOutcome?: (delivery: Delivery, outcome: DeliveryOutcome) => void;
  /** @default Date.now */
  readonly now?: () => number;
}

const DEFAULT_MAX_RETRY_ATTEMPTS = 185;
const DEFAULT_MAX_EVENT_AGE_SECONDS = 86_400;
const NOT_RETRIABLE = new Set(['QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'InvalidParameterValue', 'InvalidMessageContents']);
/**
 * A send the queue's policy refused: EventBridge does not retry a target it lacks permissions
 * on, and records `NO_PERMISSIONS` as the DLQ message's `ERROR_CODE`.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);
const NO_PERMISSIONS = 'NO_PERMISSIONS';

/** The queue name at the end of a queue ARN (`arn:aws:sqs:<region>:<account>:<name>`); the local SQS service also takes it as the queue's URL. */
export function queueNameOfArn(arn: string): string {
  return arn.split(':').pop() ?? arn;
}

/** Delivers events to SQS targets with retries and dead-lettering. */
export class TargetDelivery {
  readonly #options: TargetDeliveryOptions;
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  constructor(options: TargetDeliveryOptions) {
    this.#options = options;
  }

  /** Starts a delivery; its outcome is reported through `onOutcome`. */
  deliver(delivery: Delivery): void {
    void this.#attempt(delivery, 0);
  }

  /** Stops retrying (pending retries are abandoned, as when the process ends). */
  close(): void {
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async #attempt(delivery: Delivery, retries: number): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#options.sqs.sendMessage({
        QueueUrl: queueNameOfArn(delivery.targetArn),
        MessageBody: delivery.body,
        ...(delivery.messageGroupId !== undefined ? { MessageGroupId: delivery.messageGroupId, MessageDeduplicationId: delivery.eventId } : {}),
      }, { sourceArn: delivery.ruleArn });
      this.#options.onOutcome?.(delivery, { status: 'delivered', attempts: retries + 1 });
    } catch (error) {
      const code = error instanceof AwsServiceError ? error.code : error instanceof Error ? error.name : 'InternalException';
      const errorCode = ACCESS_DENIED.has(code) ? NO_PERMISSIONS : code;
      const errorMessage = error instanceof Error ? error.message : String(error);
      const maxRetries = delivery.retryPolicy?.MaximumRetryAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS;
      const maxAgeMs = (delivery.retryPolicy?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
      const now = (this.#options.now ?? Date.now)();
      const exhausted = NOT_RETRIABLE.has(errorCode) || errorCode === NO_PERMISSIONS
        ? 'NotRetriable'
        : retries >= maxRetries
          ? 'MaximumRetryAttempts'
          : now - delivery.eventTime >= maxAgeMs
            ? 'MaximumEventAgeInSeconds'
            : undefined;
      if (exhausted === undefined) {
        const ceiling = Math.min(this.#options.retryMaxDelayMs ?? 30_000, (this.#options.retryBaseDelayMs ?? 100) * 2 ** retries);
        const timer = setTimeout(() => {
          this.#timers.delete(timer);
          void this.#attempt(delivery, retries + 1);
        }, Math.random() * ceiling);
        timer.unref();
        this.#timers.add(timer);
        return;
      }
      await this.#deadLetter(delivery, { errorCode, errorMessage, exhausted, retries });
    }
  }

  async #deadLetter(delivery: Delivery, failure: { errorCode: string; errorMessage: string; exhausted: string; retries: number }): Promise<void> {
    const outcome = { attempts: failure.retries + 1, errorCode: failure.errorCode, errorMessage: failure.errorMessage };
    if (delivery.deadLetterArn === undefined) {
      this.#options.onOutcome?.(delivery, { status: 'dropped', ...outcome });
      return;
    }
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    try {
      await this.#options.sqs.sendMessage({
        QueueUrl: queueNameOfArn(delivery.deadLetterArn),
        MessageBody: delivery.body,
        MessageAttributes: {
          RULE_ARN: attribute(delivery.ruleArn),
          TARGET_ARN: attribute(delivery.targetArn),
          ERROR_CODE: attribute(failure.errorCode),
          ERROR_MESSAGE: attribute(failure.errorMessage),
          ...(failure.exhausted !== 'NotRetriable' ? { EXHAUSTED_RETRY_CONDITION: attribute(failure.exhausted) } : {}),
          RETRY_ATTEMPTS: { DataType: 'Number', StringValue: String(failure.retries) },
        },
      }, { sourceArn: delivery.ruleArn });
      this.#options.onOutcome?.(delivery, { status: 'dead-lettered', ...outcome });
    } catch (error) {
      this.#options.onOutcome?.(delivery, { status: 'dropped', ...outcome, errorMessage: `${failure.errorMessage}; the dead-letter queue refused it too: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
