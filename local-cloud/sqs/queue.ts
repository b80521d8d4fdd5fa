import { createHash, randomUUID } from 'node:crypto';
import type { ChangeSink, DeepReadonly } from '#cloud/persistence/change-log';
import { nextSequenceNumber, type ReceivedMessageChange, type SqsChange } from '#cloud/sqs/changes';
import { SqsLimits } from '#cloud/sqs/constants';
import { md5OfBody } from '#cloud/sqs/md5';
import { readRedrivePolicy, type RedrivePolicy } from '#cloud/sqs/queue-attributes';
import { encodeReceiptHandle, type ReceiptHandleParts } from '#cloud/sqs/receipt-handle';
import type { QueueState, StoredMessage } from '#cloud/sqs/state';
import type { MessageAttributeMap } from '#cloud/sqs/types';

/** A message to enqueue, already validated. */
export interface NewMessage {
  readonly body: string;
  readonly messageAttributes: MessageAttributeMap;
  readonly systemAttributes: MessageAttributeMap;
  readonly senderId: string;
  /** Per-message delay; the queue's DelaySeconds when absent. */
  readonly delaySeconds?: number;
  readonly messageGroupId?: string;
  /** Explicit deduplication id; FIFO queues with content-based deduplication derive one. */
  readonly messageDeduplicationId?: string;
}

/** Result of {@link Queue.enqueue}. */
export interface EnqueueResult {
  readonly messageId: string;
  readonly sequenceNumber?: string;
  /** True when a FIFO queue dropped the message as a duplicate (AWS still reports success). */
  readonly duplicate: boolean;
}

/** A message handed out by {@link Queue.receive}. */
export interface Delivery {
  readonly message: DeepReadonly<StoredMessage>;
  readonly receiptHandle: string;
}

/** Result of {@link Queue.receive}. */
export interface ReceiveResult {
  readonly delivered: readonly Delivery[];
  /** Messages removed because they exceeded maxReceiveCount; the caller moves them to the DLQ. */
  readonly deadLettered: readonly DeepReadonly<StoredMessage>[];
}

/** What became of a DeleteMessage. */
export type DeleteOutcome = 'deleted' | 'already-gone' | 'stale-receipt' | 'receipt-expired';

/** What became of a ChangeMessageVisibility. */
export type VisibilityChangeOutcome = 'changed' | 'not-found' | 'not-in-flight' | 'beyond-limit';

/** Counts behind the ApproximateNumberOfMessages* attributes. */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/**
 * One SQS queue: its messages and their visibility, receive counts, delays, retention,
 * FIFO ordering and deduplication, and the long polls waiting on it. Free of HTTP and of
 * other queues: moving a message to the dead-letter queue is the caller's job, the queue
 * only hands it over. The queue decides; its state changes only by the changes it commits,
 * which the journal's replay applies again the same way.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
 */
export class Queue {
  private readonly waiters = new Set<() => void>();
  private closed = false;

  /**
   * @param state - The queue's state, held by the service's change log.
   * @param changes - Where the queue commits its changes.
   */
  constructor(
    readonly state: DeepReadonly<QueueState>,
    private readonly changes: ChangeSink<SqsChange>,
  ) {}

  get name(): string {
    return this.state.name;
  }

  get arn(): string {
    return this.state.arn;
  }

  get fifo(): boolean {
    return this.state.attributes.FifoQueue === 'true';
  }

  /** Whether the queue was deleted (or the service shut down). */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Integer value of a numeric attribute. */
  numericAttribute(name: 'VisibilityTimeout' | 'DelaySeconds' | 'MaximumMessageSize' | 'MessageRetentionPeriod' | 'ReceiveMessageWaitTimeSeconds'): number {
    return Number(this.state.attributes[name]);
  }

  get redrivePolicy(): RedrivePolicy | undefined {
    return readRedrivePolicy(this.state.attributes);
  }

  /** Replaces the attributes (already validated) and records the change time. */
  setAttributes(attributes: Record<string, string>, now: number): void {
    this.changes.commit({ type: 'attributes-set', queue: this.name, attributes, lastModifiedTimestamp: Math.floor(now / 1000) });
  }

  /** Replaces the tags. */
  setTags(tags: Record<string, string>): void {
    this.changes.commit({ type: 'tags-set', queue: this.name, tags });
  }

