import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startAwsGateway, type AwsGateway } from '#cloud/gateway';
import { sqsRegistration } from '#cloud/sqs/operations';
import { SqsService } from '#cloud/sqs/sqs-service';

/** A gateway serving a fresh SQS service, and a real SDK v3 client pointed at it. */
export interface LocalSqs {
  readonly gateway: AwsGateway;
  readonly sqs: SqsService;
  readonly client: SQSClient;
  close(): Promise<void>;
}

/** Starts the gateway on an ephemeral port with an SQS service, as the local cloud does. */
export async function startLocalSqs(): Promise<LocalSqs> {
  const gateway = await startAwsGateway({ port: 0 });
  const sqs = new SqsService({ endpoint: gateway.endpoint });
  gateway.register(sqsRegistration(sqs));
  const client = new SQSClient({
    endpoint: gateway.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  return {
    gateway,
    sqs,
    client,
    close: async () => {
      client.destroy();
      sqs.close();
      await gateway.close();
    },
  };
}

/** A queue name no other test uses. */
export function uniqueQueueName(prefix = 'orders', fifo = false): string {
  return `${prefix}-${randomUUID().slice(0, 8)}${fifo ? '.fifo' : ''}`;
}

/** Creates a queue through the SDK and returns its URL. */
export async function createQueue(
  client: SQSClient,
  attributes: Record<string, string> = {},
  name = uniqueQueueName(),
): Promise<string> {
  const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');
  return QueueUrl;
}

/** A dead-letter queue and a source queue redriving to it after `maxReceiveCount` receives. */
export async function createQueueWithDeadLetterQueue(
  client: SQSClient,
  maxReceiveCount: number,
  sourceAttributes: Record<string, string> = {},
): Promise<{ sourceUrl: string; deadLetterUrl: string; deadLetterArn: string; sourceArn: string }> {
  const fifo = sourceAttributes.FifoQueue === 'true';
  const deadLetterUrl = await createQueue(client, fifo ? { FifoQueue: 'true' } : {}, uniqueQueueName('orders-dlq', fifo));
  const deadLetterArn = await queueArn(client, deadLetterUrl);
  const sourceUrl = await createQueue(
    client,
    { ...sourceAttributes, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: deadLetterArn, maxReceiveCount }) },
    uniqueQueueName('orders', fifo),
  );
  return { sourceUrl, deadLetterUrl, deadLetterArn, sourceArn: await queueArn(client, sourceUrl) };
}

/** The queue's ARN, read through GetQueueAttributes. */
export async function queueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (arn === undefined) throw new Error(`No QueueArn for ${queueUrl}`);
  return arn;
}

/** Approximate message counts of a queue, as numbers. */
export async function messageCounts(
  client: SQSClient,
  queueUrl: string,
): Promise<{ visible: number; inFlight: number; delayed: number }> {
  const { Attributes = {} } = await client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
    delayed: Number(Attributes.ApproximateNumberOfMessagesDelayed),
  };
}

/** An order event body, as the pipeline's queues carry. */
export function orderEventBody(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({ 'detail-type': 'OrderPlaced', source: 'shop.orders', detail: { orderId: randomUUID(), ...overrides } });
}

/** Waits until `condition` holds, polling; fails after `timeoutMs`. */
export async function eventually<T>(read: () => Promise<T>, condition: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (condition(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The error a call fails with; fails the test if the call succeeds. */
export async function failureOf(call: Promise<unknown>): Promise<unknown> {
  try {
    await call;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}
