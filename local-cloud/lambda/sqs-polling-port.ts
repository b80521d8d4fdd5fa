/**
 * The two SQS operations an event source mapping needs, in the AWS SQS JSON shapes
 * (`ReceiveMessage`, `DeleteMessageBatch`). The local SQS service implements them in-process;
 * an `@aws-sdk/client-sqs` client fits with a two-line adapter (pass `signal` as `abortSignal`).
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteMessageBatch.html
 */

/** A message attribute as `ReceiveMessage` returns it. */
export interface SqsMessageAttributeValue {
  readonly DataType?: string;
  readonly StringValue?: string;
  /** Base64 text on the wire, bytes from the SDK. */
  readonly BinaryValue?: Uint8Array | string;
  readonly StringListValues?: readonly string[];
  readonly BinaryListValues?: readonly unknown[];
}

/** A received message. */
export interface SqsMessage {
  readonly MessageId?: string;
  readonly ReceiptHandle?: string;
  readonly Body?: string;
  readonly MD5OfBody?: string;
  readonly MD5OfMessageAttributes?: string;
  /** System attributes (`ApproximateReceiveCount`, `SentTimestamp`, `MessageGroupId`…). */
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MessageAttributes?: Readonly<Record<string, SqsMessageAttributeValue>>;
}

/** Input of `ReceiveMessage`. */
export interface SqsReceiveMessageInput {
  readonly QueueUrl: string;
  readonly MaxNumberOfMessages?: number;
  readonly WaitTimeSeconds?: number;
  readonly VisibilityTimeout?: number;
  readonly AttributeNames?: readonly string[];
  readonly MessageSystemAttributeNames?: readonly string[];
  readonly MessageAttributeNames?: readonly string[];
}

/** Input of `DeleteMessageBatch` (at most 10 entries). */
export interface SqsDeleteMessageBatchInput {
  readonly QueueUrl: string;
  readonly Entries: readonly { readonly Id: string; readonly ReceiptHandle: string }[];
}

/** Output of `DeleteMessageBatch`. */
export interface SqsDeleteMessageBatchOutput {
  readonly Successful?: readonly unknown[];
  readonly Failed?: readonly { readonly Id: string; readonly Code?: string; readonly Message?: string }[];
}

/** Options of a port call that can be cancelled. */
export interface SqsCallOptions {
  /**
   * Aborted when the mapping stops, so a 20-second long poll ends at once. An implementation
   * that ignores it still works: the mapping stops waiting for the call, and any message it
   * then returns becomes visible again after its visibility timeout.
   */
  readonly signal?: AbortSignal;
}

/** The SQS operations an event source mapping uses. */
export interface SqsPollingPort {
  /** `ReceiveMessage`: long-polls for up to `WaitTimeSeconds`. */
  receiveMessage(input: SqsReceiveMessageInput, options?: SqsCallOptions): Promise<{ readonly Messages?: readonly SqsMessage[] }>;
  /** `DeleteMessageBatch`; an in-process service may answer synchronously. */
  deleteMessageBatch(input: SqsDeleteMessageBatchInput): Promise<SqsDeleteMessageBatchOutput> | SqsDeleteMessageBatchOutput;
}
