import { describe, expect, it } from 'vitest';
import { SqsService } from '#cloud/sqs/sqs-service';

describe("SqsService's read-only view of a queue (for the console)", () => {
  it('peeks at messages without receiving them, and gives depth, in-flight count and oldest age', () => {
    // Prepare
    let now = 1_000_000;
    const sqs = new SqsService({ now: () => now });
    const { QueueUrl } = sqs.createQueue({ QueueName: 'peeked' });
    sqs.sendMessage({ QueueUrl, MessageBody: 'first', MessageAttributes: { reason: { DataType: 'String', StringValue: 'because' } } });
    now += 5_000;
    sqs.sendMessage({ QueueUrl, MessageBody: 'second' });
    void sqs.receiveMessage({ QueueUrl, MaxNumberOfMessages: 1, VisibilityTimeout: 30 });

    // Act
    const peeked = sqs.peekMessages(QueueUrl);
    const statistics = sqs.queueStatistics(QueueUrl);

    // Assess
    expect(peeked.map((message) => [message.body, message.state, message.receiveCount])).toEqual([
      ['first', 'in-flight', 1],
      ['second', 'visible', 0],
    ]);
    expect(peeked[0]?.messageAttributes.reason?.StringValue).toBe('because');
    expect(statistics).toEqual({ visible: 1, inFlight: 1, delayed: 0, oldestAgeSeconds: 5 });
    expect(sqs.peekMessages(QueueUrl).map((message) => message.receiveCount)).toEqual([1, 0]);
  });
});
