/**
 * Redriving a dead-letter queue from the console, on the local SQS in process: moved, never
 * deleted without being moved, as `npm run dlq` redrives.
 *
 * - A queue's DLQ (some queue's redrive policy names it) is redriven by an SQS message move
 *   task (StartMessageMoveTask), back to its source queue when it has one source (records a
 *   handler parked were sent, not moved, so they carry no source of their own), else to the
 *   queue each message was dead-lettered from.
 * - A rule target's DLQ is not one SQS can move from, so each message is copied to the queue
 *   EventBridge could not deliver it to (its `TARGET_ARN` attribute), and deleted from the DLQ
 *   only once the copy was sent.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
import { queueNameOfArn } from '#cloud/events/target-delivery';
import type { SqsService } from '#cloud/sqs/sqs-service';
import type { StackPlan } from '#cloud/template/stack-plan';

/** How a redrive moves. */
export const RedriveMethod = { moveTask: 'message-move-task', copy: 'copy' } as const;
export type RedriveMethod = (typeof RedriveMethod)[keyof typeof RedriveMethod];

/** What a redrive started or did. */
export interface RedriveResult {
  readonly method: RedriveMethod;
  /** Messages visible when it started: what it moves. */
  readonly toMove: number;
  /** The move task's handle, for a move task. */
  readonly taskHandle?: string;
  /** Messages moved, for a copy (which finishes before answering). */
  readonly moved?: number;
}

/** The queue is not a DLQ of the stack, or a message says nothing of where it goes back. */
export class RedriveRefusedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedriveRefusedError';
  }
}

/** A copy stays hidden this long while it is sent, so no one else receives it meanwhile. */
const HOLD_SECONDS = 30;

/** Redrives DLQ `queueName` of the stack `plan` describes. */
export async function redriveDeadLetterQueue(sqs: SqsService, plan: StackPlan, queueName: string): Promise<RedriveResult> {
  const sources = plan.queues.filter((queue) => queue.deadLetterQueueName === queueName);
  const url = sqs.queueUrl(queueName);
  const toMove = sqs.queueStatistics(url).visible;
  if (sources.length > 0) {
    const only = sources.length === 1 ? sources[0] : undefined;
    const { TaskHandle } = sqs.startMessageMoveTask({ SourceArn: sqs.queueArn(queueName), ...(only === undefined ? {} : { DestinationArn: sqs.queueArn(only.QueueName) }) });
    return { method: RedriveMethod.moveTask, toMove, taskHandle: TaskHandle };
  }
  const isTargetDeadLetter = plan.rules.some((rule) => rule.Targets.some((target) => queueNameOfArn(String((target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn ?? '')) === queueName));
  if (!isTargetDeadLetter) throw new RedriveRefusedError(`${queueName} is neither a queue's DLQ nor a rule target's`);
  return { method: RedriveMethod.copy, toMove, moved: await copyBack(sqs, url, toMove) };
}

/** Receives, sends each copy to its TARGET_ARN queue, deletes the original once the copy is in; returns how many moved. */
async function copyBack(sqs: SqsService, url: string, toMove: number): Promise<number> {
  let moved = 0;
  while (moved < toMove) {
    const output = await sqs.receiveMessage({ QueueUrl: url, MaxNumberOfMessages: Math.min(10, toMove - moved), VisibilityTimeout: HOLD_SECONDS, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] });
    const received = (output.Messages ?? []) as unknown as readonly Received[];
    if (received.length === 0) break;
    for (const [index, message] of received.entries()) {
      const target = message.MessageAttributes?.TARGET_ARN?.StringValue;
      try {
        if (target === undefined) throw new RedriveRefusedError(`message ${message.MessageId} has no TARGET_ARN: nothing says where it goes back`);
        sqs.sendMessage({ QueueUrl: queueNameOfArn(target), MessageBody: message.Body, ...(message.MessageAttributes === undefined ? {} : { MessageAttributes: message.MessageAttributes }) });
      } catch (error) {
        for (const left of received.slice(index)) sqs.changeMessageVisibility({ QueueUrl: url, ReceiptHandle: left.ReceiptHandle, VisibilityTimeout: 0 });
        throw error;
      }
      sqs.deleteMessage({ QueueUrl: url, ReceiptHandle: message.ReceiptHandle });
      moved += 1;
    }
  }
  return moved;
}

interface Received {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly Body: string;
  readonly MessageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}
