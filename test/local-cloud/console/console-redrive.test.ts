/**
 * The console's redrive API: which queues it redrives and how, through the one redrive
 * `npm run dlq` uses. A queue's DLQ goes by message move task (the browser test covers it end to
 * end); a rule target's DLQ goes back by copy to each message's TARGET_ARN queue; a queue that is
 * no DLQ is refused with a reason.
 */
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RedriveMethod } from '#cloud/dead-letter-redrive';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { ORDER_FLOW_CORRELATION } from '#local/order-flow-correlation';
import { until } from '#test/support/until';

describe('the console redrives a dead-letter queue', { timeout: 60_000 }, () => {
  let cloud: LocalCloud;
  let sqs: SQSClient;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory'), console: { correlation: ORDER_FLOW_CORRELATION, flowName: 'order' } });
    sqs = new SQSClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    sqs?.destroy();
    await cloud?.stop();
  });

  const redrive = (queueName: string) => fetch(new URL(`api/queues/${encodeURIComponent(queueName)}/redrive`, cloud.consoleUrl), { method: 'POST' });
  const queueUrl = (name: string) => `${cloud.awsEndpoint}/000000000000/${name}`;
  const depth = async (name: string) => Number((await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl(name), AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes?.ApproximateNumberOfMessages);

  it("copies a rule target's parked event back to the queue named in its TARGET_ARN, and empties the DLQ", async () => {
    // Prepare
    const target = cloud.plan.rules.flatMap((rule) => rule.Targets).find((candidate) => candidate.DeadLetterConfig !== undefined);
    const deadLetterQueue = String((target?.DeadLetterConfig as { Arn: string }).Arn).split(':').pop() ?? '';
    const targetQueue = String(target?.Arn).split(':').pop() ?? '';
    const body = JSON.stringify({ 'detail-type': 'ParkedByTheTest', detail: { orderId: 'ord-redrive' } });
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl(deadLetterQueue), MessageBody: body, MessageAttributes: { TARGET_ARN: { DataType: 'String', StringValue: String(target?.Arn) } } }));
    // Act
    const response = await redrive(deadLetterQueue);
    // Assess
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ method: RedriveMethod.copy, moved: 1, toMove: 1 });
    expect(await depth(deadLetterQueue)).toBe(0);
    // The step consumes its queue at once and parks the event it cannot read in its own DLQ: the
    // only way there is through the target queue.
    const stepDeadLetterQueue = cloud.plan.queues.find((queue) => queue.QueueName === targetQueue)?.deadLetterQueueName ?? '';
    await until(async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl(stepDeadLetterQueue), MaxNumberOfMessages: 10, VisibilityTimeout: 0 }));
      return (Messages ?? []).some((message) => message.Body === body);
    }, { timeoutMs: 30_000, intervalMs: 100 });
  });

  it('refuses, with the reason, to redrive a queue that is no dead-letter queue', async () => {
    // Prepare
    const workQueue = cloud.plan.eventSourceMappings[0]?.queueName ?? '';
    // Act
    const response = await redrive(workQueue);
    // Assess
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: `${workQueue} is neither a queue's DLQ nor a rule target's` });
  });
});
