/**
 * A child process for the SIGKILL test: opens an SQS service persisted in the directory given
 * as its argument, then sends orders until it is killed, printing each MessageId once
 * SendMessage has answered (an acknowledged send). Runs with `node --import tsx`.
 */
import { SqsService } from '#cloud/sqs/sqs-service';

const [directory] = process.argv.slice(2);
if (directory === undefined) throw new Error('usage: sqs-send-loop.ts <data directory>');
const sqs = new SqsService({ persistence: directory });
const { QueueUrl } = sqs.createQueue({ QueueName: 'place-order' });
for (let index = 0; ; index += 1) {
  const entries = [0, 1, 2].map((offset) => ({ Id: `e${offset}`, MessageBody: JSON.stringify({ orderId: `order-${index}-${offset}` }) }));
  // Alternate single sends and batches, so both kinds of journal line are cut by the kill.
  const messageIds =
    index % 2 === 0
      ? [sqs.sendMessage({ QueueUrl, MessageBody: JSON.stringify({ orderId: `order-${index}` }) }).MessageId]
      : sqs.sendMessageBatch({ QueueUrl, Entries: entries }).Successful.map((entry) => entry.MessageId);
  process.stdout.write(messageIds.map((id) => `${id}\n`).join(''));
  // Yield now and then so stdout reaches the parent while the loop runs.
  if (index % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
