import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  MessageNotInflight,
  ReceiptHandleIsInvalid,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsService } from '#cloud/sqs/sqs-service';
import {
  createQueue,
  failureOf,
  messageCounts,
  orderEventBody,
  startLocalSqs,
  type LocalSqs,
} from '#test/local-cloud/sqs/local-sqs';

/** Sends one order event and returns its body. */
async function sendOrderEvent(client: SQSClient, queueUrl: string): Promise<string> {
  const body = orderEventBody();
  await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
  return body;
}

/** Receives at most one message, with all system attributes. */
async function receiveOne(client: SQSClient, queueUrl: string, visibilityTimeout?: number) {
  const { Messages = [] } = await client.send(
    new ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MessageSystemAttributeNames: ['All'],
      ...(visibilityTimeout === undefined ? {} : { VisibilityTimeout: visibilityTimeout }),
    }),
  );
  return Messages[0];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('local SQS messages (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('sends, receives and deletes a message', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const body = await sendOrderEvent(local.client, queueUrl);

    // Act
    const received = await receiveOne(local.client, queueUrl);
    const countsWhileInFlight = await messageCounts(local.client, queueUrl);
    await local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: received?.ReceiptHandle }));

    // Assess
    expect(received?.Body).toBe(body);
    expect(received?.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String) });
    expect(Number(received?.Attributes?.SentTimestamp)).toBeLessThanOrEqual(Number(received?.Attributes?.ApproximateFirstReceiveTimestamp));
    expect(countsWhileInFlight).toEqual({ visible: 0, inFlight: 1, delayed: 0 });
    expect(await messageCounts(local.client, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('returns the message again after its visibility timeout, with a higher receive count and a new receipt handle', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client, { VisibilityTimeout: '1' });
    await sendOrderEvent(local.client, queueUrl);
    const first = await receiveOne(local.client, queueUrl);

    // Act
    const whileHidden = await receiveOne(local.client, queueUrl);
    await sleep(1_100);
    const second = await receiveOne(local.client, queueUrl);

    // Assess
    expect(whileHidden).toBeUndefined();
    expect(second?.MessageId).toBe(first?.MessageId);
    expect(second?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(first?.Attributes?.ApproximateFirstReceiveTimestamp);
    expect(second?.ReceiptHandle).not.toBe(first?.ReceiptHandle);
  });

  it('only deletes with the latest receipt handle; a stale one succeeds without deleting', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    await sendOrderEvent(local.client, queueUrl);
    const first = await receiveOne(local.client, queueUrl, 0);
    const second = await receiveOne(local.client, queueUrl, 30);

    // Act
    await local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first?.ReceiptHandle }));
    const afterStaleDelete = await messageCounts(local.client, queueUrl);
    await local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: second?.ReceiptHandle }));

    // Assess
    expect(afterStaleDelete.inFlight).toBe(1);
    expect(await messageCounts(local.client, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('rejects a receipt handle it never issued', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    const error = await failureOf(local.client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: 'not-a-handle' })));

    // Assess
    expect(error).toBeInstanceOf(ReceiptHandleIsInvalid);
  });

  it('makes a message visible at once with ChangeMessageVisibility 0, and refuses a message not in flight', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    await sendOrderEvent(local.client, queueUrl);
    const received = await receiveOne(local.client, queueUrl);

    // Act
    await local.client.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: received?.ReceiptHandle, VisibilityTimeout: 0 }),
    );
    const countsAfterChange = await messageCounts(local.client, queueUrl);
    const notInFlight = await failureOf(
      local.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: received?.ReceiptHandle, VisibilityTimeout: 10 }),
      ),
    );

    // Assess
    expect(countsAfterChange).toEqual({ visible: 1, inFlight: 0, delayed: 0 });
    expect(notInFlight).toBeInstanceOf(MessageNotInflight);
  });

  it('long polling returns as soon as a message arrives', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const startedAt = Date.now();

    // Act
    const receiving = local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 10 }));
    await sleep(200);
    const body = await sendOrderEvent(local.client, queueUrl);
    const { Messages } = await receiving;

    // Assess
    expect(Messages?.[0]?.Body).toBe(body);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
  });

  it('long polling waits the full wait time when nothing arrives, and wakes for a delayed message', async () => {
    // Prepare
    const emptyQueueUrl = await createQueue(local.client);
    const delayedQueueUrl = await createQueue(local.client);
    await local.client.send(new SendMessageCommand({ QueueUrl: delayedQueueUrl, MessageBody: orderEventBody(), DelaySeconds: 1 }));
    const startedAt = Date.now();

    // Act
    const [empty, delayed] = await Promise.all([
      local.client.send(new ReceiveMessageCommand({ QueueUrl: emptyQueueUrl, WaitTimeSeconds: 1 })),
      local.client.send(new ReceiveMessageCommand({ QueueUrl: delayedQueueUrl, WaitTimeSeconds: 5 })),
    ]);

    // Assess
    expect(empty.Messages).toBeUndefined();
    expect(delayed.Messages).toHaveLength(1);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(950);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
  });

  it('holds a delayed message back and counts it as delayed', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client, { DelaySeconds: '1' });

    // Act
    await sendOrderEvent(local.client, queueUrl);
    const immediately = await receiveOne(local.client, queueUrl);
    const counts = await messageCounts(local.client, queueUrl);

    // Assess
    expect(immediately).toBeUndefined();
    expect(counts).toEqual({ visible: 0, inFlight: 0, delayed: 1 });
  });

  it('round-trips String, Number and Binary message attributes with the digest AWS computes', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const messageAttributes = {
      timestamp: { DataType: 'Number', StringValue: '1493147359900' },
      'order.id': { DataType: 'String', StringValue: 'order-1' },
      'order.payload': { DataType: 'Binary', BinaryValue: new Uint8Array([2, 3, 4]) },
      traceparent: { DataType: 'String.w3c', StringValue: '00-abc-def-01' },
    };

    // Act
    const sent = await local.client.send(
      new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'derp', MessageAttributes: messageAttributes }),
    );
    const { Messages } = await local.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], VisibilityTimeout: 0 }),
    );
    const prefixed = await local.client.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['order.*'], VisibilityTimeout: 0 }),
    );
    const single = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['timestamp'] }));

    // Assess
    expect(sent.MD5OfMessageBody).toBe('58fd9edd83341c29f1aebba81c31e257');
    expect(Messages?.[0]?.MessageAttributes).toEqual(messageAttributes);
    expect(Messages?.[0]?.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(Object.keys(prefixed.Messages?.[0]?.MessageAttributes ?? {}).sort()).toEqual(['order.id', 'order.payload']);
    // A single Number attribute digests to the value moto pins from AWS.
    expect(single.Messages?.[0]?.MD5OfMessageAttributes).toBe('235c5c510d26fb653d073faed50ae77c');
  });

  it('carries the AWSTraceHeader system attribute', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const traceHeader = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';

    // Act
    const sent = await local.client.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: orderEventBody(),
        MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: traceHeader } },
      }),
    );
    const received = await receiveOne(local.client, queueUrl);

    // Assess
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(received?.Attributes?.AWSTraceHeader).toBe(traceHeader);
  });

  it('receives up to MaxNumberOfMessages and rejects values outside 1-10', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    for (let index = 0; index < 4; index += 1) await sendOrderEvent(local.client, queueUrl);

    // Act
    const { Messages } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 3 }));
    const tooMany = await failureOf(local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 11 })));

    // Assess
    expect(Messages).toHaveLength(3);
    expect(tooMany).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('MaxNumberOfMessages') });
  });

  it('rejects a message over the queue maximum size and one with invalid characters', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client, { MaximumMessageSize: '1024' });

    // Act
    const tooLarge = await failureOf(local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x'.repeat(1025) })));
    const invalidCharacters = await failureOf(
      local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'bell \u0007' })),
    );

    // Assess
    expect(tooLarge).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('shorter than 1024 bytes') });
    expect(invalidCharacters).toMatchObject({ name: 'InvalidMessageContents' });
  });

  it('rejects reserved and malformed message attribute names', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    const reserved = await failureOf(
      local.client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: { 'AWS.internal': { DataType: 'String', StringValue: 'v' } },
        }),
      ),
    );
    const notANumber = await failureOf(
      local.client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: 'x',
          MessageAttributes: { amount: { DataType: 'Number', StringValue: 'ten' } },
        }),
      ),
    );

    // Assess
    expect(reserved).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('reserved') });
    expect(notANumber).toMatchObject({ name: 'InvalidParameterValue', message: expect.stringContaining('number') });
  });

  it('deletes expired messages after the retention period', async () => {
    // Prepare: a queue with the shortest retention (60 s), observed through a clock we move
    let now = Date.now();
    const sqs = new SqsService({ now: () => now });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'retained', Attributes: { MessageRetentionPeriod: '60' } });
    sqs.sendMessage({ QueueUrl, MessageBody: orderEventBody() });

    // Act
    now += 59_000;
    const beforeExpiry = sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] });
    now += 1_000;
    const atExpiry = sqs.getQueueAttributes({ QueueUrl, AttributeNames: ['ApproximateNumberOfMessages'] });

    // Assess
    expect(beforeExpiry.Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(atExpiry.Attributes?.ApproximateNumberOfMessages).toBe('0');
    sqs.close();
  });
});
