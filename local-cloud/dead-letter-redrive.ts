/**
 * Moving parked messages back to where they failed, never deleting one that was not moved: the
 * one redrive of the project, through the AWS SDK, so it works the same against AWS, LocalStack
 * and the local cloud (`npm run dlq` and the local console both call it).
 *
 * - A queue DLQ is redriven with an SQS message move task (StartMessageMoveTask), which moves
 *   the messages inside SQS, then polled with ListMessageMoveTasks until it ends. Where the
 *   target does not have the API (an older LocalStack), by copy.
 * - A rule-target DLQ is always redriven by copy: SQS moves messages only out of a queue that
 *   some queue's redrive policy names as its DLQ, which a rule target's DLQ is not. Each event
 *   goes to the queue EventBridge could not deliver it to (its TARGET_ARN attribute), not back
 *   onto the bus, where every other rule would match it again.
 * - By copy: receive a few messages (hidden for a while), send each to its destination with the
 *   same body and attributes, and only once SQS accepted the copy delete the original. A failure
 *   stops the redrive and makes the messages not moved visible again.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 */
import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { queueNameOfArn } from '#cloud/events/target-delivery';

/** The two kinds of dead-letter queue, which redrive differently. */
export const DeadLetterKind = {
  /** A queue's redrive DLQ: records that failed `maxReceiveCount` times or that a handler parked. */
  queue: 'queue',
  /** A rule target's DLQ: events EventBridge could not deliver to the target. */
  ruleTarget: 'rule-target',
} as const;
export type DeadLetterKind = (typeof DeadLetterKind)[keyof typeof DeadLetterKind];

/** A queue, by the three names AWS gives it. */
export interface QueueReference {
  readonly name: string;
  readonly url: string;
  readonly arn: string;
}

/** A dead-letter queue, as much of it as a redrive needs. */
export interface RedrivableQueue extends QueueReference {
  readonly kind: DeadLetterKind;
  /**
   * Where its messages came from, and where a redrive returns them: for a queue DLQ the queues
   * whose redrive policy names it; for a rule-target DLQ the queues the rule delivers to.
   * Empty when that cannot be known.
   */
  readonly sources: readonly QueueReference[];
  /** Messages available to receive when the redrive starts (ApproximateNumberOfMessages). */
  readonly visible: number;
}

/**
 * A redrive stopped before it moved every message. Messages not moved are still in the DLQ:
 * a message is deleted only after its copy was sent.
 */
export class RedriveError extends Error {
  override name = 'RedriveError';
  /** How many messages had been moved when it stopped. */
  readonly moved: number;
  /** The queue the failed call addressed. */
  readonly queueUrl: string;
  /** The message the failure concerns. */
  readonly messageId?: string;

  constructor(message: string, options: { readonly cause?: unknown; readonly queueUrl: string; readonly moved: number; readonly messageId?: string }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.moved = options.moved;
    this.queueUrl = options.queueUrl;
    if (options.messageId !== undefined) this.messageId = options.messageId;
  }
}

/** How a redrive moved the messages. */
export const RedriveMethod = {
  /** SQS's message move task: the messages move inside SQS. */
  moveTask: 'message-move-task',
  /** Receive, send a copy, delete the original once the copy is sent. */
  copy: 'copy',
} as const;
export type RedriveMethod = (typeof RedriveMethod)[keyof typeof RedriveMethod];

/** Where a redrive is. */
export interface RedriveProgress {
  readonly method: RedriveMethod;
  readonly moved: number;
  /** What the redrive set out to move: the messages visible when it started. */
  readonly toMove: number;
}

/** What a finished redrive did. */
export interface RedriveResult extends RedriveProgress {
  /** The queues (ARNs) messages were moved to; empty when SQS chose them (each message's source). */
  readonly destinations: readonly string[];
}

/** Options of {@link redriveDeadLetterQueue}. */
export interface RedriveOptions {
  /**
   * Move at most this many messages a second, from 1 to 500 (a move task's limit).
   * @default as fast as SQS goes
   */
  readonly ratePerSecond?: number;
  /** How often a move task's progress is read. @default 1000 ms */
  readonly pollIntervalMs?: number;
  /** Told after each step forward. */
  readonly onProgress?: (progress: RedriveProgress) => void;
}

/**
 * Error codes meaning the target has no message move tasks: AWS's and the local cloud's
 * `UnsupportedOperation`, an unknown action, or (older LocalStack) a 501 "not implemented".
 */
const UNSUPPORTED_CODES = new Set(['UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', 'InvalidAction', 'UnknownOperationException', 'NotImplemented']);
const HTTP_NOT_IMPLEMENTED = 501;
/** Copies must be sent and originals deleted before the receive's visibility timeout ends. */
const HOLD_SECONDS = 30;
const SQS_BATCH = 10;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
/** Move task statuses that end it. @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasksResultEntry.html */
const MoveTaskStatus = { completed: 'COMPLETED', failed: 'FAILED', cancelled: 'CANCELLED' } as const;

