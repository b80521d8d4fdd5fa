import {
  CreateQueueCommand,
  DeleteMessageCommand,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsService } from '#cloud/sqs/sqs-service';
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

/** A FIFO queue with the given extra attributes. */
function createFifoQueue(client: SQSClient, attributes: Record<string, string> = {}): Promise<string> {
  return createQueue(client, { FifoQueue: 'true', ...attributes }, uniqueQueueName('orders', true));
}

/** Sends `body` to a FIFO queue in `group`, deduplicated by the body (ids allow no spaces). */
async function sendToGroup(client: SQSClient, queueUrl: string, group: string, body: string) {
  const deduplicationId = body.replaceAll(' ', '_');
  return client.send(
    new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: group, MessageDeduplicationId: deduplicationId }),
  );
}

/** Bodies of the messages one receive returns. */
async function receiveBodies(client: SQSClient, queueUrl: string, maxMessages: number): Promise<string[]> {
  const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: maxMessages }));
  return Messages.map((message) => message.Body ?? '');
}

describe('local SQS FIFO queues (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('delivers each message group in order and holds a group while one of its messages is in flight', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);
    await sendToGroup(local.client, queueUrl, 'order-1', 'order-1 placed');
    await sendToGroup(local.client, queueUrl, 'order-1', 'order-1 paid');
    await sendToGroup(local.client, queueUrl, 'order-2', 'order-2 placed');

    // Act
    const first = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl }));
    const whileOrder1InFlight = await receiveBodies(local.client, queueUrl, 10);
    await local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first.Messages?.[0]?.ReceiptHandle }));
    const afterDelete = await receiveBodies(local.client, queueUrl, 10);

    // Assess
    expect(first.Messages?.[0]?.Body).toBe('order-1 placed');
    expect(whileOrder1InFlight).toEqual(['order-2 placed']);
    expect(afterDelete).toEqual(['order-1 paid']);
  });

  it('returns several messages of one group in order within a single receive', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);
    const bodies = ['1', '2', '3'].map((step) => `order-1 step ${step}`);
    for (const body of bodies) await sendToGroup(local.client, queueUrl, 'order-1', body);

    // Act
    const received = await receiveBodies(local.client, queueUrl, 10);

    // Assess
    expect(received).toEqual(bodies);
  });

  it('accepts but drops a message with a deduplication id seen in the last 5 minutes', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);
    const original = await sendToGroup(local.client, queueUrl, 'order-1', 'order-1 placed');

    // Act
    const duplicate = await sendToGroup(local.client, queueUrl, 'order-1', 'order-1 placed');

    // Assess
    expect(duplicate.MessageId).toBe(original.MessageId);
    expect(duplicate.SequenceNumber).toBe(original.SequenceNumber);
    expect((await messageCounts(local.client, queueUrl)).visible).toBe(1);
  });

  it('deduplicates by body with ContentBasedDeduplication, and an explicit id overrides it', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client, { ContentBasedDeduplication: 'true' });
    const body = orderEventBody();

    // Act
    await local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g' }));
    await local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g' }));
    await local.client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body, MessageGroupId: 'g', MessageDeduplicationId: 'explicit' }),
    );

    // Assess
    expect((await messageCounts(local.client, queueUrl)).visible).toBe(2);
  });

  it('issues increasing sequence numbers and returns the FIFO system attributes', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);

    // Act
    const { Successful = [] } = await local.client.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: ['a', 'b'].map((id) => ({ Id: id, MessageBody: `body ${id}`, MessageGroupId: 'g', MessageDeduplicationId: id })),
      }),
    );
    const { Messages = [] } = await local.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, MessageSystemAttributeNames: ['All'] }),
    );

    // Assess
    const [first, second] = Successful.map((entry) => BigInt(entry.SequenceNumber ?? '0'));
    expect(second).toBeGreaterThan(first ?? 0n);
    expect(Messages[0]?.Attributes).toMatchObject({
      MessageGroupId: 'g',
      MessageDeduplicationId: 'a',
      SequenceNumber: Successful[0]?.SequenceNumber,
    });
  });

  it.each([
    ['without MessageGroupId', { MessageDeduplicationId: 'd' }, 'MissingParameter'],
    ['without a deduplication id on a queue without content-based deduplication', { MessageGroupId: 'g' }, 'InvalidParameterValue'],
    ['with a per-message delay', { MessageGroupId: 'g', MessageDeduplicationId: 'd', DelaySeconds: 5 }, 'InvalidParameterValue'],
  ])('rejects a FIFO message %s', async (_case, fields, code) => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);

    // Act
    const error = await failureOf(local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x', ...fields })));

    // Assess
    expect(error).toMatchObject({ name: code });
  });

  it('rejects a .fifo name without FifoQueue, and FIFO attributes on a standard queue', async () => {
    // Act
    const fifoNameOnly = await failureOf(local.client.send(new CreateQueueCommand({ QueueName: uniqueQueueName('orders', true) })));
    const fifoAttributeOnStandard = await failureOf(
      local.client.send(new CreateQueueCommand({ QueueName: uniqueQueueName(), Attributes: { ContentBasedDeduplication: 'true' } })),
    );

    // Assess
    expect(fifoNameOnly).toMatchObject({ name: 'InvalidParameterValue' });
    expect(fifoAttributeOnStandard).toMatchObject({ name: 'InvalidAttributeName' });
  });

  it('fails a delete whose visibility timeout has passed', async () => {
    // Prepare
    const queueUrl = await createFifoQueue(local.client);
    await sendToGroup(local.client, queueUrl, 'g', 'late');
    const { Messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, VisibilityTimeout: 0 }));

    // Act
    const error = await failureOf(local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle })));

    // Assess
    expect(error).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('redrives to a FIFO dead-letter queue in order, and refuses a standard one', async () => {
    // Prepare
    const { sourceUrl, deadLetterUrl } = await createQueueWithDeadLetterQueue(local.client, 1, { FifoQueue: 'true' });
    const standardArn = await queueArn(local.client, await createQueue(local.client));
    await sendToGroup(local.client, sourceUrl, 'g', 'first');
    await sendToGroup(local.client, sourceUrl, 'g', 'second');
    await local.client.send(new ReceiveMessageCommand({ QueueUrl: sourceUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));

    // Act
    const fromSource = await receiveBodies(local.client, sourceUrl, 10);
    const fromDeadLetterQueue = await receiveBodies(local.client, deadLetterUrl, 10);
    const mixedTypes = await failureOf(
      createFifoQueue(local.client, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: standardArn, maxReceiveCount: 1 }) }),
    );

    // Assess
    expect(fromSource).toEqual([]);
    expect(fromDeadLetterQueue).toEqual(['first', 'second']);
    expect(mixedTypes).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('same type') });
  });
});

