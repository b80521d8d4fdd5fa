/**
 * Group `sqs`: the local cloud's SQS against a no-op SQS server, both driven by the same SDK
 * client configuration and concurrency. A cycle is what a consumer does to a message: send,
 * receive, delete; single (one message per call) and batched (ten per call, SQS's maximum).
 * `ratio*` = local / no-op rate: how close the local cloud comes to the client's own limit.
 * The single cycle also runs against moto's server when it is installed, with the same client
 * and load: `localToMotoRatioSingle` = local / moto rate, the local cloud beside a peer.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 */
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { startAwsGateway } from '#cloud/gateway';
import { sqsRegistration } from '#cloud/sqs/operations';
import { SqsService } from '#cloud/sqs/sqs-service';
import { verdict, type BenchmarkGroup, type GroupFigures } from './benchmark.ts';
import { CANNED_MESSAGE_BODY, startNoopSqsServer } from './noop-sqs-server.ts';
import { startMotoServer } from './moto-server.ts';
import { benchClientConfig } from './sdk-client-config.ts';
import { measureRates, type LoadOptions, type LoadSubject } from './throughput.ts';

/** SQS's largest batch (SendMessageBatch, ReceiveMessage, DeleteMessageBatch). */
const BATCH_SIZE = 10;

/** Target of the issue: the local cloud at least this fraction of the no-op server's rate. */
const MINIMUM_RATIO = 0.8;

const LOAD: LoadOptions = { concurrency: 16, warmupMs: 500, roundMs: 1_000, rounds: 5, maxOperationsPerRound: 20_000 };

/** The `sqs` benchmark group. */
export const sqsBenchmark: BenchmarkGroup = {
  name: 'sqs',
  async run(context) {
    const gateway = await startAwsGateway({ port: 0 });
    const sqs = new SqsService({ endpoint: gateway.endpoint });
    gateway.register(sqsRegistration(sqs));
    const noop = await startNoopSqsServer();
    // A long visibility timeout: a received message must not come back before the cycle deletes it.
    const { QueueUrl: localQueueUrl } = sqs.createQueue({ QueueName: 'bench', Attributes: { VisibilityTimeout: '300' } });
    const localClient = new SQSClient(benchClientConfig(gateway.endpoint, LOAD.concurrency));
    const noopClient = new SQSClient(benchClientConfig(noop.endpoint, LOAD.concurrency));
    try {
      const local = { client: localClient, queueUrl: localQueueUrl };
      const noopQueue = { client: noopClient, queueUrl: `${noop.endpoint}/000000000000/bench` };

      context.log(`sqs: single-message cycles, ${LOAD.concurrency} in flight`);
      const single = await measureRates({ local: singleCycle(local), noop: singleCycle(noopQueue) }, LOAD);
      context.log(`sqs: batched cycles of ${BATCH_SIZE}, ${LOAD.concurrency} in flight`);
      const batch = await measureRates({ local: batchCycle(local), noop: batchCycle(noopQueue) }, LOAD);
      const moto = await measureMoto(local, context.log);
      if (moto === undefined) context.note('sqs: moto server (python3 -m moto.server) is not available here, so there is no side-by-side ratio');

      return {
        concurrency: LOAD.concurrency,
        localSingleMessagesPerSecond: single.local.perSecond,
        noopSingleMessagesPerSecond: single.noop.perSecond,
        ratioSingle: single.local.perSecond / single.noop.perSecond,
        localBatchMessagesPerSecond: batch.local.perSecond,
        noopBatchMessagesPerSecond: batch.noop.perSecond,
        ratioBatch: batch.local.perSecond / batch.noop.perSecond,
        motoSingleMessagesPerSecond: moto?.moto ?? null,
        localToMotoRatioSingle: moto === undefined ? null : moto.local / moto.moto,
      };
    } finally {
      localClient.destroy();
      noopClient.destroy();
      sqs.close();
      await Promise.all([gateway.close(), noop.close()]);
    }
  },
  targets: (figures: GroupFigures) => [
    verdict(`sqs.ratioSingle >= ${MINIMUM_RATIO}`, figures.ratioSingle as number, { atLeast: MINIMUM_RATIO }),
    verdict(`sqs.ratioBatch >= ${MINIMUM_RATIO}`, figures.ratioBatch as number, { atLeast: MINIMUM_RATIO }),
  ],
};

/**
 * The single cycle against the local cloud and moto's server, measured in the same rounds;
 * undefined when moto cannot run here.
 */
async function measureMoto(local: QueueUnderTest, log: (message: string) => void): Promise<{ readonly local: number; readonly moto: number } | undefined> {
  const server = await startMotoServer();
  if (server === undefined) return undefined;
  const client = new SQSClient(benchClientConfig(server.endpoint, LOAD.concurrency));
  try {
    const { QueueUrl } = await client.send(new CreateQueueCommand({ QueueName: 'bench', Attributes: { VisibilityTimeout: '300' } }));
    log(`sqs: single-message cycles against moto server, ${LOAD.concurrency} in flight`);
    const rates = await measureRates({ local: singleCycle(local), moto: singleCycle({ client, queueUrl: QueueUrl as string }) }, LOAD);
    return { local: rates.local.perSecond, moto: rates.moto.perSecond };
  } finally {
    client.destroy();
    await server.close();
  }
}

interface QueueUnderTest {
  readonly client: SQSClient;
  readonly queueUrl: string;
}

/**
 * Send one, receive one, delete it; counts the messages deleted. Each worker sends before it
 * receives and the server serves requests one at a time, so a receive always finds a message.
 */
function singleCycle({ client, queueUrl }: QueueUnderTest): LoadSubject {
  return {
    async operation() {
      await client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: CANNED_MESSAGE_BODY }));
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 0 }));
      const [message] = Messages;
      if (message?.ReceiptHandle === undefined) return 0;
      await client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }));
      return 1;
    },
  };
}

/** Send ten in one batch, receive up to ten, delete them in one batch; counts the messages deleted. */
function batchCycle({ client, queueUrl }: QueueUnderTest): LoadSubject {
  const entries = Array.from({ length: BATCH_SIZE }, (_, index) => ({ Id: `m${index}`, MessageBody: CANNED_MESSAGE_BODY }));
  return {
    async operation() {
      const sent = await client.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      if ((sent.Failed ?? []).length > 0) throw new Error(`SendMessageBatch failed entries: ${JSON.stringify(sent.Failed)}`);
      const { Messages = [] } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: BATCH_SIZE, WaitTimeSeconds: 0 }));
      if (Messages.length === 0) return 0;
      const deleted = await client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: `m${index}`, ReceiptHandle: message.ReceiptHandle })),
        }),
      );
      if ((deleted.Failed ?? []).length > 0) throw new Error(`DeleteMessageBatch failed entries: ${JSON.stringify(deleted.Failed)}`);
      return deleted.Successful?.length ?? 0;
    },
  };
}
