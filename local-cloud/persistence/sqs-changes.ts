/**
 * The state changes of the local SQS, as its journal records them, and how replay applies
 * them to the state as plain data. A change carries the outcome, never the request: the ids,
 * receipt ids and times the service drew, as absolute epoch milliseconds, so replaying it
 * gives the same state whatever the clock says at replay.
 */
import type { MoveTaskState } from '#cloud/sqs/message-move-tasks';
import type { QueueState, StoredMessage } from '#cloud/sqs/queue';
import { JournalReplayError } from '#cloud/persistence/errors';
import type { Journal } from '#cloud/persistence/journal';

/** Name of the SQS journal: `DIR/sqs.journal`, `DIR/sqs.snapshot`. */
export const SQS_JOURNAL_NAME = 'sqs';

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
  /** A send: the message as stored, and the FIFO deduplication entry it opened. */
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

/** The state being rebuilt by replay, indexed by queue name. */
export interface SqsStateData {
  readonly queues: Map<string, QueueState>;
  readonly moveTasks: MoveTaskState[];
}

/** The state a snapshot holds, ready for replay (an empty one when there is no snapshot). */
function sqsStateOf(snapshot: SqsSnapshot | undefined): SqsStateData {
  return {
    queues: new Map((snapshot?.queues ?? []).map((queue) => [queue.name, queue])),
    moveTasks: [...(snapshot?.moveTasks ?? [])],
  };
}

/** The state on disk: the snapshot, then every change journalled since. */
export function restoreSqsState(journal: Journal<readonly SqsChange[]>): SqsStateData {
  const state = sqsStateOf(journal.loadSnapshot() as SqsSnapshot | undefined);
  for (const changes of journal.replay()) {
    for (const change of changes) applySqsChange(state, change, journal.file);
  }
  return state;
}

/**
 * Applies one journalled change to the state, as the live service made it.
 *
 * @param file - The journal, for errors.
 * @throws {@link JournalReplayError} when the change names a queue, message or task that is not there.
 */
function applySqsChange(state: SqsStateData, change: SqsChange, file: string): void {
  const fail = (reason: string) => new JournalReplayError(file, change.type, reason);
  const queueOf = (name: string) => {
    const queue = state.queues.get(name);
    if (queue === undefined) throw fail(`queue ${name} does not exist.`);
    return queue;
  };
  const messageOf = (queue: QueueState, messageId: string) => {
    const message = queue.messages.find((candidate) => candidate.messageId === messageId);
    if (message === undefined) throw fail(`message ${messageId} is not in queue ${queue.name}.`);
    return message;
  };
  const taskOf = (taskId: string) => {
    const task = state.moveTasks.find((candidate) => candidate.taskId === taskId);
    if (task === undefined) throw fail(`move task ${taskId} does not exist.`);
    return task;
  };
  switch (change.type) {
    case 'queue-created':
      state.queues.set(change.queue.name, change.queue);
      return;
    case 'queue-deleted':
      state.queues.delete(queueOf(change.queue).name);
      return;
    case 'attributes-set': {
      const queue = queueOf(change.queue);
      queue.attributes = change.attributes;
      queue.lastModifiedTimestamp = change.lastModifiedTimestamp;
      return;
    }
    case 'tags-set':
      queueOf(change.queue).tags = change.tags;
      return;
    case 'purged': {
      const queue = queueOf(change.queue);
      queue.messages = [];
      queue.lastPurgeAt = change.at;
      return;
    }
    case 'sent': {
      const queue = queueOf(change.queue);
      queue.messages.push(change.message);
      noteSequenceNumber(queue, change.message);
      if (change.deduplication !== undefined) {
        queue.deduplication[change.deduplication.key] = {
          messageId: change.message.messageId,
          sequenceNumber: change.message.sequenceNumber,
          expiresAt: change.deduplication.expiresAt,
        };
      }
      return;
    }
    case 'adopted': {
      const queue = queueOf(change.queue);
      queue.messages.push(change.message);
      noteSequenceNumber(queue, change.message);
      return;
    }
    case 'received': {
      const queue = queueOf(change.queue);
      for (const received of change.messages) {
        const message = messageOf(queue, received.messageId);
        message.receiveCount = received.receiveCount;
        message.firstReceiveTimestamp = received.firstReceiveTimestamp;
        message.visibleAt = received.visibleAt;
        message.receipt = { receiveId: received.receiveId, receivedAt: change.receivedAt };
      }
      return;
    }
    case 'removed': {
      const queue = queueOf(change.queue);
      // Splice, as the live queue does: a consumer deletes near the front, so this stays cheap.
      for (const messageId of change.messageIds) queue.messages.splice(queue.messages.indexOf(messageOf(queue, messageId)), 1);
      return;
    }
    case 'visibility-changed':
      messageOf(queueOf(change.queue), change.messageId).visibleAt = change.visibleAt;
      return;
    case 'move-task-started':
      state.moveTasks.push(change.task);
      return;
    case 'move-task-progressed':
      taskOf(change.taskId).moved = change.moved;
      return;
    case 'move-task-finished': {
      const task = taskOf(change.taskId);
      task.status = change.status;
      if (change.failureReason !== undefined) task.failureReason = change.failureReason;
      return;
    }
  }
}

/** FIFO sequence numbers only grow; the queue's counter follows the messages it issued. */
function noteSequenceNumber(queue: QueueState, message: StoredMessage): void {
  if (message.sequenceNumber !== undefined && BigInt(message.sequenceNumber) > BigInt(queue.lastSequenceNumber)) {
    queue.lastSequenceNumber = message.sequenceNumber;
  }
}
