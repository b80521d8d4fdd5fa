/**
 * The state changes of the local SQS, as data, and the one function that applies them: the
 * live operations commit them through it and the journal's replay runs it again, so each state
 * change is written once. A change carries the outcome, never the request: the ids, receipt
 * ids and times the service drew, as absolute epoch milliseconds, so applying it gives the same
 * state whatever the clock says when it is replayed.
 */
import type { StateModel } from '#cloud/persistence/change-log';
import { ChangeNotApplicableError } from '#cloud/persistence/errors';
import type { MoveTaskState, QueueState, SqsState, StoredMessage } from '#cloud/sqs/state';

/** One message's new state after a receive. */
export interface ReceivedMessageChange {
  readonly messageId: string;
  /** The new receipt; only handles naming it are honoured from now on. */
  readonly receiveId: string;
  /** Epoch ms at which the message becomes visible again. */
  readonly visibleAt: number;
  readonly receiveCount: number;
  /** Epoch ms of the first receive. */
  readonly firstReceiveTimestamp: number;
}

/** A change of the local SQS's state. */
export type SqsChange =
  /** CreateQueue of a new queue: its whole (empty) state. */
  | { readonly type: 'queue-created'; readonly queue: QueueState }
  | { readonly type: 'queue-deleted'; readonly queue: string }
  | { readonly type: 'attributes-set'; readonly queue: string; readonly attributes: Record<string, string>; readonly lastModifiedTimestamp: number }
  /** TagQueue or UntagQueue: the queue's tags after it. */
  | { readonly type: 'tags-set'; readonly queue: string; readonly tags: Record<string, string> }
  | { readonly type: 'purged'; readonly queue: string; readonly at: number }
  /**
   * A send: the message as stored, and the FIFO deduplication entry it opened. Deduplication
   * ids that expired by the send are forgotten with it.
   */
  | { readonly type: 'sent'; readonly queue: string; readonly message: StoredMessage; readonly deduplication?: { readonly key: string; readonly expiresAt: number } }
  /** A message taken in from another queue (dead-lettered or moved back), as stored. */
  | { readonly type: 'adopted'; readonly queue: string; readonly message: StoredMessage }
  | { readonly type: 'received'; readonly queue: string; readonly receivedAt: number; readonly messages: readonly ReceivedMessageChange[] }
  /** Messages gone: deleted, expired, dead-lettered or moved away (an `adopted` follows). */
  | { readonly type: 'removed'; readonly queue: string; readonly messageIds: readonly string[] }
  | { readonly type: 'visibility-changed'; readonly queue: string; readonly messageId: string; readonly visibleAt: number }
  | { readonly type: 'move-task-started'; readonly task: MoveTaskState }
  | { readonly type: 'move-task-progressed'; readonly taskId: string; readonly moved: number }
  | { readonly type: 'move-task-finished'; readonly taskId: string; readonly status: MoveTaskState['status']; readonly failureReason?: string };

/** The local SQS's whole state as plain data: what a snapshot holds. */
export interface SqsSnapshot {
  readonly queues: readonly QueueState[];
  readonly moveTasks: readonly MoveTaskState[];
}

/** The local SQS's state, its changes and its journal (`DIR/sqs.journal`, `DIR/sqs.snapshot`). */
export const sqsStateModel: StateModel<SqsState, SqsChange> = {
  journalName: 'sqs',
  restore(snapshot) {
    const data = snapshot as SqsSnapshot | undefined;
    return { queues: new Map((data?.queues ?? []).map((queue) => [queue.name, queue])), moveTasks: [...(data?.moveTasks ?? [])] };
  },
  apply: applySqsChange,
  snapshot(state): SqsSnapshot {
    return { queues: [...state.queues.values()], moveTasks: state.moveTasks };
  },
};

/** The sequence number a FIFO queue gives the next message it takes in. */
export function nextSequenceNumber(queue: Pick<QueueState, 'lastSequenceNumber'>): string {
  return (BigInt(queue.lastSequenceNumber) + 1n).toString();
}

/**
 * Applies one change to the state. The state keeps the objects a change carries; a change in a
 * batch is written when the batch ends, so it must read the same then: a container the state
 * grows later (a new queue's messages) is copied, and every later change to a kept object sets
 * values outright (a receive count, not one more), so a line that holds both stays right.
 *
 * @throws {@link ChangeNotApplicableError} when the change names a queue, message or task that is not there.
 */
