/**
 * Lambda's SQS event source mapping, locally: a poller receives batches from a queue, invokes the
 * function with `{ Records }`, and deletes what the function processed. Failed messages are
 * left alone, so they come back after their visibility timeout (and reach the DLQ once the
 * queue's redrive policy says so), exactly as on AWS.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { SQSRecord } from 'aws-lambda';
import { untilAborted } from './abortable.ts';
import { gatherBatch } from './batch-gatherer.ts';
import type { FunctionError, FunctionInvoker, InvocationResult } from './invocation-result.ts';
import { readPartialBatchResponse } from './partial-batch-response.ts';
import { validateSqsEventSourceMappingProps } from './sqs-event-source-mapping-props.ts';
import type { SqsMessage, SqsPollingPort } from './sqs-polling-port.ts';
import { toSqsRecord } from './sqs-record.ts';

/** SQS deletes at most 10 messages per `DeleteMessageBatch`. */
const MAX_ENTRIES_PER_DELETE = 10;
/** Back-off after a failed receive (a missing queue, say), doubling up to the long-poll time. */
const FIRST_RETRY_DELAY_MS = 500;
const MAX_RETRY_DELAY_MS = 20_000;

/** What happened to one batch, for logs and benchmarks. */
export interface SqsBatchOutcome {
  /** The records the function was invoked with. */
  readonly records: readonly SQSRecord[];
  /** Message IDs deleted from the queue: processed. */
  readonly deleted: readonly string[];
  /** Message IDs left on the queue, to be received again after their visibility timeout. */
  readonly failed: readonly string[];
  /** The invocation's duration in milliseconds. */
  readonly durationMs: number;
  /** Init duration when the invocation was a cold start. */
  readonly initDurationMs?: number;
  /** The version of the function's code that handled the batch, when the function reported one. */
  readonly codeVersion?: number;
  /**
   * Why messages were left: the invocation's error, a malformed partial batch response
   * (`InvalidPartialBatchResponse`), or a failed delete (`DeleteMessageBatchFailed`). Absent when
   * everything was deleted or the function reported item failures in a valid response.
   */
  readonly error?: FunctionError;
}

/** Configuration of an {@link SqsEventSourceMapping}; mirrors `AWS::Lambda::EventSourceMapping`. */
export interface SqsEventSourceMappingProps {
  /** The queue to poll. */
  readonly sqs: SqsPollingPort;
  /** The function to invoke, e.g. a `LocalFunction`. */
  readonly target: FunctionInvoker;
  /** URL of the queue, for the SQS calls. */
  readonly queueUrl: string;
  /** ARN of the queue, reported as `eventSourceARN`. */
  readonly queueArn: string;
  /** Region reported as `awsRegion`. @default the region in `queueArn` */
  readonly region?: string;
  /**
   * Most records per invocation, 1 to 10000; above 10 needs a batching window of at least 1 s.
   * @default 10
   */
  readonly batchSize?: number;
  /** Seconds to keep gathering records before invoking, 0 to 300. @default 0, invoke as soon as messages arrive */
  readonly maximumBatchingWindowInSeconds?: number;
  /**
   * Whether `FunctionResponseTypes` contains `ReportBatchItemFailures`: the function's
   * `batchItemFailures` then keep only the listed messages on the queue.
   * @default false, only success or failure of the whole batch counts
   */
  readonly reportBatchItemFailures?: boolean;
  /**
   * `ScalingConfig.MaximumConcurrency`, 2 to 1000: the most invocations this mapping runs at once.
   * @default 5, the number of concurrent batches Lambda starts an SQS mapping with
   */
  readonly maxConcurrency?: number;
  /** Whether the mapping polls once started (`Enabled`). @default true */
  readonly enabled?: boolean;
  /** `WaitTimeSeconds` of an idle poller's long poll, 1 to 20. @default 20, what Lambda uses */
  readonly pollWaitTimeSeconds?: number;
  /** Called after each batch, once its messages are deleted or left. */
  readonly onBatch?: (outcome: SqsBatchOutcome) => void;
  /**
   * Called when polling itself fails (a receive error, a throwing `onBatch`); the poller backs
   * off and continues.
   * @default writes the error to the host's stderr
   */
  readonly onError?: (error: unknown) => void;
}

