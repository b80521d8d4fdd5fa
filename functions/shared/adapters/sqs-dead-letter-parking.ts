import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Why a record was parked, as an operator reads it on the DLQ message's attributes. */
export interface ParkingReason {
  readonly step: string;
  readonly errorName: string;
  readonly errorMessage: string;
  readonly orderId?: string;
  readonly sourceMessageId: string;
  readonly receiveCount: number;
}

/** SQS caps a message attribute value with the body at 256 KiB; keep the reason short. */
const MAX_ERROR_MESSAGE_LENGTH = 4_096;

/**
 * Moves a record that cannot succeed to its queue's DLQ itself, with the cause as message
 * attributes. SQS's own redrive moves a message after maxReceiveCount receives but records no
 * reason, and would spend those receives on an input that can never succeed.
 */
export class SqsDeadLetterParking {
  readonly #client: SQSClient;
  readonly #deadLetterQueueUrl: string;

  constructor(options: { readonly client: SQSClient; readonly deadLetterQueueUrl: string }) {
    this.#client = options.client;
    this.#deadLetterQueueUrl = options.deadLetterQueueUrl;
  }

  /** Sends `body` to the DLQ with the reason; throws if SQS did not take it. */
  async park(body: string, reason: ParkingReason): Promise<void> {
    const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
    await this.#client.send(
      new SendMessageCommand({
        QueueUrl: this.#deadLetterQueueUrl,
        MessageBody: body,
        MessageAttributes: {
          step: attribute(reason.step),
          errorName: attribute(reason.errorName),
          errorMessage: attribute(reason.errorMessage.slice(0, MAX_ERROR_MESSAGE_LENGTH)),
          sourceMessageId: attribute(reason.sourceMessageId),
          receiveCount: { DataType: 'Number', StringValue: String(reason.receiveCount) },
          ...(reason.orderId ? { orderId: attribute(reason.orderId) } : {}),
        },
      }),
    );
  }
}
