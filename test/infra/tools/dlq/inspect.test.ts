import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeParkedMessage, peekMessages } from '#infra/tools/dlq/inspect';
import { consumedBy } from '#shared/pipeline-graph';
import { deadLetterQueue, depth, eventually, putInvalidEvent, startDlqTestCloud, type DlqTestCloud } from './dlq-test-cloud.ts';

describe('peekMessages on the local cloud', () => {
  let target: DlqTestCloud;
  beforeAll(async () => {
    target = await startDlqTestCloud();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it("reads a parked record's order id, error and receive count, and leaves it in the DLQ, visible", async () => {
    // Prepare
    const queue = await deadLetterQueue(target, 'reserve-inventory');
    const orderId = await putInvalidEvent(target, 'OrderPlaced');
    await eventually('the record to be parked', async () => (await depth(target.clients.sqs, queue.url)).visible === 1);
    // Act
    const first = await peekMessages(target.clients.sqs, queue.url);
    const second = await peekMessages(target.clients.sqs, queue.url);
    // Assess
    expect(first.visible).toBe(1);
    expect(first.complete).toBe(true);
    expect(first.messages).toHaveLength(1);
    expect(first.messages[0]).toMatchObject({
      orderId,
      detailType: 'OrderPlaced',
      step: 'reserve-inventory',
      receiveCount: 1,
      receiveCountSource: 'parking-record',
    });
    expect(first.messages[0]?.error).toMatch(/^ValidationError: OrderPlaced detail is invalid: /);
    expect(second.messages.map((message) => message.messageId)).toEqual(first.messages.map((message) => message.messageId));
    expect(await depth(target.clients.sqs, queue.url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('reads at most `limit` messages and says the read was not complete', async () => {
    // Prepare
    const queue = await deadLetterQueue(target, 'capture-payment');
    const [consumed] = consumedBy('capture-payment');
    await Promise.all([putInvalidEvent(target, consumed!), putInvalidEvent(target, consumed!)]);
    await eventually('both records to be parked', async () => (await depth(target.clients.sqs, queue.url)).visible === 2);
    // Act
    const peek = await peekMessages(target.clients.sqs, queue.url, { limit: 1 });
    // Assess
    expect(peek).toMatchObject({ visible: 2, complete: false });
    expect(peek.messages).toHaveLength(1);
    expect(await depth(target.clients.sqs, queue.url)).toEqual({ visible: 2, inFlight: 0 });
  });
});

describe('describeParkedMessage', () => {
  const sentTimestamp = Date.parse('2025-03-01T12:00:00Z');
  const string = (value: string) => ({ DataType: 'String', StringValue: value });

  it("reads EventBridge's delivery failure from a rule-target DLQ message, and the order id from the body", () => {
    // Prepare
    const message = {
      MessageId: 'm-1',
      Body: JSON.stringify({ 'detail-type': 'OrderShipped', detail: { orderId: 'order-7' } }),
      Attributes: { SentTimestamp: String(sentTimestamp), ApproximateReceiveCount: '2' },
      MessageAttributes: {
        RULE_ARN: string('arn:aws:events:us-east-1:000000000000:rule/bus/rule'),
        TARGET_ARN: string('arn:aws:sqs:us-east-1:000000000000:OrderPipeline-NotifyCustomerQueue'),
        ERROR_CODE: string('SQS.AccessDenied'),
        ERROR_MESSAGE: string('Access to the queue was denied.'),
        EXHAUSTED_RETRY_CONDITION: string('MaximumRetryAttempts'),
        RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '8' },
      },
    };
    // Act
    const parked = describeParkedMessage(message);
    // Assess
    expect(parked).toMatchObject({
      messageId: 'm-1',
      orderId: 'order-7',
      detailType: 'OrderShipped',
      error: 'SQS.AccessDenied: Access to the queue was denied. (MaximumRetryAttempts after 8 retries)',
      receiveCount: 2,
      receiveCountSource: 'sqs',
      sentAt: new Date(sentTimestamp),
      targetArn: 'arn:aws:sqs:us-east-1:000000000000:OrderPipeline-NotifyCustomerQueue',
    });
  });

  it('records no error for a message the redrive policy moved, and keeps a body that is not JSON', () => {
    // Prepare
    const message = { MessageId: 'm-2', Body: 'not json', Attributes: { SentTimestamp: String(sentTimestamp), ApproximateReceiveCount: '5', DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q' } };
    // Act
    const parked = describeParkedMessage(message);
    // Assess
    expect(parked).toEqual({ messageId: 'm-2', receiveCount: 5, receiveCountSource: 'sqs', sentAt: new Date(sentTimestamp), deadLetterSourceArn: 'arn:aws:sqs:us-east-1:000000000000:q', body: 'not json' });
  });
});
