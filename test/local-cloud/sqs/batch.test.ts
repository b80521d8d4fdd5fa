import {
  BatchEntryIdsNotDistinct,
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageBatchCommand,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  TooManyEntriesInBatchRequest,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, failureOf, messageCounts, orderEventBody, startLocalSqs, type LocalSqs } from '#test/local-cloud/sqs/local-sqs';

/** `count` send-batch entries with ids `m0`, `m1`… */
function sendEntries(count: number) {
  return Array.from({ length: count }, (_, index) => ({ Id: `m${index}`, MessageBody: orderEventBody() }));
}

describe('local SQS batch operations (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('sends a batch, failing only the invalid entry', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const entries = [
      ...sendEntries(2),
      { Id: 'bad-delay', MessageBody: orderEventBody(), DelaySeconds: 901 },
      { Id: 'bad-body', MessageBody: 'nul \u0000' },
    ];

    // Act
    const { Successful = [], Failed = [] } = await local.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));

    // Assess
    expect(Successful.map((entry) => entry.Id)).toEqual(['m0', 'm1']);
    expect(Successful[0]?.MD5OfMessageBody).toMatch(/^[0-9a-f]{32}$/);
    expect(Failed).toEqual([
      { Id: 'bad-delay', SenderFault: true, Code: 'InvalidParameterValue', Message: expect.stringContaining('DelaySeconds') },
      { Id: 'bad-body', SenderFault: true, Code: 'InvalidMessageContents', Message: expect.any(String) },
    ]);
    expect((await messageCounts(local.client, queueUrl)).visible).toBe(2);
  });

  it.each([
    ['no entries', [], EmptyBatchRequest],
    ['11 entries', sendEntries(11), TooManyEntriesInBatchRequest],
    ['repeated ids', [{ Id: 'same', MessageBody: 'a' }, { Id: 'same', MessageBody: 'b' }], BatchEntryIdsNotDistinct],
    ['an id with invalid characters', [{ Id: 'not valid!', MessageBody: 'a' }], InvalidBatchEntryId],
  ])('rejects a whole send batch with %s', async (_case, entries, exception) => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    const error = await failureOf(local.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries })));

    // Assess
    expect(error).toBeInstanceOf(exception);
  });

  it('deletes a batch, reporting an unknown receipt handle per entry', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: sendEntries(2) }));
    const { Messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }));

    // Act
    const { Successful = [], Failed = [] } = await local.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          ...Messages.map((message, index) => ({ Id: `ok${index}`, ReceiptHandle: message.ReceiptHandle })),
          { Id: 'forged', ReceiptHandle: 'forged-handle' },
        ],
      }),
    );

    // Assess
    expect(Successful.map((entry) => entry.Id)).toEqual(['ok0', 'ok1']);
    expect(Failed).toEqual([{ Id: 'forged', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: expect.any(String) }]);
    expect(await messageCounts(local.client, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
  });

  it('changes visibility in a batch, reporting a message not in flight per entry', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    await local.client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: sendEntries(2) }));
    const { Messages = [] } = await local.client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 2 }));
    const [inFlight, released] = Messages;
    await local.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: [{ Id: 'release', ReceiptHandle: released?.ReceiptHandle, VisibilityTimeout: 0 }],
      }),
    );

    // Act
    const { Successful = [], Failed = [] } = await local.client.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: queueUrl,
        Entries: [
          { Id: 'extend', ReceiptHandle: inFlight?.ReceiptHandle, VisibilityTimeout: 60 },
          { Id: 'visible', ReceiptHandle: released?.ReceiptHandle, VisibilityTimeout: 60 },
        ],
      }),
    );

    // Assess
    expect(Successful).toEqual([{ Id: 'extend' }]);
    expect(Failed).toEqual([
      { Id: 'visible', SenderFault: true, Code: 'AWS.SimpleQueueService.MessageNotInflight', Message: expect.any(String) },
    ]);
    expect(await messageCounts(local.client, queueUrl)).toEqual({ visible: 1, inFlight: 1, delayed: 0 });
  });
});
