import {
  CancelMessageMoveTaskCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  ResourceNotFoundException,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueue,
  createQueueWithDeadLetterQueue,
  eventually,
  failureOf,
  messageCounts,
  orderEventBody,
  queueArn,
  startLocalSqs,
  type LocalSqs,
} from '#test/local-cloud/sqs/local-sqs';

/** Sends `count` messages to a source queue and fails each once, so they end in its DLQ (maxReceiveCount 1). */
async function deadLetterMessages(client: SQSClient, sourceUrl: string, deadLetterUrl: string, count: number): Promise<void> {
  for (let index = 0; index < count; index += 1) {
    await client.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: orderEventBody() }));
  }
  await client.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
  await client.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10 }));
  const { visible } = await messageCounts(client, deadLetterUrl);
  if (visible !== count) throw new Error(`Expected ${count} dead-lettered messages, found ${visible}`);
}

/** The most recent move task of a source queue. */
async function latestTask(client: SQSClient, sourceArn: string) {
  const { Results = [] } = await client.send(new ListMessageMoveTasksCommand({ SourceArn: sourceArn }));
  return Results[0];
}

describe('local SQS message move tasks (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('moves dead-lettered messages back to their source queue, which receives them afresh', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl, deadLetterArn } = await createQueueWithDeadLetterQueue(local.client, 1);
    await deadLetterMessages(local.client, sourceUrl, deadLetterUrl, 3);

    // Act
    const { TaskHandle } = await local.client.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn }));
    const task = await eventually(
      () => latestTask(local.client, deadLetterArn),
      (candidate) => candidate?.Status === 'COMPLETED',
    );
    const { Messages = [] } = await local.client.send(
      new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }),
    );

    // Assess
    expect(TaskHandle).toEqual(expect.any(String));
    expect(task).toEqual({
      Status: 'COMPLETED',
      SourceArn: deadLetterArn,
      ApproximateNumberOfMessagesMoved: 3,
      ApproximateNumberOfMessagesToMove: 3,
      StartedTimestamp: expect.any(Number),
    });
    expect(Messages).toHaveLength(3);
    expect(Messages.every((message) => message.Attributes?.ApproximateReceiveCount === '1')).toBe(true);
    expect((await messageCounts(local.client, deadLetterUrl)).visible).toBe(0);
  });

  it('moves to an explicit destination at the requested rate', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl, deadLetterArn } = await createQueueWithDeadLetterQueue(local.client, 1);
    const destinationUrl = await createQueue(local.client);
    const destinationArn = await queueArn(local.client, destinationUrl);
    await deadLetterMessages(local.client, sourceUrl, deadLetterUrl, 4);

    // Act
    await local.client.send(
      new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn, DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: 10 }),
    );
    const running = await latestTask(local.client, deadLetterArn);
    const completed = await eventually(
      () => latestTask(local.client, deadLetterArn),
      (candidate) => candidate?.Status === 'COMPLETED',
    );

    // Assess
    expect(running).toMatchObject({ Status: 'RUNNING', TaskHandle: expect.any(String), ApproximateNumberOfMessagesMoved: 0 });
    expect(completed).toMatchObject({ DestinationArn: destinationArn, MaxNumberOfMessagesPerSecond: 10, ApproximateNumberOfMessagesMoved: 4 });
    expect(completed?.TaskHandle).toBeUndefined();
    expect((await messageCounts(local.client, destinationUrl)).visible).toBe(4);
    expect((await messageCounts(local.client, sourceUrl)).visible).toBe(0);
  });

  it('cancels a running task, leaving the rest in the dead-letter queue', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl, deadLetterArn } = await createQueueWithDeadLetterQueue(local.client, 1);
    await deadLetterMessages(local.client, sourceUrl, deadLetterUrl, 5);
    const { TaskHandle } = await local.client.send(
      new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn, MaxNumberOfMessagesPerSecond: 1 }),
    );

    // Act
    const cancelled = await local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    const secondCancel = await failureOf(local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle })));

    // Assess
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(0);
    expect(await latestTask(local.client, deadLetterArn)).toMatchObject({ Status: 'CANCELLED' });
    expect((await messageCounts(local.client, deadLetterUrl)).visible).toBe(5);
    expect(secondCancel).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('allows one running task per source queue', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl, deadLetterArn } = await createQueueWithDeadLetterQueue(local.client, 1);
    await deadLetterMessages(local.client, sourceUrl, deadLetterUrl, 2);
    const { TaskHandle } = await local.client.send(
      new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn, MaxNumberOfMessagesPerSecond: 1 }),
    );

    // Act
    const second = await failureOf(local.client.send(new StartMessageMoveTaskCommand({ SourceArn: deadLetterArn })));

    // Assess
    expect(second).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('already a task running') });
    await local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
  });

  it('refuses a source that is not a dead-letter queue, and unknown queues and tasks', async () => {
    // Prepare
    const plainArn = await queueArn(local.client, await createQueue(local.client));

    // Act
    const notDeadLetterQueue = await failureOf(local.client.send(new StartMessageMoveTaskCommand({ SourceArn: plainArn })));
    const unknownSource = await failureOf(
      local.client.send(new StartMessageMoveTaskCommand({ SourceArn: 'arn:aws:sqs:us-east-1:000000000000:nowhere' })),
    );
    const unknownTask = await failureOf(local.client.send(new CancelMessageMoveTaskCommand({ TaskHandle: 'bm90LWEtdGFzaw==' })));

    // Assess
    expect(notDeadLetterQueue).toMatchObject({ name: 'InvalidParameterValue' });
    expect(unknownSource).toBeInstanceOf(ResourceNotFoundException);
    expect(unknownTask).toBeInstanceOf(ResourceNotFoundException);
  });
});
