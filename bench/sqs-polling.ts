/**
 * How Lambda's pollers turn a queue's messages into SQS requests and invocations, as a function
 * of the rate the messages arrive: the model the cost curve prices. AWS documents the rules, not
 * the pollers' internals, so the model is the simplest one that follows the rules:
 *
 * - An SQS event source mapping starts with five pollers, each long-polling the queue
 *   (`ReceiveMessage`, `WaitTimeSeconds` 20) while it is idle; an empty receive is billed like
 *   any other request. Pollers scale up only while messages are backlogged.
 *   @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
 *   @see https://aws.amazon.com/sqs/pricing/
 * - A receive returns at most 10 messages, and a long poll returns as soon as any message is
 *   there, not when 10 are.
 *   @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-short-and-long-polling.html
 * - Without a batching window, the batch is what one receive returned (at most `BatchSize` and
 *   10). With `MaximumBatchingWindowInSeconds`, the poller keeps receiving until the batch holds
 *   `BatchSize` records or the window, started by the first record, closes.
 *   @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#sqs-batching-window
 * - The mapping deletes a batch's processed messages with `DeleteMessageBatch`, 10 a request.
 *   @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
 *
 * Arrivals are taken as random (Poisson) and shared evenly by the pollers: a poller sees
 * `μ = λ / pollers` messages a second. Written by hand: no library models Lambda's pollers.
 */

/** SQS returns, and deletes in a batch, at most 10 messages per request. */
export const SQS_MAX_MESSAGES_PER_REQUEST = 10;

/** What the model assumes of the pollers. */
export interface PollingBehaviour {
  /** Pollers per mapping (Lambda starts with five). */
  readonly pollers: number;
  /** `WaitTimeSeconds` of a long poll. */
  readonly longPollSeconds: number;
  /**
   * Seconds from one receive's answer to the next receive reaching the queue: the messages
   * that arrive meanwhile come back together. An assumption (a round trip within a region);
   * the smaller it is, the fewer messages each receive returns, so the model errs on the
   * design's side of the cost.
   */
  readonly receiveTurnaroundSeconds: number;
}

/** Lambda's five pollers, 20-second long polls, a 10 ms receive turnaround. */
export const LAMBDA_POLLING: PollingBehaviour = { pollers: 5, longPollSeconds: 20, receiveTurnaroundSeconds: 0.01 };

/** A mapping's batching settings. */
export interface MappingBatching {
  readonly batchSize: number;
  /** `MaximumBatchingWindowInSeconds`; 0 for none. */
  readonly batchingWindowSeconds: number;
}

/** How one mapping's batches look at one arrival rate. */
export interface BatchShape {
  /** Records per invocation, on average. */
  readonly recordsPerBatch: number;
  /** `ReceiveMessage` requests that returned messages, per batch. */
  readonly receivesPerBatch: number;
  /** `DeleteMessageBatch` requests per batch. */
  readonly deletesPerBatch: number;
}

/**
 * The batches a mapping hands its function when `messagesPerSecond` arrive on its queue and
 * the function takes `secondsPerRecord` per record.
 *
 * - A receive returns its first message and those that arrived during the turnaround `r`:
 *   `1 + μr`, at most 10.
 * - No window: while a poller's function runs a batch, its next messages wait, so a batch is
 *   `f = 1 + μ(r + f·d)` for `d` seconds a record, i.e. `f = (1 + μr) / (1 − μd)`, at most
 *   `min(BatchSize, 10)` (which it reaches when `μd ≥ 1`: the poller no longer keeps up).
 * - A window of `W` seconds: the first record and those arriving within `W`, `f = 1 + μW`, at
 *   most `BatchSize`, gathered by `f / (1 + μr)` receives (at least 1).
 * - Deletes: `f / 10` requests, at least 1.
 */
export function batchShape(mapping: MappingBatching, messagesPerSecond: number, secondsPerRecord: number, behaviour: PollingBehaviour = LAMBDA_POLLING): BatchShape {
  const perPoller = messagesPerSecond / behaviour.pollers;
  const perReceive = Math.min(SQS_MAX_MESSAGES_PER_REQUEST, 1 + perPoller * behaviour.receiveTurnaroundSeconds);
  let recordsPerBatch: number;
  let receivesPerBatch: number;
  if (mapping.batchingWindowSeconds > 0) {
    recordsPerBatch = Math.min(mapping.batchSize, 1 + perPoller * mapping.batchingWindowSeconds);
    receivesPerBatch = Math.max(1, recordsPerBatch / perReceive);
  } else {
    const cap = Math.min(mapping.batchSize, SQS_MAX_MESSAGES_PER_REQUEST);
    const busy = perPoller * secondsPerRecord;
    recordsPerBatch = busy >= 1 ? cap : Math.min(cap, (1 + perPoller * behaviour.receiveTurnaroundSeconds) / (1 - busy));
    receivesPerBatch = 1;
  }
  return { recordsPerBatch, receivesPerBatch, deletesPerBatch: Math.max(1, recordsPerBatch / SQS_MAX_MESSAGES_PER_REQUEST) };
}

/**
 * Empty receives a second on a queue where `messagesPerSecond` arrive: each poller's long poll
 * ends empty when no message reaches it within `longPollSeconds` (probability `e^(−μT)`), so a
 * poller makes `μ·e^(−μT) / (1 − e^(−μT))` empty receives a second: `1/T` on an idle queue,
 * next to none once a message comes every few seconds.
 */
export function emptyReceivesPerSecond(messagesPerSecond: number, behaviour: PollingBehaviour = LAMBDA_POLLING): number {
  const perPoller = messagesPerSecond / behaviour.pollers;
  const seconds = behaviour.longPollSeconds;
  if (perPoller <= 0) return behaviour.pollers / seconds;
  // -expm1(-x) = 1 - e^(-x), exact for the small x of a nearly idle queue.
  const emptyShare = Math.exp(-perPoller * seconds);
  return (behaviour.pollers * perPoller * emptyShare) / -Math.expm1(-perPoller * seconds);
}
