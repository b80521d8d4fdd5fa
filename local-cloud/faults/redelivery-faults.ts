/**
 * The `duplicate` fault on an event source mapping's queue: after a message was processed and
 * deleted, the same body is sent to the queue again, as SQS standard queues may deliver a
 * message more than once.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/standard-queues-at-least-once-delivery.html
 */
import type { SqsMessage, SqsPollingPort } from '#cloud/lambda/sqs-polling-port';
import type { FaultInjector } from '#cloud/faults/fault-injector';

/** Sends a message again (SendMessage on the queue being polled). */
export type Resend = (input: {
  QueueUrl: string;
  MessageBody: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue: string }>;
}) => unknown;

/** Where the polled queue is and how to put a message back on it. */
export interface RedeliveryTarget {
  readonly queueUrl: string;
  /** Names a fault target may match: the queue's and its function's. */
  readonly names: readonly string[];
  readonly resend: Resend;
}

/** `port` that redelivers some deleted messages; only those received through it are known. */
export function withRedeliveryFaults(port: SqsPollingPort, faults: FaultInjector, target: RedeliveryTarget): SqsPollingPort {
  // Received and not yet deleted, by receipt handle; a message received again replaces its old
  // handle, so the maps hold at most the messages in flight or waiting to come back.
  const byReceipt = new Map<string, SqsMessage>();
  const receiptOf = new Map<string, string>();
  return {
    receiveMessage: async (input, options) => {
      const output = await port.receiveMessage(input, options);
      for (const message of output.Messages ?? []) {
        if (message.ReceiptHandle === undefined || message.MessageId === undefined) continue;
        const previous = receiptOf.get(message.MessageId);
        if (previous !== undefined) byReceipt.delete(previous);
        receiptOf.set(message.MessageId, message.ReceiptHandle);
        byReceipt.set(message.ReceiptHandle, message);
      }
      return output;
    },
    deleteMessageBatch: async (input) => {
      const output = await port.deleteMessageBatch(input);
      const failed = new Set((output.Failed ?? []).map((failure) => failure.Id));
      for (const entry of input.Entries) {
        const message = byReceipt.get(entry.ReceiptHandle);
        byReceipt.delete(entry.ReceiptHandle);
        if (message?.MessageId !== undefined) receiptOf.delete(message.MessageId);
        if (message?.Body === undefined || failed.has(entry.Id) || !faults.strikes('duplicate', ...target.names)) continue;
        await target.resend({ QueueUrl: target.queueUrl, MessageBody: message.Body, ...stringAttributes(message) });
      }
      return output;
    },
  };
}

/** The message's string and number attributes, as SendMessage takes them. */
function stringAttributes(message: SqsMessage): { MessageAttributes?: Record<string, { DataType: string; StringValue: string }> } {
  const attributes = Object.entries(message.MessageAttributes ?? {}).flatMap(([name, value]) =>
    value.StringValue !== undefined && value.DataType !== undefined ? [[name, { DataType: value.DataType, StringValue: value.StringValue }] as const] : [],
  );
  return attributes.length === 0 ? {} : { MessageAttributes: Object.fromEntries(attributes) };
}