/** Moves the messages visible in `deadLetterQueue` back to where they failed. */
export async function redriveDeadLetterQueue(sqs: SQSClient, deadLetterQueue: RedrivableQueue, options: RedriveOptions = {}): Promise<RedriveResult> {
  if (deadLetterQueue.kind === DeadLetterKind.ruleTarget) return moveByCopy(sqs, deadLetterQueue, options);
  // Records the handler parked were sent to the DLQ, not moved there by SQS, so they carry no
  // source queue of their own: name it. With several sources, each message goes back to the
  // queue SQS moved it from.
  const destination = deadLetterQueue.sources.length === 1 ? deadLetterQueue.sources[0] : undefined;
  let taskHandle: string | undefined;
  try {
    const started = await sqs.send(
      new StartMessageMoveTaskCommand({
        SourceArn: deadLetterQueue.arn,
        ...(destination === undefined ? {} : { DestinationArn: destination.arn }),
        ...(options.ratePerSecond === undefined ? {} : { MaxNumberOfMessagesPerSecond: options.ratePerSecond }),
      }),
    );
    taskHandle = started.TaskHandle;
  } catch (error) {
    if (isMoveTaskUnsupported(error)) return moveByCopy(sqs, deadLetterQueue, options);
    throw new RedriveError(`could not start a message move task on ${deadLetterQueue.name}: ${messageOf(error)}`, { cause: error, queueUrl: deadLetterQueue.url, moved: 0 });
  }
  return followMoveTask(sqs, deadLetterQueue, taskHandle, destination === undefined ? [] : [destination.arn], options);
}

/** Whether StartMessageMoveTask failed because the target does not have it. */
export function isMoveTaskUnsupported(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata } = error as { name?: unknown; $metadata?: { httpStatusCode?: number } };
  return (typeof name === 'string' && UNSUPPORTED_CODES.has(name)) || $metadata?.httpStatusCode === HTTP_NOT_IMPLEMENTED;
}

/** Polls the move task until it ends; the task runs inside SQS, so stopping here does not stop it. */
async function followMoveTask(sqs: SQSClient, deadLetterQueue: RedrivableQueue, taskHandle: string | undefined, destinations: readonly string[], options: RedriveOptions): Promise<RedriveResult> {
  let progress: RedriveProgress = { method: RedriveMethod.moveTask, moved: 0, toMove: deadLetterQueue.visible };
  for (;;) {
    await sleep(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    let results;
    try {
      // One task runs per source queue at a time, so the newest task of this queue is ours.
      ({ Results: results } = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: deadLetterQueue.arn, MaxResults: 1 })));
    } catch (error) {
      throw new RedriveError(`could not read the progress of the move task on ${deadLetterQueue.name} (it goes on in SQS${taskHandle === undefined ? '' : `; handle ${taskHandle}`}): ${messageOf(error)}`, {
        cause: error,
        queueUrl: deadLetterQueue.url,
        moved: progress.moved,
      });
    }
    const task = results?.[0];
    if (task === undefined) throw new RedriveError(`the move task on ${deadLetterQueue.name} is not listed any more`, { queueUrl: deadLetterQueue.url, moved: progress.moved });
    progress = { method: RedriveMethod.moveTask, moved: task.ApproximateNumberOfMessagesMoved ?? 0, toMove: task.ApproximateNumberOfMessagesToMove ?? progress.toMove };
    options.onProgress?.(progress);
    if (task.Status === MoveTaskStatus.completed) return { ...progress, destinations };
    if (task.Status === MoveTaskStatus.failed || task.Status === MoveTaskStatus.cancelled) {
      throw new RedriveError(`the move task on ${deadLetterQueue.name} ended ${task.Status} after ${progress.moved} of ${progress.toMove} messages${task.FailureReason === undefined ? '' : `: ${task.FailureReason}`}`, {
        queueUrl: deadLetterQueue.url,
        moved: progress.moved,
      });
    }
  }
}

