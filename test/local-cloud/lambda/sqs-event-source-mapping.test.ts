import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { LocalFunctionConfigError } from '#cloud/lambda/errors';
import type { FunctionInvoker } from '#cloud/lambda/invocation-result';
import { LocalFunction } from '#cloud/lambda/local-function';
import { SqsEventSourceMapping, type SqsBatchOutcome, type SqsEventSourceMappingProps } from '#cloud/lambda/sqs-event-source-mapping';
import { SqsService } from '#cloud/sqs/sqs-service';
import { HandlerBundles } from './handler-bundles.ts';

const bundles = new HandlerBundles();
const running: Array<{ stop(): Promise<void> } | { close(): Promise<void> }> = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((resource) => ('stop' in resource ? resource.stop() : resource.close())));
});
afterAll(() => bundles.removeAll());

/** A real local SQS with one queue whose messages come back 1 s after a failed receive. */
function aQueue(attributes: Record<string, string> = {}, name = 'orders') {
  const sqs = new SqsService();
  const { QueueUrl: queueUrl } = sqs.createQueue({ QueueName: name, Attributes: { VisibilityTimeout: '1', ...attributes } });
  const counts = () => {
    const { Attributes = {} } = sqs.getQueueAttributes({ QueueUrl: queueUrl, AttributeNames: ['All'] });
    return { visible: Number(Attributes.ApproximateNumberOfMessages), inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible) };
  };
  return { sqs, queueUrl, queueArn: sqs.queueArn(name), counts };
}

/** A LocalFunction over a handler expression, closed after the test. */
async function aFunction(handlerSource: string): Promise<LocalFunction> {
  const fn = new LocalFunction({ functionName: 'consumer', codeDirectory: await bundles.handler(handlerSource), handler: 'index.handler', logSink: () => {} });
  running.push(fn);
  return fn;
}

/** Starts a mapping that records each batch outcome; stopped after the test. */
function aMapping(props: Omit<SqsEventSourceMappingProps, 'onBatch'>) {
  const outcomes: SqsBatchOutcome[] = [];
  const mapping = new SqsEventSourceMapping({ onBatch: (outcome) => outcomes.push(outcome), ...props });
  running.push(mapping);
  mapping.start();
  return { mapping, outcomes };
}