/** A running or stopped SQS event source mapping; see the module comment. */
export class SqsEventSourceMapping {
  readonly #props: SqsEventSourceMappingProps;
  readonly #region: string;
  readonly #batchSize: number;
  readonly #maxConcurrency: number;
  #running: { readonly controller: AbortController; readonly poller: Promise<void> } | undefined;

  /** @throws LocalFunctionConfigError when a property is out of Lambda's range. */
  constructor(props: SqsEventSourceMappingProps) {
    validateSqsEventSourceMappingProps(props);
    this.#props = props;
    this.#region = props.region ?? props.queueArn.split(':')[3] ?? '';
    this.#batchSize = props.batchSize ?? 10;
    this.#maxConcurrency = props.maxConcurrency ?? 5;
  }

  /** Whether the mapping is polling. */
  get running(): boolean {
    return this.#running !== undefined;
  }

  /** Starts polling, unless the mapping is disabled or already running. */
  start(): void {
    if (this.#running !== undefined || this.#props.enabled === false) return;
    const controller = new AbortController();
    this.#running = { controller, poller: this.#poll(controller.signal) };
  }

  /**
   * Stops polling: a long poll is abandoned at once, messages being gathered are left to their
   * visibility timeout, and batches already handed to the function finish (and are deleted)
   * before this resolves.
   */
  async stop(): Promise<void> {
    const running = this.#running;
    if (running === undefined) return;
    this.#running = undefined;
    running.controller.abort();
    await running.poller;
  }

  /**
   * One poller gathers batches and hands each to an invocation, keeping at most
   * `maxConcurrency` in flight. A single gatherer lets a batching window collect everything
   * that arrives (independent pollers would split it), and an idle mapping costs one long poll.
   */
  async #poll(signal: AbortSignal): Promise<void> {
    const inFlight = new Set<Promise<void>>();
    let retryDelayMs = 0;
    while (!signal.aborted) {
      // With a batch in flight, no more is received than the function can start on: messages
      // waiting for an environment would run down their visibility timeout and come back.
      if (inFlight.size >= this.#maxConcurrency || (inFlight.size > 0 && this.#props.target.canInvokeWithoutWaiting?.() === false)) {
        await Promise.race(inFlight);
        continue;
      }
      try {
        const messages = await gatherBatch(
          { receive: (max, wait) => this.#receive(max, wait, signal), pause: (ms) => sleep(ms, undefined, { signal }) },
          {
            batchSize: this.#batchSize,
            batchingWindowMs: (this.#props.maximumBatchingWindowInSeconds ?? 0) * 1000,
            idleWaitTimeSeconds: this.#props.pollWaitTimeSeconds ?? 20,
          },
        );
        retryDelayMs = 0;
        if (messages.length > 0) {
          const batch: Promise<void> = this.#process(messages)
            .then((outcome) => this.#report(outcome))
            .finally(() => inFlight.delete(batch));
          inFlight.add(batch);
        }
      } catch (error) {
        if (signal.aborted) break;
        this.#fail(error);
        retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, Math.max(FIRST_RETRY_DELAY_MS, retryDelayMs * 2));
        await sleep(retryDelayMs, undefined, { signal }).catch(() => undefined);
      }
    }
    await Promise.all(inFlight);
  }

  async #receive(maxNumberOfMessages: number, waitTimeSeconds: number, signal: AbortSignal): Promise<readonly SqsMessage[]> {
    const output = await untilAborted(
      this.#props.sqs.receiveMessage(
        {
          QueueUrl: this.#props.queueUrl,
          MaxNumberOfMessages: maxNumberOfMessages,
          WaitTimeSeconds: waitTimeSeconds,
          // Lambda's records carry every system attribute and every message attribute.
          MessageSystemAttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        },
        { signal },
      ),
      signal,
    );
    return output.Messages ?? [];
  }

