import { createHash } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { DeleteMessageBatchCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import type { NoopAwsServer } from '../../bench/noop-aws-server.ts';
import { startNoopEventsServer } from '../../bench/noop-events-server.ts';
import { CANNED_MESSAGE_BODY, startNoopSqsServer } from '../../bench/noop-sqs-server.ts';
import { benchClientConfig } from '../../bench/sdk-client-config.ts';

const running: Array<NoopAwsServer | { destroy(): void }> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map(async (resource) => ('close' in resource ? resource.close() : resource.destroy())));
});

/** A started no-op SQS server and the bench's SDK client on it; both closed after the test. */
async function aNoopSqs() {
  const server = await startNoopSqsServer();
  const client = new SQSClient(benchClientConfig(server.endpoint, 2));
  running.push(server, client);
  return { client, queueUrl: `${server.endpoint}/000000000000/bench` };
}

const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');

describe('no-op SQS server', () => {
  it('answers SendMessage with the MD5 of the body sent, which the SDK verifies', async () => {
    // Prepare
    const { client, queueUrl } = await aNoopSqs();

    // Act
    const output = await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'héllo wörld' }));

    // Assess
    expect(output.MD5OfMessageBody).toBe(md5('héllo wörld'));
    expect(output.MessageId).toBeTruthy();
  });

  it('answers SendMessageBatch entry by entry with each body digest', async () => {
    // Prepare
    const { client, queueUrl } = await aNoopSqs();

    // Act
    const output = await client.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [{ Id: 'a', MessageBody: 'first' }, { Id: 'b', MessageBody: 'second' }] }),
    );

    // Assess
    expect(output.Successful?.map((entry) => [entry.Id, entry.MD5OfMessageBody])).toEqual([
      ['a', md5('first')],
      ['b', md5('second')],
    ]);
    expect(output.Failed).toEqual([]);
  });

  it('returns as many canned messages as asked for, with digests the SDK accepts and handles to delete', async () => {
    // Prepare
    const { client, queueUrl } = await aNoopSqs();

    // Act
    const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 3 }));
    const deleted = await client.send(
      new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle })) }),
    );
    const [first] = Messages;
    await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: first?.ReceiptHandle }));

    // Assess
    expect(Messages.map((message) => message.Body)).toEqual([CANNED_MESSAGE_BODY, CANNED_MESSAGE_BODY, CANNED_MESSAGE_BODY]);
    expect(new Set(Messages.map((message) => message.ReceiptHandle)).size).toBe(3);
    expect(deleted.Successful?.map((entry) => entry.Id)).toEqual(['0', '1', '2']);
  });

  it('answers an operation it does not serve with an AWS error', async () => {
    // Prepare
    const server = await startNoopSqsServer();
    running.push(server);

    // Act
    const response = await fetch(server.endpoint, { method: 'POST', headers: { 'x-amz-target': 'AmazonSQS.CreateQueue', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ __type: 'UnknownOperationException' });
  });
});

describe('no-op EventBridge server', () => {
  it('answers PutEvents with one event id per entry and no failures', async () => {
    // Prepare
    const server = await startNoopEventsServer();
    const client = new EventBridgeClient(benchClientConfig(server.endpoint, 2));
    running.push(server, client);
    const entry = { Source: 'bench.orders', DetailType: 'OrderPlaced', Detail: '{"orderId":"o-1"}' };

    // Act
    const output = await client.send(new PutEventsCommand({ Entries: [entry, entry, entry] }));

    // Assess
    expect(output.FailedEntryCount).toBe(0);
    expect(output.Entries?.filter((result) => result.EventId !== undefined)).toHaveLength(3);
  });
});
