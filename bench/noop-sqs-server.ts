/**
 * The no-op SQS server: the message operations of the bench's send/receive/delete cycle,
 * answered with the smallest responses SDK v3 accepts. The SDK checks `MD5OfMessageBody`
 * against what it sent and `MD5OfBody` against what it received, so those digests are real.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
import { createHash, randomUUID } from 'node:crypto';
import { startNoopAwsServer, type NoopAwsServer } from './noop-aws-server.ts';

/** The body of every message the no-op server hands out. */
export const CANNED_MESSAGE_BODY = '{"orderId":"bench-order"}';

/** Starts the no-op SQS server; any queue URL on its endpoint is accepted. */
export function startNoopSqsServer(): Promise<NoopAwsServer> {
  const cannedMd5 = md5Hex(CANNED_MESSAGE_BODY);
  return startNoopAwsServer({
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    operations: {
      SendMessage: (input) => ({ MessageId: randomUUID(), MD5OfMessageBody: md5Hex(String(input.MessageBody ?? '')) }),
      SendMessageBatch: (input) => ({
        Successful: entriesOf(input).map((entry) => ({ Id: entry.Id, MessageId: randomUUID(), MD5OfMessageBody: md5Hex(String(entry.MessageBody ?? '')) })),
        Failed: [],
      }),
      // One canned message per message asked for, each with a receipt handle to delete it by.
      ReceiveMessage: (input) => ({
        Messages: Array.from({ length: Number(input.MaxNumberOfMessages ?? 1) }, () => ({
          MessageId: randomUUID(),
          ReceiptHandle: randomUUID(),
          MD5OfBody: cannedMd5,
          Body: CANNED_MESSAGE_BODY,
        })),
      }),
      DeleteMessage: () => ({}),
      DeleteMessageBatch: (input) => ({ Successful: entriesOf(input).map((entry) => ({ Id: entry.Id })), Failed: [] }),
    },
  });
}

function md5Hex(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

function entriesOf(input: Record<string, unknown>): { Id?: unknown; MessageBody?: unknown }[] {
  return Array.isArray(input.Entries) ? (input.Entries as { Id?: unknown; MessageBody?: unknown }[]) : [];
}
