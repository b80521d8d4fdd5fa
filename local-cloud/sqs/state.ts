/**
 * The local SQS's state as plain data: queues with their messages, FIFO deduplication and
 * sequence numbers, and message move tasks. Plain data, so it is written to a snapshot as JSON
 * as it is; only {@link applySqsChange} in `changes.ts` changes it.
 */
import type { MoveTaskStatus } from '#cloud/sqs/constants';
import type { MessageAttributeMap } from '#cloud/sqs/types';

/** A message as the queue keeps it. */
export interface StoredMessage {
  readonly messageId: string;
  readonly body: string;
  readonly md5OfBody: string;
  readonly messageAttributes: MessageAttributeMap;
  /** `AWSTraceHeader`, the only system attribute a sender can set. */
  readonly systemAttributes: MessageAttributeMap;
  readonly senderId: string;
  /** Epoch ms the message was first sent. */
  readonly sentTimestamp: number;
  /** Epoch ms retention counts from: the send, or the move to a FIFO dead-letter queue. */
  enqueuedAt: number;
  /** Epoch ms from which the message can be received (after its delay or visibility timeout). */
  visibleAt: number;
  /** Receives so far; it travels with the message to the dead-letter queue. */
  receiveCount: number;
  /** Epoch ms of the first receive. */
  firstReceiveTimestamp?: number;
  /** The latest receive from this queue; only its receipt handle is honoured. */
  receipt?: { readonly receiveId: string; readonly receivedAt: number };
  readonly messageGroupId?: string;
  readonly messageDeduplicationId?: string;
  sequenceNumber?: string;
  /** ARN of the queue the message was dead-lettered from; StartMessageMoveTask sends it back there. */
  deadLetterQueueSourceArn?: string;
}

/** A FIFO deduplication entry: the message a deduplication id was first seen with. */
export interface DeduplicationEntry {
  readonly messageId: string;
  readonly sequenceNumber?: string;
  /** Epoch ms from which the id is forgotten. */
  readonly expiresAt: number;
}

/** Everything a queue holds. */
export interface QueueState {
  readonly name: string;
  readonly arn: string;
  /** Epoch seconds, as GetQueueAttributes reports it. */
  readonly createdTimestamp: number;
  /** Epoch seconds of the last attribute change. */
  lastModifiedTimestamp: number;
  /** Settable attributes, normalized, including defaults. */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  /** All messages: delayed, visible and in flight, in the order they were enqueued. */
  messages: StoredMessage[];
  /** Epoch ms of the last PurgeQueue. */
  lastPurgeAt?: number;
  /** FIFO deduplication ids seen in the last 5 minutes, by scope key. */
  deduplication: Record<string, DeduplicationEntry>;
  /** Last FIFO sequence number issued (a decimal of up to 128 bits). */
  lastSequenceNumber: string;
}

/** A message move task. */
export interface MoveTaskState {
  readonly taskId: string;
  readonly sourceArn: string;
  /** Absent: each message goes back to the queue it was dead-lettered from. */
  readonly destinationArn?: string;
  /** Absent: as fast as possible. */
  readonly maxNumberOfMessagesPerSecond?: number;
  status: MoveTaskStatus;
  moved: number;
  /** Visible messages in the source when the task started; the task stops after these. */
  readonly toMove: number;
  failureReason?: string;
  /** Epoch ms. */
  readonly startedTimestamp: number;
}

/** The whole state of the local SQS. */
export interface SqsState {
  /** By queue name. */
  readonly queues: Map<string, QueueState>;
  /** In the order they started. */
  readonly moveTasks: MoveTaskState[];
}

/** A new, empty queue. */
export function newQueueState(name: string, arn: string, attributes: Record<string, string>, tags: Record<string, string>, now: number): QueueState {
  const seconds = Math.floor(now / 1000);
  return {
    name,
    arn,
    createdTimestamp: seconds,
    lastModifiedTimestamp: seconds,
    attributes,
    tags,
    messages: [],
    deduplication: {},
    // SQS sequence numbers are large 128-bit decimals; start high so they look the part.
    lastSequenceNumber: '18800000000000000000',
  };
}