  /**
   * Adds a message. On a FIFO queue a message whose deduplication id was seen in the last
   * 5 minutes is accepted but not enqueued, and the original's id is returned.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
   */
  enqueue(message: NewMessage, now: number): EnqueueResult {
    let deduplicationKey: string | undefined;
    let messageDeduplicationId = message.messageDeduplicationId;
    if (this.fifo) {
      messageDeduplicationId ??= createHash('sha256').update(message.body, 'utf8').digest('hex');
      deduplicationKey =
        this.state.attributes.DeduplicationScope === 'messageGroup'
          ? `${message.messageGroupId ?? ''}/${messageDeduplicationId}`
          : messageDeduplicationId;
      const original = this.state.deduplication[deduplicationKey];
      if (original !== undefined && original.expiresAt > now) return { messageId: original.messageId, sequenceNumber: original.sequenceNumber, duplicate: true };
    }
    const delaySeconds = message.delaySeconds ?? this.numericAttribute('DelaySeconds');
    const stored: StoredMessage = {
      messageId: randomUUID(),
      body: message.body,
      md5OfBody: md5OfBody(message.body),
      messageAttributes: message.messageAttributes,
      systemAttributes: message.systemAttributes,
      senderId: message.senderId,
      sentTimestamp: now,
      enqueuedAt: now,
      visibleAt: now + delaySeconds * 1000,
      receiveCount: 0,
      ...(this.fifo ? { messageGroupId: message.messageGroupId, messageDeduplicationId, sequenceNumber: nextSequenceNumber(this.state) } : {}),
      ...(!this.fifo && message.messageGroupId !== undefined ? { messageGroupId: message.messageGroupId } : {}),
    };
    this.changes.commit({
      type: 'sent',
      queue: this.name,
      message: stored,
      ...(deduplicationKey === undefined ? {} : { deduplication: { key: deduplicationKey, expiresAt: now + SqsLimits.deduplicationIntervalMs } }),
    });
    if (delaySeconds === 0) this.notifyWaiters();
    return { messageId: stored.messageId, sequenceNumber: stored.sequenceNumber, duplicate: false };
  }

  /**
   * Takes in a message that comes from another queue: a dead-lettered one (which keeps its
   * receive count and, on a standard queue, its enqueue time: retention counts from the
   * original send, while a FIFO dead-letter queue resets it), or one a move task sends back
   * (`redriven`, which starts over with no receives).
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
   */
  adopt(message: DeepReadonly<StoredMessage>, now: number, origin: { readonly deadLetterSourceArn?: string; readonly redriven?: boolean }): void {
    const { receipt: _receipt, sequenceNumber: _sequenceNumber, deadLetterQueueSourceArn: _source, firstReceiveTimestamp, ...kept } = message;
    const adopted: StoredMessage = {
      ...kept,
      ...(origin.redriven || firstReceiveTimestamp === undefined ? {} : { firstReceiveTimestamp }),
      enqueuedAt: this.fifo || origin.redriven ? now : message.enqueuedAt,
      visibleAt: now,
      receiveCount: origin.redriven ? 0 : message.receiveCount,
      ...(this.fifo ? { sequenceNumber: nextSequenceNumber(this.state) } : {}),
      ...(origin.deadLetterSourceArn === undefined ? {} : { deadLetterQueueSourceArn: origin.deadLetterSourceArn }),
    };
    this.changes.commit({ type: 'adopted', queue: this.name, message: adopted });
    this.notifyWaiters();
  }

