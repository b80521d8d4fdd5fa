import { afterAll, describe, expect, it } from 'vitest';
import { SqsService } from '#cloud/sqs/sqs-service';
import type { ReceivedMessage } from '#cloud/sqs/types';
import { DataDirectories } from '#test/support/data-directories';

const directories = new DataDirectories();
afterAll(() => directories.removeAll());

/** A clock the test moves by hand, shared by a service and the one reopened after it. */
class ManualClock {
  current = Date.UTC(2026, 10, 22, 12, 0, 0);
  readonly now = () => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

const orderBody = (index: number) => JSON.stringify({ 'detail-type': 'OrderPlaced', detail: { orderId: `order-${index}` } });

/** Receives until the queue answers with nothing; every message visible now, once. */
async function drain(sqs: SqsService, queueUrl: string): Promise<ReceivedMessage[]> {
  const received: ReceivedMessage[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] });
    if (Messages.length === 0) return received;
    received.push(...Messages);
  }
}

function counts(sqs: SqsService, queueUrl: string): { visible: number; inFlight: number } {
  const { Attributes = {} } = sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['All'] });
  return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
}

describe('SqsService with persistence, reopened after a crash', () => {
  it('keeps exactly the messages not deleted, in-flight ones hidden until their deadline', async () => {
    // Prepare
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    const { QueueUrl } = before.createQueue({ QueueName: 'reserve-inventory', Attributes: { VisibilityTimeout: '30' } });
    const { Successful } = before.sendMessageBatch({ QueueUrl, Entries: [0, 1, 2, 3, 4, 5, 6, 7].map((index) => ({ Id: `e${index}`, MessageBody: orderBody(index) })) });
    for (const index of [8, 9, 10, 11]) before.sendMessage({ QueueUrl, MessageBody: orderBody(index) });
    const { Messages: inFlight = [] } = await before.receiveMessage({ QueueUrl, MaxNumberOfMessages: 5 });
    const [deletedOne, deletedTwo, ...stillInFlight] = inFlight;
    before.deleteMessage({ QueueUrl, ReceiptHandle: deletedOne?.ReceiptHandle ?? '' });
    before.deleteMessageBatch({ QueueUrl, Entries: [{ Id: 'd', ReceiptHandle: deletedTwo?.ReceiptHandle ?? '' }] });
    clock.advance(10_000);
    // Crash: `before` is dropped without close(), as SIGKILL would leave it.

    // Act
    const after = new SqsService({ persistence: directory, now: clock.now });

    // Assess
    expect(Successful).toHaveLength(8);
    expect(counts(after, QueueUrl)).toEqual({ visible: 7, inFlight: 3 });
    const visibleNow = await drain(after, QueueUrl);
    clock.advance(20_000);
    const visibleAfterDeadline = await drain(after, QueueUrl);
    expect(visibleNow.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(Array(7).fill('1'));
    expect(visibleAfterDeadline.map((message) => message.MessageId).sort()).toEqual(stillInFlight.map((message) => message.MessageId).sort());
    expect(visibleAfterDeadline.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2', '2']);
    const remaining = [...visibleNow, ...visibleAfterDeadline];
    expect(new Set(remaining.map((message) => message.Body))).toEqual(new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map(orderBody)));
    expect(remaining.map((message) => message.MessageId)).not.toContain(deletedOne?.MessageId);
    expect(remaining.map((message) => message.MessageId)).not.toContain(deletedTwo?.MessageId);
  });

  it('honours a receipt handle issued before the crash', async () => {
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    const { QueueUrl } = before.createQueue({ QueueName: 'capture-payment' });
    before.sendMessage({ QueueUrl, MessageBody: orderBody(1) });
    const { Messages = [] } = await before.receiveMessage({ QueueUrl });
    // Crash: `before` is dropped without close().

    const after = new SqsService({ persistence: directory, now: clock.now });
    after.changeMessageVisibility({ QueueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle ?? '', VisibilityTimeout: 120 });
    clock.advance(60_000);
    const hiddenStill = counts(after, QueueUrl);
    after.deleteMessage({ QueueUrl, ReceiptHandle: Messages[0]?.ReceiptHandle ?? '' });

    expect(hiddenStill).toEqual({ visible: 0, inFlight: 1 });
    expect(counts(new SqsService({ persistence: directory, now: clock.now }), QueueUrl)).toEqual({ visible: 0, inFlight: 0 });
  });

  it('keeps dead-lettered messages with their source, and a redrive started afterwards returns them', async () => {
    // Prepare
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    const { QueueUrl: deadLetterUrl } = before.createQueue({ QueueName: 'ship-order-dlq' });
    const deadLetterArn = before.queueArn('ship-order-dlq');
    const { QueueUrl: sourceUrl } = before.createQueue({
      QueueName: 'ship-order',
      Attributes: { VisibilityTimeout: '5', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: 1 }) },
    });
    before.sendMessage({ QueueUrl: sourceUrl, MessageBody: orderBody(1) });
    before.sendMessage({ QueueUrl: sourceUrl, MessageBody: orderBody(2) });
    await drain(before, sourceUrl);
    clock.advance(5_000);
    await drain(before, sourceUrl);
    // Crash: `before` is dropped without close().

    // Act
    const after = new SqsService({ persistence: directory, now: clock.now });
    const parked = await drain(after, deadLetterUrl);
    clock.advance(30_000);
    const { TaskHandle } = after.startMessageMoveTask({ SourceArn: deadLetterArn });
    await expect.poll(() => after.listMessageMoveTasks({ SourceArn: deadLetterArn }).Results?.[0]?.Status, { timeout: 2_000 }).toBe('COMPLETED');
    const reopened = new SqsService({ persistence: directory, now: clock.now });

    // Assess
    expect(TaskHandle).toBeTypeOf('string');
    expect(after.listDeadLetterSourceQueues({ QueueUrl: deadLetterUrl }).queueUrls).toEqual([sourceUrl]);
    expect(parked.map((message) => message.Attributes?.DeadLetterQueueSourceArn)).toEqual([after.queueArn('ship-order'), after.queueArn('ship-order')]);
    expect(parked.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['2', '2']);
    expect(reopened.listMessageMoveTasks({ SourceArn: deadLetterArn }).Results).toMatchObject([{ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 2 }]);
    const redriven = await drain(reopened, sourceUrl);
    expect(redriven.map((message) => message.Body).sort()).toEqual([orderBody(1), orderBody(2)]);
    expect(redriven.map((message) => message.Attributes?.ApproximateReceiveCount)).toEqual(['1', '1']);
  });

  it('resumes a move task the crash interrupted', async () => {
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    before.createQueue({ QueueName: 'notify-dlq' });
    const deadLetterArn = before.queueArn('notify-dlq');
    const { QueueUrl: sourceUrl } = before.createQueue({ QueueName: 'notify', Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount: 3 }) } });
    const { QueueUrl: parkedUrl } = before.createQueue({ QueueName: 'notify-parked' });
    for (const index of [1, 2, 3]) before.sendMessage({ QueueUrl: 'notify-dlq', MessageBody: orderBody(index) });
    before.startMessageMoveTask({ SourceArn: deadLetterArn, DestinationArn: before.queueArn('notify-parked') });
    // Crash before the task's first tick. close() only stops the timer a killed process would
    // not run either; it writes nothing.
    before.close();

    const after = new SqsService({ persistence: directory, now: clock.now });

    await expect.poll(() => after.listMessageMoveTasks({ SourceArn: deadLetterArn }).Results?.[0]?.Status, { timeout: 2_000 }).toBe('COMPLETED');
    expect(counts(after, parkedUrl).visible).toBe(3);
    expect(counts(after, 'notify-dlq').visible).toBe(0);
    expect(counts(after, sourceUrl).visible).toBe(0);
  });

  it('keeps FIFO deduplication within the 5-minute window, and sequence numbers growing', () => {
    // Prepare
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    const { QueueUrl } = before.createQueue({ QueueName: 'orders.fifo', Attributes: { FifoQueue: 'true' } });
    const first = before.sendMessage({ QueueUrl, MessageBody: orderBody(1), MessageGroupId: 'order-1', MessageDeduplicationId: 'placed-1' });
    // Crash: `before` is dropped without close().

    // Act
    clock.advance(60_000);
    const after = new SqsService({ persistence: directory, now: clock.now });
    const duplicate = after.sendMessage({ QueueUrl, MessageBody: orderBody(1), MessageGroupId: 'order-1', MessageDeduplicationId: 'placed-1' });
    clock.advance(5 * 60_000);
    const outsideWindow = after.sendMessage({ QueueUrl, MessageBody: orderBody(1), MessageGroupId: 'order-1', MessageDeduplicationId: 'placed-1' });

    // Assess
    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(outsideWindow.MessageId).not.toBe(first.MessageId);
    expect(BigInt(outsideWindow.SequenceNumber ?? '0')).toBeGreaterThan(BigInt(first.SequenceNumber ?? '0'));
    expect(counts(after, QueueUrl).visible).toBe(2);
  });

  it('keeps queue attributes and tags, and forgets deleted and purged queues\' messages', () => {
    const directory = directories.create();
    const clock = new ManualClock();
    const before = new SqsService({ persistence: directory, now: clock.now });
    const { QueueUrl } = before.createQueue({ QueueName: 'cancel-order', tags: { team: 'orders' } });
    before.setQueueAttributes({ QueueUrl, Attributes: { VisibilityTimeout: '90' } });
    before.tagQueue({ QueueUrl, Tags: { stage: 'local' } });
    before.untagQueue({ QueueUrl, TagKeys: ['team'] });
    const { QueueUrl: purgedUrl } = before.createQueue({ QueueName: 'purged' });
    before.sendMessage({ QueueUrl: purgedUrl, MessageBody: orderBody(1) });
    before.purgeQueue({ QueueUrl: purgedUrl });
    const { QueueUrl: deletedUrl } = before.createQueue({ QueueName: 'deleted' });
    before.deleteQueue({ QueueUrl: deletedUrl });
    // Crash: `before` is dropped without close().

    const after = new SqsService({ persistence: directory, now: clock.now });

    expect(after.getQueueAttributes({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }).Attributes).toEqual({ VisibilityTimeout: '90' });
    expect(after.listQueueTags({ QueueUrl }).Tags).toEqual({ stage: 'local' });
    expect(after.listQueues({}).QueueUrls).toEqual([QueueUrl, purgedUrl]);
    expect(counts(after, purgedUrl).visible).toBe(0);
  });

  it("keeps a queue's Policy: reopened, the queue answers it and its compiled statements", () => {
    // Prepare
    const directory = directories.create();
    const before = new SqsService({ persistence: directory });
    const queueArn = before.queueArn('ship-order');
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn }] });
    const { QueueUrl } = before.createQueue({ QueueName: 'ship-order', Attributes: { Policy: policy } });

    // Act
    const after = new SqsService({ persistence: directory });

    // Assess
    expect(after.getQueueAttributes({ QueueUrl, AttributeNames: ['Policy'] }).Attributes?.Policy).toBe(policy);
    expect(after.queuePolicy(queueArn)?.map((statement) => ({ sid: statement.sid, effect: statement.effect }))).toEqual([{ sid: 'events', effect: 'Allow' }]);
  });
});