export function applySqsChange(state: SqsState, change: SqsChange): void {
  switch (change.type) {
    case 'queue-created': {
      const { queue } = change;
      state.queues.set(queue.name, { ...queue, messages: [...queue.messages], deduplication: { ...queue.deduplication } });
      return;
    }
    case 'queue-deleted':
      state.queues.delete(queueOf(state, change, change.queue).name);
      return;
    case 'attributes-set': {
      const queue = queueOf(state, change, change.queue);
      queue.attributes = change.attributes;
      queue.lastModifiedTimestamp = change.lastModifiedTimestamp;
      return;
    }
    case 'tags-set':
      queueOf(state, change, change.queue).tags = change.tags;
      return;
    case 'purged': {
      const queue = queueOf(state, change, change.queue);
      queue.messages = [];
      queue.lastPurgeAt = change.at;
      return;
    }
    case 'sent': {
      const queue = queueOf(state, change, change.queue);
      queue.messages.push(change.message);
      noteSequenceNumber(queue, change.message);
      if (change.deduplication !== undefined) {
        forgetExpiredDeduplication(queue, change.message.sentTimestamp);
        queue.deduplication[change.deduplication.key] = {
          messageId: change.message.messageId,
          sequenceNumber: change.message.sequenceNumber,
          expiresAt: change.deduplication.expiresAt,
        };
      }
      return;
    }
    case 'adopted': {
      const queue = queueOf(state, change, change.queue);
      queue.messages.push(change.message);
      noteSequenceNumber(queue, change.message);
      return;
    }
    case 'received': {
      const queue = queueOf(state, change, change.queue);
      for (const received of change.messages) {
        const message = messageOf(queue, change, received.messageId);
        message.receiveCount = received.receiveCount;
        message.firstReceiveTimestamp = received.firstReceiveTimestamp;
        message.visibleAt = received.visibleAt;
        message.receipt = { receiveId: received.receiveId, receivedAt: change.receivedAt };
      }
      return;
    }
    case 'removed':
      removeMessages(queueOf(state, change, change.queue), change);
      return;
    case 'visibility-changed':
      messageOf(queueOf(state, change, change.queue), change, change.messageId).visibleAt = change.visibleAt;
      return;
    case 'move-task-started':
      state.moveTasks.push(change.task);
      return;
    case 'move-task-progressed':
      taskOf(state, change, change.taskId).moved = change.moved;
      return;
    case 'move-task-finished': {
      const task = taskOf(state, change, change.taskId);
      task.status = change.status;
      if (change.failureReason !== undefined) task.failureReason = change.failureReason;
      return;
    }
  }
}

// Lookups for apply, at module level: apply runs for every message, and closures made per call
// would cost an allocation each time.

function queueOf(state: SqsState, change: SqsChange, name: string): QueueState {
  const queue = state.queues.get(name);
  if (queue === undefined) throw new ChangeNotApplicableError(change.type, `queue ${name} does not exist.`);
  return queue;
}

function messageOf(queue: QueueState, change: SqsChange, messageId: string): StoredMessage {
  const message = queue.messages.find((candidate) => candidate.messageId === messageId);
  if (message === undefined) throw new ChangeNotApplicableError(change.type, `message ${messageId} is not in queue ${queue.name}.`);
  return message;
}

function taskOf(state: SqsState, change: SqsChange, taskId: string): MoveTaskState {
  const task = state.moveTasks.find((candidate) => candidate.taskId === taskId);
  if (task === undefined) throw new ChangeNotApplicableError(change.type, `move task ${taskId} does not exist.`);
  return task;
}

/**
 * Takes messages out of the queue. One message (a delete: a consumer deletes near the front) is
 * spliced out; several (expired, dead-lettered) go in one pass over the queue.
 */
function removeMessages(queue: QueueState, change: SqsChange & { readonly type: 'removed' }): void {
  const { messageIds } = change;
  if (messageIds.length === 1) {
    const index = queue.messages.findIndex((message) => message.messageId === messageIds[0]);
    if (index < 0) throw new ChangeNotApplicableError(change.type, `message ${messageIds[0]} is not in queue ${queue.name}.`);
    queue.messages.splice(index, 1);
    return;
  }
  const gone = new Set(messageIds);
  const kept = queue.messages.filter((message) => !gone.has(message.messageId));
  if (queue.messages.length - kept.length !== gone.size) throw new ChangeNotApplicableError(change.type, `some of messages ${messageIds.join(', ')} are not in queue ${queue.name}.`);
  queue.messages = kept;
}

/** FIFO sequence numbers only grow; the queue's counter follows the messages it issued. */
function noteSequenceNumber(queue: QueueState, message: StoredMessage): void {
  if (message.sequenceNumber !== undefined && BigInt(message.sequenceNumber) > BigInt(queue.lastSequenceNumber)) {
    queue.lastSequenceNumber = message.sequenceNumber;
  }
}

/**
 * Deduplication ids are kept for 5 minutes; those past it by `now` are dropped, so the table
 * stays as small as the interval allows.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/FIFO-queues-exactly-once-processing.html
 */
function forgetExpiredDeduplication(queue: QueueState, now: number): void {
  for (const [key, entry] of Object.entries(queue.deduplication)) {
    if (entry.expiresAt <= now) delete queue.deduplication[key];
  }
}