  /**
   * Receives up to `maxMessages` visible messages, hiding each for the visibility timeout
   * and issuing a new receipt handle. A message whose receive would take its receive count
   * above `maxReceiveCount` is not delivered but handed back in `deadLettered` (AWS: "when
   * the ReceiveCount for a message exceeds the maxReceiveCount, SQS moves the message to
   * the dead-letter queue"). On a FIFO queue, messages come in order per message group,
   * and a group with a message in flight (or delayed) yields nothing until that message is
   * deleted or visible again.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-understanding-logic.html
   */
  receive(maxMessages: number, visibilityTimeoutSeconds: number, maxReceiveCount: number | undefined, now: number): ReceiveResult {
    this.dropExpiredMessages(now);
    const deadLettered: DeepReadonly<StoredMessage>[] = [];
    const received: { readonly message: DeepReadonly<StoredMessage>; readonly change: ReceivedMessageChange }[] = [];
    const heldGroups = new Set<string>();
    for (const message of this.state.messages) {
      if (received.length >= maxMessages) break;
      const group = this.fifo ? message.messageGroupId : undefined;
      if (group !== undefined && heldGroups.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) heldGroups.add(group);
        continue;
      }
      if (maxReceiveCount !== undefined && message.receiveCount >= maxReceiveCount) {
        deadLettered.push(message);
        continue;
      }
      received.push({
        message,
        change: {
          messageId: message.messageId,
          receiveId: randomUUID(),
          visibleAt: now + visibilityTimeoutSeconds * 1000,
          receiveCount: message.receiveCount + 1,
          firstReceiveTimestamp: message.firstReceiveTimestamp ?? now,
        },
      });
    }
    if (deadLettered.length > 0) this.changes.commit({ type: 'removed', queue: this.name, messageIds: deadLettered.map((message) => message.messageId) });
    if (received.length > 0) this.changes.commit({ type: 'received', queue: this.name, receivedAt: now, messages: received.map(({ change }) => change) });
    // The change updated these messages in place: each now carries its new receipt.
    const delivered = received.map(({ message, change }): Delivery => ({
      message,
      receiptHandle: encodeReceiptHandle({ queueName: this.name, messageId: message.messageId, receiveId: change.receiveId }),
    }));
    return { delivered, deadLettered };
  }

  /**
   * Deletes the message a receipt handle names, if the handle is the message's latest one.
   * A stale handle leaves the message in place: the request succeeds on a standard queue (AWS:
   * "otherwise, the request succeeds, but the message will not be deleted"), the caller
   * decides. On a FIFO queue a handle whose visibility timeout has passed is expired.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
   */
  deleteMessage(receipt: ReceiptHandleParts, now: number): DeleteOutcome {
    const message = this.find(receipt.messageId);
    if (message === undefined) return 'already-gone';
    if (message.receipt?.receiveId !== receipt.receiveId) return 'stale-receipt';
    if (this.fifo && message.visibleAt <= now) return 'receipt-expired';
    this.changes.commit({ type: 'removed', queue: this.name, messageIds: [message.messageId] });
    return 'deleted';
  }

  /**
   * Changes the visibility timeout of a message in flight, counted from now. The total since
   * the receive may not exceed 12 hours.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ChangeMessageVisibility.html
   */
  changeVisibility(receipt: ReceiptHandleParts, visibilityTimeoutSeconds: number, now: number): VisibilityChangeOutcome {
    const message = this.find(receipt.messageId);
    if (message?.receipt === undefined || message.receipt.receiveId !== receipt.receiveId) return 'not-found';
    if (message.visibleAt <= now) return 'not-in-flight';
    const elapsedSeconds = (now - message.receipt.receivedAt) / 1000;
    if (elapsedSeconds + visibilityTimeoutSeconds > SqsLimits.maxVisibilityTimeoutSeconds) return 'beyond-limit';
    this.changes.commit({ type: 'visibility-changed', queue: this.name, messageId: message.messageId, visibleAt: now + visibilityTimeoutSeconds * 1000 });
    if (visibilityTimeoutSeconds === 0) this.notifyWaiters();
    return 'changed';
  }

  /** The oldest visible message, for a message move task; in-flight and delayed ones stay. */
  firstVisible(now: number): DeepReadonly<StoredMessage> | undefined {
    this.dropExpiredMessages(now);
    return this.state.messages.find((message) => message.visibleAt <= now);
  }

  /** Removes a message that is being moved to another queue. */
  take(message: Pick<StoredMessage, 'messageId'>): void {
    this.changes.commit({ type: 'removed', queue: this.name, messageIds: [message.messageId] });
  }

  /** Deletes every message. AWS allows one purge per queue every 60 seconds; the caller checks. */
  purge(now: number): void {
    this.changes.commit({ type: 'purged', queue: this.name, at: now });
  }

  /** Visible, in-flight and delayed message counts. */
  counts(now: number): QueueCounts {
    this.dropExpiredMessages(now);
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.state.messages) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receipt !== undefined) inFlight += 1;
      else delayed += 1;
    }
    return { visible, inFlight, delayed };
  }

  /** Epoch ms at which the next hidden (delayed or in-flight) message becomes visible. */
  nextVisibleAt(now: number): number | undefined {
    let next: number | undefined;
    for (const { visibleAt } of this.state.messages) {
      if (visibleAt > now && (next === undefined || visibleAt < next)) next = visibleAt;
    }
    return next;
  }

  /**
   * Resolves when a message may have become receivable (one was sent, or made visible) or
   * after `timeoutMs`, whichever is first; at once if the queue is closed. The timer does
   * not keep the process alive.
   */
  waitForMessages(timeoutMs: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, Math.max(0, timeoutMs));
      timer.unref();
      this.waiters.add(wake);
    });
  }

  /** Releases all long polls and refuses new ones: the queue was deleted or the service stopped. */
  close(): void {
    this.closed = true;
    this.notifyWaiters();
  }

  private notifyWaiters(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private find(messageId: string): DeepReadonly<StoredMessage> | undefined {
    return this.state.messages.find((message) => message.messageId === messageId);
  }

  /**
   * Messages older than MessageRetentionPeriod are deleted. The deletion is journalled although
   * replay could work it out from the clock: the retention period may be changed later, and a
   * longer one must not bring an expired message back.
   */
  private dropExpiredMessages(now: number): void {
    const retentionMs = this.numericAttribute('MessageRetentionPeriod') * 1000;
    const expired: string[] = [];
    for (const message of this.state.messages) {
      if (now - message.enqueuedAt >= retentionMs) expired.push(message.messageId);
    }
    if (expired.length > 0) this.changes.commit({ type: 'removed', queue: this.name, messageIds: expired });
  }
}