describe('local SQS FIFO deduplication interval (in process, with a controlled clock)', () => {
  it('forgets a deduplication id after 5 minutes', () => {
    // Prepare
    let now = Date.now();
    const sqs = new SqsService({ now: () => now });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'dedup.fifo', Attributes: { FifoQueue: 'true' } });
    const message = { QueueUrl, MessageBody: 'order-1 placed', MessageGroupId: 'order-1', MessageDeduplicationId: 'placed-1' };
    const original = sqs.sendMessage(message);

    // Act
    now += 5 * 60_000 - 1;
    const withinInterval = sqs.sendMessage(message);
    now += 1;
    const afterInterval = sqs.sendMessage(message);

    // Assess
    expect(withinInterval.MessageId).toBe(original.MessageId);
    expect(afterInterval.MessageId).not.toBe(original.MessageId);
    sqs.close();
  });

  it('deduplicates per message group when DeduplicationScope is messageGroup', () => {
    // Prepare
    const sqs = new SqsService();
    const { QueueUrl } = sqs.createQueue({
      QueueName: 'scoped.fifo',
      Attributes: { FifoQueue: 'true', DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' },
    });

    // Act
    const inGroupA = sqs.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'a', MessageDeduplicationId: 'same' });
    const inGroupB = sqs.sendMessage({ QueueUrl, MessageBody: 'x', MessageGroupId: 'b', MessageDeduplicationId: 'same' });

    // Assess
    expect(inGroupB.MessageId).not.toBe(inGroupA.MessageId);
    sqs.close();
  });
});
