/**
 * Receipt handles: opaque to clients, but they must name the message and the one receive
 * they came from, because AWS only honours the most recent receipt handle of a message.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessage.html
 */

/** What a receipt handle refers to. */
export interface ReceiptHandleParts {
  /** Name of the queue the message was received from. */
  readonly queueName: string;
  readonly messageId: string;
  /** Identifies the receive; a new one is drawn on every receive. */
  readonly receiveId: string;
}

/** Builds the receipt handle of one receive. */
export function encodeReceiptHandle(parts: ReceiptHandleParts): string {
  return Buffer.from(JSON.stringify([parts.queueName, parts.messageId, parts.receiveId]), 'utf8').toString('base64');
}

/** Reads a receipt handle; undefined when it is not one this service issued. */
export function decodeReceiptHandle(handle: string): ReceiptHandleParts | undefined {
  try {
    const parts: unknown = JSON.parse(Buffer.from(handle, 'base64').toString('utf8'));
    if (!Array.isArray(parts) || parts.length !== 3 || !parts.every((part) => typeof part === 'string')) return undefined;
    const [queueName, messageId, receiveId] = parts as [string, string, string];
    return { queueName, messageId, receiveId };
  } catch {
    return undefined;
  }
}