  /** Invokes the function with one batch and deletes what it processed. */
  async #process(messages: readonly SqsMessage[]): Promise<SqsBatchOutcome> {
    const records = messages.map((message) => toSqsRecord(message, { queueArn: this.#props.queueArn, region: this.#region }));
    const result = await this.#invoke(records);
    const { keep, error } = this.#judge(result, records);
    const toDelete = records.filter((record) => !keep.has(record.messageId));
    const notDeleted = await this.#delete(toDelete);
    const failed = records.filter((record) => keep.has(record.messageId) || notDeleted.ids.has(record.messageId));
    const outcomeError = error ?? notDeleted.error;
    return {
      records,
      deleted: toDelete.filter((record) => !notDeleted.ids.has(record.messageId)).map((record) => record.messageId),
      failed: failed.map((record) => record.messageId),
      durationMs: result.durationMs,
      ...(result.ok && result.initDurationMs !== undefined ? { initDurationMs: result.initDurationMs } : {}),
      ...(result.codeVersion === undefined ? {} : { codeVersion: result.codeVersion }),
      ...(outcomeError === undefined ? {} : { error: outcomeError }),
    };
  }

  async #invoke(records: readonly SQSRecord[]): Promise<InvocationResult> {
    const startedAt = performance.now();
    try {
      return await this.#props.target.invoke({ Records: records });
    } catch (error) {
      // The host refused the invocation (closed, say): to SQS that is a failed invocation.
      const { name, message } = error instanceof Error ? error : new Error(String(error));
      return { ok: false, error: { errorType: name, errorMessage: message }, durationMs: performance.now() - startedAt };
    }
  }

  /** The message IDs to leave on the queue, and why. */
  #judge(result: InvocationResult, records: readonly SQSRecord[]): { keep: ReadonlySet<string>; error?: FunctionError } {
    const all = new Set(records.map((record) => record.messageId));
    if (!result.ok) return { keep: all, error: result.error };
    if (this.#props.reportBatchItemFailures !== true) return { keep: new Set() };
    const verdict = readPartialBatchResponse(result.result, all);
    if (!verdict.valid) return { keep: all, error: { errorType: 'InvalidPartialBatchResponse', errorMessage: verdict.reason } };
    return { keep: verdict.failedMessageIds };
  }

  /** Deletes `records` in batches of 10; returns those whose delete failed. */
  async #delete(records: readonly SQSRecord[]): Promise<{ ids: ReadonlySet<string>; error?: FunctionError }> {
    const ids = new Set<string>();
    const reasons: string[] = [];
    for (let start = 0; start < records.length; start += MAX_ENTRIES_PER_DELETE) {
      const chunk = records.slice(start, start + MAX_ENTRIES_PER_DELETE);
      const entries = chunk.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle }));
      try {
        const output = await this.#props.sqs.deleteMessageBatch({ QueueUrl: this.#props.queueUrl, Entries: entries });
        for (const failure of output.Failed ?? []) {
          const record = chunk[Number(failure.Id)];
          if (record !== undefined) ids.add(record.messageId);
          reasons.push(`${failure.Code ?? 'Error'}: ${failure.Message ?? 'delete failed'}`);
        }
      } catch (error) {
        for (const record of chunk) ids.add(record.messageId);
        reasons.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
    }
    return reasons.length === 0 ? { ids } : { ids, error: { errorType: 'DeleteMessageBatchFailed', errorMessage: reasons.join('; ') } };
  }

  #report(outcome: SqsBatchOutcome): void {
    try {
      this.#props.onBatch?.(outcome);
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    if (this.#props.onError === undefined) console.error('SQS event source mapping', this.#props.queueArn, error);
    else this.#props.onError(error);
  }
}
