import { randomUUID } from 'node:crypto';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anEnvelope, aPlacedOrder } from '#test/support/factories';
import { peekMessages } from '#infra/tools/dlq/inspect';
import { RedriveError, RedriveMethod, isMoveTaskUnsupported, redriveDeadLetterQueue } from '#cloud/dead-letter-redrive';
import { consumedBy } from '#shared/pipeline-graph';
import { deadLetterQueue, depth, eventually, putInvalidEvent, sqsClientRefusing, startDlqTestCloud, unsupportedOperation, type DlqTestCloud } from '#test/infra/tools/dlq/dlq-test-cloud';

describe('redriveDeadLetterQueue on the local cloud', () => {
  let target: DlqTestCloud;
  beforeAll(async () => {
    target = await startDlqTestCloud();
  });
  afterAll(async () => {
    await target?.stop();
  });

  /** Parks an invalid `detailType` event in `dlq` and returns its order id and parked message id. */
  const park = async (detailType: Parameters<typeof putInvalidEvent>[1], dlq: string) => {
    const queue = await deadLetterQueue(target, dlq);
    const before = (await depth(target.clients.sqs, queue.url)).visible;
    const orderId = await putInvalidEvent(target, detailType);
    await eventually(`the ${dlq} DLQ to hold the parked record`, async () => (await depth(target.clients.sqs, queue.url)).visible > before);
    const { messages } = await peekMessages(target.clients.sqs, queue.url);
    const parked = messages.find((message) => message.orderId === orderId);
    if (parked === undefined) throw new Error(`order ${orderId} is not in ${dlq}`);
    return { orderId, messageId: parked.messageId };
  };

  it('moves a queue DLQ back with a message move task; the handler parks the still-invalid record again, nothing lost', async () => {
    // Prepare
    const { orderId, messageId } = await park('OrderPlaced', 'reserve-inventory');
    const queue = await deadLetterQueue(target, 'reserve-inventory');
    const source = queue.sources[0];
    const progress: number[] = [];
    // Act
    const result = await redriveDeadLetterQueue(target.clients.sqs, queue, { pollIntervalMs: 100, onProgress: (step) => progress.push(step.moved) });
    // Assess
    expect(result).toEqual({ method: RedriveMethod.moveTask, moved: 1, toMove: 1, destinations: [source?.arn] });
    expect(progress.at(-1)).toBe(1);
    await eventually('the record to be parked again', async () => (await peekMessages(target.clients.sqs, queue.url)).messages.some((message) => message.sourceMessageId === messageId));
    const { messages } = await peekMessages(target.clients.sqs, queue.url);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ orderId, step: 'reserve-inventory', receiveCount: 1, receiveCountSource: 'parking-record', sourceMessageId: messageId });
    expect(await depth(target.clients.sqs, source?.url ?? '')).toEqual({ visible: 0, inFlight: 0 });
  });

  it('falls back to copy-then-delete where StartMessageMoveTask is unsupported, and still moves the record', async () => {
    // Prepare
    const { orderId, messageId } = await park(consumedBy('capture-payment')[0]!, 'capture-payment');
    const queue = await deadLetterQueue(target, 'capture-payment');
    const { sqs, calls } = sqsClientRefusing(target, { StartMessageMoveTaskCommand: unsupportedOperation });
    // Act
    const result = await redriveDeadLetterQueue(sqs, queue);
    // Assess
    expect(result).toEqual({ method: RedriveMethod.copy, moved: 1, toMove: 1, destinations: [queue.sources[0]?.arn] });
    expect(calls.get('StartMessageMoveTaskCommand')).toBe(1);
    await eventually('the copy to be parked again', async () => (await peekMessages(target.clients.sqs, queue.url)).messages.some((message) => message.orderId === orderId && message.messageId !== messageId));
    const { messages } = await peekMessages(target.clients.sqs, queue.url);
    expect(messages.map((message) => message.orderId)).toEqual([orderId]);
    sqs.destroy();
  });

  it('never deletes a message whose copy was not sent: it stays in the DLQ, visible', async () => {
    // Prepare
    const { messageId } = await park('PaymentCaptured', 'ship-order');
    const queue = await deadLetterQueue(target, 'ship-order');
    const { sqs, calls } = sqsClientRefusing(target, {
      StartMessageMoveTaskCommand: unsupportedOperation,
      SendMessageCommand: () => Object.assign(new Error('the destination refused the message'), { name: 'KmsAccessDenied' }),
    });
    // Act
    const failure = await redriveDeadLetterQueue(sqs, queue).catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(RedriveError);
    expect(failure).toMatchObject({ moved: 0, messageId, queueUrl: queue.url });
    expect((failure as RedriveError).cause).toMatchObject({ name: 'KmsAccessDenied' });
    expect(calls.get('SendMessageCommand')).toBe(1);
    expect(calls.get('DeleteMessageCommand')).toBeUndefined();
    expect(await depth(target.clients.sqs, queue.url)).toEqual({ visible: 1, inFlight: 0 });
    expect((await peekMessages(target.clients.sqs, queue.url)).messages.map((message) => message.messageId)).toEqual([messageId]);
    sqs.destroy();
  });

  it("redrives a rule-target DLQ to the queue EventBridge could not deliver to, where the step's handler processes the event", async () => {
    // Prepare
    const queue = await deadLetterQueue(target, 'reserve-inventory-target');
    const targetQueue = queue.sources[0];
    const orderId = randomUUID();
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await target.clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: queue.url,
        MessageBody: anEnvelope('OrderPlaced', { schemaVersion: 2, orderId, order: aPlacedOrder(), placedAt: new Date().toISOString() }),
        MessageAttributes: {
          RULE_ARN: attribute('arn:aws:events:us-east-1:000000000000:rule/OrderPipelineOrderBusDDC1EC84/ReserveInventoryRule'),
          TARGET_ARN: attribute(targetQueue?.arn ?? ''),
          ERROR_CODE: attribute('SQS.KmsThrottled'),
          ERROR_MESSAGE: attribute('The queue is throttled.'),
          EXHAUSTED_RETRY_CONDITION: attribute('MaximumRetryAttempts'),
          RETRY_ATTEMPTS: { DataType: 'Number', StringValue: '8' },
        },
      }),
    );
    // Act
    const result = await redriveDeadLetterQueue(target.clients.sqs, queue);
    // Assess
    expect(result).toEqual({ method: RedriveMethod.copy, moved: 1, toMove: 1, destinations: [targetQueue?.arn] });
    const outcomes = () => target.events.filter((event) => (event.detail as { orderId?: string }).orderId === orderId).map((event) => event['detail-type']);
    await eventually('reserve-inventory to process the redriven order', () => outcomes().length > 0);
    expect(outcomes()[0]).toBe('InventoryReserved');
    expect(await depth(target.clients.sqs, queue.url)).toEqual({ visible: 0, inFlight: 0 });
  });
});

describe('isMoveTaskUnsupported', () => {
  it.each([
    ['UnsupportedOperation', { name: 'UnsupportedOperation' }],
    ['an unknown action', { name: 'InvalidAction' }],
    ['a 501 Not Implemented', { name: 'InternalFailure', $metadata: { httpStatusCode: 501 } }],
  ])('is true for %s', (_case, error) => {
    expect(isMoveTaskUnsupported(error)).toBe(true);
  });

  it.each([
    ['a source that is not a DLQ', { name: 'InvalidParameterValue', $metadata: { httpStatusCode: 400 } }],
    ['a throttle', { name: 'RequestThrottled', $metadata: { httpStatusCode: 403 } }],
    ['a non-error', 'UnsupportedOperation'],
  ])('is false for %s', (_case, error) => {
    expect(isMoveTaskUnsupported(error)).toBe(false);
  });
});
