import {
  CreateQueueCommand,
  ListDeadLetterSourceQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createQueue,
  createQueueWithDeadLetterQueue,
  failureOf,
  messageCounts,
  orderEventBody,
  queueArn,
  startLocalSqs,
  uniqueQueueName,
  type LocalSqs,
} from '#test/local-cloud/sqs/local-sqs';

/** Receives with visibility timeout 0, so the message is at once visible again: a failed processing attempt. */
async function failedReceive(client: SQSClient, queueUrl: string) {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0, MessageSystemAttributeNames: ['All'] }),
  );
  return Messages[0];
}

describe('local SQS dead-letter queues (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('delivers a message maxReceiveCount times, then moves it to the dead-letter queue', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl, sourceArn } = await createQueueWithDeadLetterQueue(local.client, 2);
    const body = orderEventBody();
    await local.client.send(new SendMessageCommand({ QueueUrl: sourceUrl, MessageBody: body }));

    // Act
    const first = await failedReceive(local.client, sourceUrl);
    const second = await failedReceive(local.client, sourceUrl);
    const third = await failedReceive(local.client, sourceUrl);
    const dead = await failedReceive(local.client, deadLetterUrl);

    // Assess
    expect([first?.Attributes?.ApproximateReceiveCount, second?.Attributes?.ApproximateReceiveCount]).toEqual(['1', '2']);
    expect(third).toBeUndefined();
    expect(dead).toMatchObject({ MessageId: first?.MessageId, Body: body });
    expect(dead?.Attributes).toMatchObject({ DeadLetterQueueSourceArn: sourceArn, ApproximateReceiveCount: '3' });
    expect(await messageCounts(local.client, sourceUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('lists the source queues of a dead-letter queue', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl } = await createQueueWithDeadLetterQueue(local.client, 5);

    // Act
    const { queueUrls } = await local.client.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: deadLetterUrl }));

    // Assess
    expect(queueUrls).toEqual([sourceUrl]);
  });

  it('stores the redrive policy with a numeric maxReceiveCount and removes it when set to empty', async () => {
    // Prepare
    const deadLetterArn = await queueArn(local.client, await createQueue(local.client));
    const queueUrl = await createQueue(local.client, {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: '4' }),
    });

    // Act
    const { Attributes } = local.sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] });
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: '' } }));
    const afterRemoval = local.sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['RedrivePolicy'] });

    // Assess
    expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toEqual({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: 4 });
    expect(afterRemoval.Attributes).toBeUndefined();
  });

  it.each([
    ['maxReceiveCount 0', (arn: string) => ({ deadLetterTargetArn: arn, maxReceiveCount: 0 })],
    ['a missing deadLetterTargetArn', () => ({ maxReceiveCount: 3 })],
  ])('rejects a redrive policy with %s', async (_case, policyFor) => {
    // Prepare
    const deadLetterArn = await queueArn(local.client, await createQueue(local.client));

    // Act
    const error = await failureOf(
      local.client.send(
        new CreateQueueCommand({ QueueName: uniqueQueueName(), Attributes: { RedrivePolicy: JSON.stringify(policyFor(deadLetterArn)) } }),
      ),
    );

    // Assess
    expect(error).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('honours the dead-letter queue RedriveAllowPolicy', async () => {
    // Prepare
    const deadLetterUrl = await createQueue(local.client, { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const deadLetterArn = await queueArn(local.client, deadLetterUrl);

    // Act
    const error = await failureOf(
      createQueue(local.client, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: 3 }) }),
    );

    // Assess
    expect(error).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('does not allow') });
  });
});
