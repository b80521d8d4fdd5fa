/**
 * Inputs and outputs of the SQS operations in the shape of the AWS JSON protocol (what
 * `AmazonSQS.<Operation>` requests carry), which is also the in-process API of
 * {@link SqsService}. Blobs (`BinaryValue`) are base64 strings, as on the wire.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_Operations.html
 */

/** A message attribute value. `StringListValues`/`BinaryListValues` are reserved by AWS and ignored. */
export interface MessageAttributeValue {
  /** `String`, `Number` or `Binary`, optionally followed by `.customLabel`. */
  readonly DataType: string;
  /** Value of a String or Number attribute. */
  readonly StringValue?: string;
  /** Base64 value of a Binary attribute. */
  readonly BinaryValue?: string;
}

/** Message attributes by name. */
export type MessageAttributeMap = Readonly<Record<string, MessageAttributeValue>>;

/** Per-entry failure of a batch operation. */
export interface BatchResultErrorEntry {
  readonly Id: string;
  readonly SenderFault: boolean;
  /** The query-protocol error code, e.g. `ReceiptHandleIsInvalid`. */
  readonly Code: string;
  readonly Message?: string;
}

/** Input of CreateQueue. */
export interface CreateQueueInput {
  readonly QueueName: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Input of operations addressing one queue. */
export interface QueueInput {
  /** Queue URL (any host) or plain queue name. */
  readonly QueueUrl: string;
}

/** Output of CreateQueue and GetQueueUrl. */
export interface QueueUrlOutput {
  readonly QueueUrl: string;
}

/** Input of GetQueueUrl. */
export interface GetQueueUrlInput {
  readonly QueueName: string;
  readonly QueueOwnerAWSAccountId?: string;
}

/** Input of GetQueueAttributes. */
export interface GetQueueAttributesInput extends QueueInput {
  readonly AttributeNames?: readonly string[];
}

/** Output of GetQueueAttributes. */
export interface GetQueueAttributesOutput {
  readonly Attributes?: Readonly<Record<string, string>>;
}

/** Input of SetQueueAttributes. */
export interface SetQueueAttributesInput extends QueueInput {
  readonly Attributes: Readonly<Record<string, string>>;
}

/** Input of ListQueues. */
export interface ListQueuesInput {
  readonly QueueNamePrefix?: string;
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

/** Output of ListQueues. */
export interface ListQueuesOutput {
  readonly QueueUrls?: readonly string[];
  readonly NextToken?: string;
}

/** Input of ListDeadLetterSourceQueues. */
export interface ListDeadLetterSourceQueuesInput extends QueueInput {
  readonly MaxResults?: number;
  readonly NextToken?: string;
}

/** Output of ListDeadLetterSourceQueues. */
export interface ListDeadLetterSourceQueuesOutput {
  readonly queueUrls: readonly string[];
  readonly NextToken?: string;
}

/** Fields of a message to send (SendMessage, or one SendMessageBatch entry). */
export interface MessageToSend {
  readonly MessageBody: string;
  readonly DelaySeconds?: number;
  readonly MessageAttributes?: MessageAttributeMap;
  /** Only `AWSTraceHeader` is accepted. */
  readonly MessageSystemAttributes?: MessageAttributeMap;
  readonly MessageDeduplicationId?: string;
  readonly MessageGroupId?: string;
}

/** Input of SendMessage. */
export interface SendMessageInput extends QueueInput, MessageToSend {}

/** Output of SendMessage. */
export interface SendMessageOutput {
  readonly MessageId: string;
  readonly MD5OfMessageBody: string;
  readonly MD5OfMessageAttributes?: string;
  readonly MD5OfMessageSystemAttributes?: string;
  readonly SequenceNumber?: string;
}

/** Input of SendMessageBatch. */
export interface SendMessageBatchInput extends QueueInput {
  readonly Entries: readonly (MessageToSend & { readonly Id: string })[];
}

/** Output of SendMessageBatch. */
export interface SendMessageBatchOutput {
  readonly Successful: readonly (SendMessageOutput & { readonly Id: string })[];
  readonly Failed: readonly BatchResultErrorEntry[];
}

/** Input of ReceiveMessage. */
export interface ReceiveMessageInput extends QueueInput {
  /** Deprecated by AWS in favour of `MessageSystemAttributeNames`; both are honoured. */
  readonly AttributeNames?: readonly string[];
  readonly MessageSystemAttributeNames?: readonly string[];
  /** Names, `All`, `.*`, or prefixes such as `order.*`. */
  readonly MessageAttributeNames?: readonly string[];
  readonly MaxNumberOfMessages?: number;
  readonly VisibilityTimeout?: number;
  readonly WaitTimeSeconds?: number;
  readonly ReceiveRequestAttemptId?: string;
}

/** A received message. */
export interface ReceivedMessage {
  readonly MessageId: string;
  readonly ReceiptHandle: string;
  readonly MD5OfBody: string;
  readonly Body: string;
  readonly Attributes?: Readonly<Record<string, string>>;
  readonly MD5OfMessageAttributes?: string;
  readonly MessageAttributes?: MessageAttributeMap;
}

/** Output of ReceiveMessage. */
export interface ReceiveMessageOutput {
  readonly Messages?: readonly ReceivedMessage[];
}

/** Input of DeleteMessage. */
export interface DeleteMessageInput extends QueueInput {
  readonly ReceiptHandle: string;
}

/** Input of DeleteMessageBatch. */
export interface DeleteMessageBatchInput extends QueueInput {
  readonly Entries: readonly { readonly Id: string; readonly ReceiptHandle: string }[];
}

/** Output of DeleteMessageBatch and ChangeMessageVisibilityBatch. */
export interface BatchOutput {
  readonly Successful: readonly { readonly Id: string }[];
  readonly Failed: readonly BatchResultErrorEntry[];
}

/** Input of ChangeMessageVisibility. */
export interface ChangeMessageVisibilityInput extends QueueInput {
  readonly ReceiptHandle: string;
  readonly VisibilityTimeout: number;
}

/** Input of ChangeMessageVisibilityBatch. */
export interface ChangeMessageVisibilityBatchInput extends QueueInput {
  readonly Entries: readonly {
    readonly Id: string;
    readonly ReceiptHandle: string;
    readonly VisibilityTimeout?: number;
  }[];
}

/** Input of TagQueue. */
export interface TagQueueInput extends QueueInput {
  readonly Tags: Readonly<Record<string, string>>;
}

/** Input of UntagQueue. */
export interface UntagQueueInput extends QueueInput {
  readonly TagKeys: readonly string[];
}

/** Output of ListQueueTags. */
export interface ListQueueTagsOutput {
  readonly Tags?: Readonly<Record<string, string>>;
}

/** Input of StartMessageMoveTask. */
export interface StartMessageMoveTaskInput {
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
}

/** Output of StartMessageMoveTask. */
export interface StartMessageMoveTaskOutput {
  readonly TaskHandle: string;
}

/** Input of CancelMessageMoveTask. */
export interface CancelMessageMoveTaskInput {
  readonly TaskHandle: string;
}

/** Output of CancelMessageMoveTask. */
export interface CancelMessageMoveTaskOutput {
  readonly ApproximateNumberOfMessagesMoved: number;
}

/** Input of ListMessageMoveTasks. */
export interface ListMessageMoveTasksInput {
  readonly SourceArn: string;
  readonly MaxResults?: number;
}

/** One task in ListMessageMoveTasks. */
export interface MessageMoveTaskEntry {
  /** Only present while the task is RUNNING. */
  readonly TaskHandle?: string;
  readonly Status: string;
  readonly SourceArn: string;
  readonly DestinationArn?: string;
  readonly MaxNumberOfMessagesPerSecond?: number;
  readonly ApproximateNumberOfMessagesMoved: number;
  readonly ApproximateNumberOfMessagesToMove?: number;
  readonly FailureReason?: string;
  /** Epoch milliseconds. */
  readonly StartedTimestamp: number;
}

/** Output of ListMessageMoveTasks. */
export interface ListMessageMoveTasksOutput {
  readonly Results?: readonly MessageMoveTaskEntry[];
}

/** Output of operations that return nothing. */
export type EmptyOutput = Record<string, never>;