/** Redrives by receive, send a copy, delete the original; stops at the first failure. */
async function moveByCopy(sqs: SQSClient, deadLetterQueue: RedrivableQueue, options: RedriveOptions): Promise<RedriveResult> {
  const fail = (message: string, cause: unknown, moved: number, messageId?: string) =>
    new RedriveError(message, { cause, queueUrl: deadLetterQueue.url, moved, ...(messageId === undefined ? {} : { messageId }) });
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueue.url, AttributeNames: ['ApproximateNumberOfMessages'] })).catch((error: unknown) => {
    throw fail(`could not read the depth of ${deadLetterQueue.name}: ${messageOf(error)}`, error, 0);
  });
  // Like a move task, move what is there now: a destination whose handler parks the message
  // again would otherwise feed the redrive for ever.
  const toMove = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  const queueUrls = new Map(deadLetterQueue.sources.map((source) => [source.arn, source.url]));
  const destinations = new Set<string>();
  const startedAt = Date.now();
  let moved = 0;

  while (moved < toMove) {
    let received: Message[];
    try {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterQueue.url,
          MaxNumberOfMessages: Math.min(SQS_BATCH, toMove - moved),
          VisibilityTimeout: HOLD_SECONDS,
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      received = Messages ?? [];
    } catch (error) {
      throw fail(`could not receive from ${deadLetterQueue.name} after moving ${moved}: ${messageOf(error)}`, error, moved);
    }
    if (received.length === 0) break;

    for (const [index, message] of received.entries()) {
      const messageId = message.MessageId ?? '';
      try {
        if (options.ratePerSecond !== undefined) await sleep(startedAt + (moved * 1000) / options.ratePerSecond - Date.now());
        const destinationArn = destinationOf(deadLetterQueue, message);
        const destinationUrl = queueUrls.get(destinationArn) ?? (await queueUrlOfArn(sqs, destinationArn));
        queueUrls.set(destinationArn, destinationUrl);
        await sqs.send(
          new SendMessageCommand({
            QueueUrl: destinationUrl,
            MessageBody: message.Body ?? '',
            ...(message.MessageAttributes === undefined ? {} : { MessageAttributes: copyOfAttributes(message.MessageAttributes) }),
            // A FIFO DLQ's messages go back to their group; the original id keeps a retried copy single.
            ...(message.Attributes?.MessageGroupId === undefined ? {} : { MessageGroupId: message.Attributes.MessageGroupId, MessageDeduplicationId: messageId }),
          }),
        );
        destinations.add(destinationArn);
      } catch (error) {
        // Nothing was deleted: the message and those after it stay in the DLQ; make them visible now.
        const stillHeld = await makeVisible(sqs, deadLetterQueue.url, received.slice(index));
        throw fail(`message ${messageId} was not moved (${messageOf(error)}); it is still in ${deadLetterQueue.name}${stillHeld}`, error, moved, messageId);
      }
      try {
        await sqs.send(new DeleteMessageCommand({ QueueUrl: deadLetterQueue.url, ReceiptHandle: message.ReceiptHandle }));
      } catch (error) {
        const stillHeld = await makeVisible(sqs, deadLetterQueue.url, received.slice(index + 1));
        throw fail(
          `message ${messageId} was copied but could not be deleted from ${deadLetterQueue.name} (${messageOf(error)}); it will be delivered again, which the idempotent steps absorb${stillHeld}`,
          error,
          moved + 1,
          messageId,
        );
      }
      moved += 1;
      options.onProgress?.({ method: RedriveMethod.copy, moved, toMove });
    }
  }
  return { method: RedriveMethod.copy, moved, toMove, destinations: [...destinations] };
}

/** Where a message of the DLQ goes back to (a queue ARN). */
function destinationOf(deadLetterQueue: RedrivableQueue, message: Message): string {
  const onlySource = deadLetterQueue.sources.length === 1 ? deadLetterQueue.sources[0]?.arn : undefined;
  const destination =
    deadLetterQueue.kind === DeadLetterKind.ruleTarget
      ? (message.MessageAttributes?.TARGET_ARN?.StringValue ?? onlySource)
      : (onlySource ?? message.Attributes?.DeadLetterQueueSourceArn);
  if (destination === undefined) throw new Error(`nothing says which queue message ${message.MessageId ?? ''} came from`);
  if (!destination.startsWith('arn:aws:sqs:')) throw new Error(`its target ${destination} is not an SQS queue; redrive it through EventBridge`);
  return destination;
}

/** The URL of the queue with this ARN, from its name and account. */
async function queueUrlOfArn(sqs: SQSClient, arn: string): Promise<string> {
  const account = arn.split(':')[4];
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueNameOfArn(arn), ...(account ? { QueueOwnerAWSAccountId: account } : {}) }));
  if (QueueUrl === undefined) throw new Error(`SQS returned no URL for ${arn}`);
  return QueueUrl;
}

/** The received attributes in the shape SendMessage takes. */
function copyOfAttributes(attributes: Record<string, MessageAttributeValue>): Record<string, MessageAttributeValue> {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, value]) => [
      name,
      { DataType: value.DataType, ...(value.StringValue === undefined ? {} : { StringValue: value.StringValue }), ...(value.BinaryValue === undefined ? {} : { BinaryValue: value.BinaryValue }) },
    ]),
  );
}

/**
 * Makes received messages visible again so the next redrive or read sees them at once;
 * returns a note for the error message when that failed too (they reappear after the hold).
 */
async function makeVisible(sqs: SQSClient, queueUrl: string, messages: readonly Message[]): Promise<string> {
  const entries = messages.flatMap((message, index) => (message.ReceiptHandle === undefined ? [] : [{ Id: String(index), ReceiptHandle: message.ReceiptHandle, VisibilityTimeout: 0 }]));
  if (entries.length === 0) return '';
  try {
    const { Failed } = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    return Failed !== undefined && Failed.length > 0 ? `; ${Failed.length} message(s) stay hidden for up to ${HOLD_SECONDS} s` : '';
  } catch (error) {
    return `; the messages received stay hidden for up to ${HOLD_SECONDS} s (${messageOf(error)})`;
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
