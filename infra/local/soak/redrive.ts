/**
 * Redriving the DLQs once the faults are gone, as an operator would. A step queue's DLQ is
 * moved back with StartMessageMoveTask (to its source queue, named explicitly: records the
 * handlers parked themselves were sent, not dead-lettered, so SQS knows no source for them).
 * A rule target's DLQ is not any queue's DLQ, so SQS cannot move it; its events are received,
 * sent to the rule's target queue, and deleted, which is how EventBridge's guide says to
 * process them.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { DeadLetterRoute } from '#local/soak/dead-letter-routes';
import { queueUrls } from '#local/soak/pipeline-state';

/** Messages moved back, by DLQ name. */
export type RedriveCounts = Map<string, number>;

const TASK_POLL_MS = 200;
const TASK_TIMEOUT_MS = 120_000;

/** Moves every DLQ's messages back to their source queues and waits until the moves are done. */
export async function redriveDeadLetters(sqs: SQSClient, routes: readonly DeadLetterRoute[]): Promise<RedriveCounts> {
  const urls = await queueUrls(sqs, routes.flatMap((route) => [route.deadLetterQueueName, route.sourceQueueName]));
  const urlOf = (name: string) => urls.get(name) ?? name;
  const moved = await Promise.all(
    routes.map((route) =>
      route.kind === 'step' ? moveWithTask(sqs, urlOf(route.deadLetterQueueName), urlOf(route.sourceQueueName)) : resendEvents(sqs, urlOf(route.deadLetterQueueName), urlOf(route.sourceQueueName)),
    ),
  );
  return new Map(routes.map((route, index) => [route.deadLetterQueueName, moved[index] ?? 0]));
}

async function moveWithTask(sqs: SQSClient, deadLetterUrl: string, sourceUrl: string): Promise<number> {
  const [SourceArn, DestinationArn] = await Promise.all([queueArn(sqs, deadLetterUrl), queueArn(sqs, sourceUrl)]);
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterUrl, AttributeNames: ['ApproximateNumberOfMessages'] }));
  if (Number(Attributes.ApproximateNumberOfMessages ?? 0) === 0) return 0;
  await sqs.send(new StartMessageMoveTaskCommand({ SourceArn, DestinationArn }));
  const deadline = Date.now() + TASK_TIMEOUT_MS;
  for (;;) {
    const [task] = (await sqs.send(new ListMessageMoveTasksCommand({ SourceArn, MaxResults: 1 }))).Results ?? [];
    if (task?.Status === 'COMPLETED') return task.ApproximateNumberOfMessagesMoved ?? 0;
    if (task?.Status === 'FAILED' || task?.Status === 'CANCELLED') throw new Error(`redrive of ${SourceArn} ${task.Status}: ${task.FailureReason ?? 'no reason given'}`);
    if (Date.now() > deadline) throw new Error(`redrive of ${SourceArn} did not complete in ${TASK_TIMEOUT_MS / 1000} s`);
    await sleep(TASK_POLL_MS);
  }
}

async function resendEvents(sqs: SQSClient, deadLetterUrl: string, targetUrl: string): Promise<number> {
  let moved = 0;
  for (;;) {
    const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return moved;
    // Sent before deleted: a failure in between leaves a duplicate, never a lost event.
    const sent = await sqs.send(new SendMessageBatchCommand({ QueueUrl: targetUrl, Entries: Messages.map((message, index) => ({ Id: String(index), MessageBody: message.Body ?? '' })) }));
    if ((sent.Failed ?? []).length > 0) throw new Error(`resending to ${targetUrl} failed: ${(sent.Failed ?? []).map((failure) => failure.Message).join('; ')}`);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: deadLetterUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle ?? '' })) }));
    moved += Messages.length;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  if (Attributes.QueueArn === undefined) throw new Error(`queue ${queueUrl} has no ARN`);
  return Attributes.QueueArn;
}