describe('SqsEventSourceMapping', () => {
  it('invokes the function with Lambda SQS records and deletes them all on success', async () => {
    // Prepare
    const queue = aQueue();
    const target = await aFunction('async () => {}');
    queue.sqs.sendMessage({
      QueueUrl: queue.queueUrl,
      MessageBody: '{"orderId":"o-1"}',
      MessageAttributes: { correlationId: { DataType: 'String', StringValue: 'o-1' } },
    });
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: '{"orderId":"o-2"}' });

    // Act
    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn });
    await expect.poll(() => outcomes.flatMap((outcome) => outcome.deleted).length).toBe(2);

    // Assess
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
    const record = outcomes.flatMap((outcome) => outcome.records).find((candidate) => candidate.body === '{"orderId":"o-1"}');
    expect(record).toEqual({
      messageId: expect.any(String),
      receiptHandle: expect.any(String),
      body: '{"orderId":"o-1"}',
      attributes: expect.objectContaining({
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d+$/),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d+$/),
      }),
      messageAttributes: { correlationId: { stringValue: 'o-1', stringListValues: [], binaryListValues: [], dataType: 'String' } },
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      md5OfMessageAttributes: expect.stringMatching(/^[0-9a-f]{32}$/),
      eventSource: 'aws:sqs',
      eventSourceARN: queue.queueArn,
      awsRegion: 'us-east-1',
    });
    expect(outcomes.every((outcome) => outcome.failed.length === 0 && outcome.error === undefined)).toBe(true);
  });

  it('deletes only the successes of a partial batch response and gets the failure back after its visibility timeout', async () => {
    // Prepare
    const queue = aQueue();
    const target = await aFunction(
      'async (event) => ({ batchItemFailures: event.Records.filter((r) => r.body === "bad").map((r) => ({ itemIdentifier: r.messageId })) })',
    );
    for (const body of ['good-1', 'bad', 'good-2']) queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: body });

    // Act
    const { outcomes } = aMapping({
      sqs: queue.sqs,
      target,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      reportBatchItemFailures: true,
    });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);

    // Assess
    const [first, retry] = outcomes;
    const bodyOf = (id: string) => first?.records.find((record) => record.messageId === id)?.body;
    expect(first?.deleted.map(bodyOf).sort()).toEqual(['good-1', 'good-2']);
    expect(first?.failed.map(bodyOf)).toEqual(['bad']);
    expect(first?.error).toBeUndefined();
    expect(retry?.records.map((record) => [record.body, record.attributes.ApproximateReceiveCount])).toEqual([['bad', '2']]);
  });

  it('fails the whole batch when the partial batch response names no message of the batch', async () => {
    // Prepare
    const queue = aQueue({ VisibilityTimeout: '30' });
    const target = await aFunction('async () => ({ batchItemFailures: [{ itemIdentifier: "not-a-message-id" }] })');
    for (const body of ['a', 'b']) queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: body });

    // Act
    const { outcomes } = aMapping({
      sqs: queue.sqs,
      target,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      reportBatchItemFailures: true,
      maximumBatchingWindowInSeconds: 1,
    });
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1);

    // Assess
    expect(outcomes[0]).toMatchObject({ deleted: [], error: { errorType: 'InvalidPartialBatchResponse' } });
    expect(outcomes[0]?.failed).toHaveLength(2);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 2 });
  });

  it('leaves every message of a batch whose invocation throws', async () => {
    const queue = aQueue({ VisibilityTimeout: '30' });
    const target = await aFunction('async () => { throw new TypeError("payment gateway unreachable"); }');
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'x' });

    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn, reportBatchItemFailures: true });
    await expect.poll(() => outcomes.length).toBe(1);

    expect(outcomes[0]).toMatchObject({ deleted: [], error: { errorType: 'TypeError', errorMessage: 'payment gateway unreachable' } });
    expect(outcomes[0]?.failed).toHaveLength(1);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 1 });
  });

  it('ignores batchItemFailures unless ReportBatchItemFailures is on', async () => {
    const queue = aQueue();
    const target = await aFunction('async (event) => ({ batchItemFailures: [{ itemIdentifier: event.Records[0].messageId }] })');
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'x' });

    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn });
    await expect.poll(() => outcomes.length).toBe(1);

    expect(outcomes[0]?.deleted).toHaveLength(1);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0 });
  });

  it('runs at most maxConcurrency invocations at once', async () => {
    // Prepare
    const queue = aQueue();
    let active = 0;
    let mostActive = 0;
    const target: FunctionInvoker = {
      invoke: async () => {
        mostActive = Math.max(mostActive, ++active);
        await sleep(30);
        active -= 1;
        return { ok: true, result: null, durationMs: 30 };
      },
    };
    for (let index = 0; index < 24; index += 1) queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: `m-${index}` });

    // Act
    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn, batchSize: 1, maxConcurrency: 3 });
    await expect.poll(() => outcomes.length).toBe(24);

    // Assess
    expect(mostActive).toBe(3);
  });

  it('receives no more while a batch is in flight and the function cannot start another invocation at once', async () => {
    // Prepare: a function that can never start another invocation without waiting
    const queue = aQueue({ VisibilityTimeout: '30' });
    let active = 0;
    let mostActive = 0;
    let declined = 0;
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => (release = resolve));
    const target: FunctionInvoker = {
      invoke: async () => {
        mostActive = Math.max(mostActive, ++active);
        await released;
        active -= 1;
        return { ok: true, result: null, durationMs: 1 };
      },
      canInvokeWithoutWaiting: () => {
        declined += 1;
        return false;
      },
    };
    for (let index = 0; index < 4; index += 1) queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: `m-${index}` });

    // Act
    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn, batchSize: 1, maxConcurrency: 3 });
    await expect.poll(() => declined).toBeGreaterThan(0);
    const whileDeclined = queue.counts();
    release();
    await expect.poll(() => outcomes.length).toBe(4);

    // Assess: one message was taken while the function was busy, and every message was processed, one at a time
    expect(whileDeclined).toEqual({ visible: 3, inFlight: 1 });
    expect(mostActive).toBe(1);
  });

  it('gathers messages that arrive within the batching window into one batch', async () => {
    // Prepare
    const queue = aQueue({ VisibilityTimeout: '30' });
    const target = await aFunction('async () => {}');
    const { outcomes } = aMapping({
      sqs: queue.sqs,
      target,
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      batchSize: 20,
      maximumBatchingWindowInSeconds: 1,
      maxConcurrency: 2,
    });

    // Act
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'early' });
    await sleep(300);
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'late' });
    await expect.poll(() => outcomes.length, { timeout: 3000 }).toBe(1);

    // Assess
    expect(outcomes[0]?.records.map((record) => record.body)).toEqual(['early', 'late']);
  });

  it('invokes as soon as the batch is full, without waiting for the window', async () => {
    const queue = aQueue();
    const target = await aFunction('async () => {}');
    for (const body of ['a', 'b', 'c']) queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: body });
    const startedAt = Date.now();

    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn, batchSize: 3, maximumBatchingWindowInSeconds: 10 });
    await expect.poll(() => outcomes.length).toBe(1);

    expect(outcomes[0]?.records).toHaveLength(3);
    expect(Date.now() - startedAt).toBeLessThan(2000);
  });

  it('carries FIFO attributes in the records', async () => {
    const queue = aQueue({ FifoQueue: 'true', ContentBasedDeduplication: 'true' }, 'orders.fifo');
    const target = await aFunction('async () => {}');
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'x', MessageGroupId: 'order-1' });

    const { outcomes } = aMapping({ sqs: queue.sqs, target, queueUrl: queue.queueUrl, queueArn: queue.queueArn });
    await expect.poll(() => outcomes.length).toBe(1);

    expect(outcomes[0]?.records[0]?.attributes).toMatchObject({
      MessageGroupId: 'order-1',
      MessageDeduplicationId: expect.any(String),
      SequenceNumber: expect.any(String),
    });
  });

  it('stops promptly while its pollers are long-polling an idle queue', async () => {
    // Prepare
    const queue = aQueue();
    const { mapping } = aMapping({ sqs: queue.sqs, target: await aFunction('async () => {}'), queueUrl: queue.queueUrl, queueArn: queue.queueArn });
    await sleep(50);

    // Act
    const startedAt = performance.now();
    await mapping.stop();

    // Assess
    expect(performance.now() - startedAt).toBeLessThan(100);
    expect(mapping.running).toBe(false);
  });

  it('does not poll when disabled', async () => {
    const queue = aQueue();
    queue.sqs.sendMessage({ QueueUrl: queue.queueUrl, MessageBody: 'x' });

    const { mapping } = aMapping({ sqs: queue.sqs, target: await aFunction('async () => {}'), queueUrl: queue.queueUrl, queueArn: queue.queueArn, enabled: false });
    await sleep(100);

    expect(mapping.running).toBe(false);
    expect(queue.counts()).toEqual({ visible: 1, inFlight: 0 });
  });

  it('reports a failing receive and keeps polling', async () => {
    const queue = aQueue();
    const errors: unknown[] = [];

    aMapping({
      sqs: queue.sqs,
      target: await aFunction('async () => {}'),
      queueUrl: `${queue.queueUrl}-missing`,
      queueArn: queue.queueArn,
      onError: (error) => errors.push(error),
    });
    await expect.poll(() => errors.length).toBeGreaterThan(0);

    expect(errors[0]).toMatchObject({ code: 'QueueDoesNotExist' });
  });

  it('rejects a configuration Lambda would reject', () => {
    const queue = aQueue();
    const props = { sqs: queue.sqs, target: { invoke: async () => ({ ok: true as const, result: null, durationMs: 0 }) }, queueUrl: queue.queueUrl, queueArn: queue.queueArn };

    expect(() => new SqsEventSourceMapping({ ...props, batchSize: 100 })).toThrow(/at least 1 when batchSize is greater than 10/);
    expect(() => new SqsEventSourceMapping({ ...props, maxConcurrency: 1 })).toThrow(LocalFunctionConfigError);
    expect(() => new SqsEventSourceMapping({ ...props, queueArn: 'orders' })).toThrow(/queueArn/);
  });
});
