/**
 * Gathers one batch for an SQS event source mapping: long-polls while the queue is idle, then
 * keeps receiving (at most 10 messages per `ReceiveMessage`, the SQS limit) until the batch is
 * full or the batching window closes. With no window, the first non-empty receive is the batch.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#sqs-batching-window
 */
import type { SqsMessage } from './sqs-polling-port.ts';

/** SQS returns at most 10 messages per `ReceiveMessage`, and waits at most 20 s. */
const MAX_MESSAGES_PER_RECEIVE = 10;
const MAX_WAIT_TIME_SECONDS = 20;
/**
 * `WaitTimeSeconds` counts whole seconds, so in the last second of a window an empty short
 * poll is retried after this pause rather than closing the window early.
 */
const LAST_SECOND_POLL_INTERVAL_MS = 50;

/** One `ReceiveMessage` call: up to `maxNumberOfMessages`, waiting up to `waitTimeSeconds`. */
export type ReceiveMessages = (maxNumberOfMessages: number, waitTimeSeconds: number) => Promise<readonly SqsMessage[]>;

/** What gathering needs from its caller. */
export interface BatchGatheringIo {
  /** Receives from the queue. */
  readonly receive: ReceiveMessages;
  /** Waits `ms` milliseconds (rejecting if the mapping stops meanwhile). */
  readonly pause: (ms: number) => Promise<void>;
}

/** How to gather a batch. */
export interface BatchGatheringOptions {
  /** Most messages in a batch. */
  readonly batchSize: number;
  /** How long to keep gathering once the first message is in, in milliseconds; 0 for no window. */
  readonly batchingWindowMs: number;
  /** `WaitTimeSeconds` of the receives made while no message is in hand. */
  readonly idleWaitTimeSeconds: number;
}

/**
 * Returns the gathered messages, or none when an idle long poll ended empty (the caller then
 * polls again). The window starts with the first message, so an idle queue costs one long
 * poll per `idleWaitTimeSeconds` and no CPU in between.
 */
export async function gatherBatch(io: BatchGatheringIo, options: BatchGatheringOptions): Promise<SqsMessage[]> {
  const { batchSize, batchingWindowMs, idleWaitTimeSeconds } = options;
  // By message ID: a window longer than the queue's visibility timeout (a misconfiguration AWS
  // warns about) can receive a message twice, and only its latest receipt handle deletes it.
  const messages = new Map<string | undefined, SqsMessage>();
  let windowClosesAt = Number.POSITIVE_INFINITY;
  while (messages.size < batchSize) {
    const remainingMs = windowClosesAt - Date.now();
    if (remainingMs <= 0) break;
    const waitTimeSeconds = messages.size === 0 ? idleWaitTimeSeconds : Math.min(MAX_WAIT_TIME_SECONDS, Math.floor(remainingMs / 1000));
    const received = await io.receive(Math.min(MAX_MESSAGES_PER_RECEIVE, batchSize - messages.size), waitTimeSeconds);
    for (const message of received) messages.set(message.MessageId, message);
    if (messages.size === 0 || batchingWindowMs === 0) break;
    if (windowClosesAt === Number.POSITIVE_INFINITY) windowClosesAt = Date.now() + batchingWindowMs;
    else if (received.length === 0 && waitTimeSeconds === 0) {
      await io.pause(Math.min(LAST_SECOND_POLL_INTERVAL_MS, Math.max(0, windowClosesAt - Date.now())));
    }
  }
  return [...messages.values()];
}
