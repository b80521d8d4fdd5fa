/**
 * SQS limits and defaults, as the SQS API reference and quotas pages state them.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-messages.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
 */
export const SqsLimits = {
  /** Longest visibility timeout, also the cap on the total time since receive (12 hours). */
  maxVisibilityTimeoutSeconds: 43_200,
  /** Longest queue or message delay (15 minutes). */
  maxDelaySeconds: 900,
  /** Longest long poll. */
  maxWaitTimeSeconds: 20,
  /** Message size bounds; AWS raised the maximum from 256 KiB to 1 MiB in 2025. */
  minMessageSizeBytes: 1_024,
  maxMessageSizeBytes: 1_048_576,
  /** Retention bounds: 1 minute to 14 days. */
  minRetentionSeconds: 60,
  maxRetentionSeconds: 1_209_600,
  /** Messages per ReceiveMessage and entries per batch request. */
  maxMessagesPerReceive: 10,
  maxBatchEntries: 10,
  /** Message attributes per message. */
  maxMessageAttributes: 10,
  maxAttributeNameLength: 256,
  /** Queue names and batch entry ids: up to 80 alphanumeric, hyphen or underscore characters. */
  maxQueueNameLength: 80,
  maxBatchEntryIdLength: 80,
  /** `maxReceiveCount` of a redrive policy. */
  minMaxReceiveCount: 1,
  maxMaxReceiveCount: 1_000,
  /** Length of MessageGroupId, MessageDeduplicationId. */
  maxFifoIdLength: 128,
  /** The FIFO deduplication interval (5 minutes). */
  deduplicationIntervalMs: 5 * 60_000,
  /** Only one PurgeQueue per queue every 60 seconds. */
  purgeIntervalMs: 60_000,
  /** KmsDataKeyReusePeriodSeconds bounds. */
  minKmsDataKeyReuseSeconds: 60,
  maxKmsDataKeyReuseSeconds: 86_400,
  /** ListQueues / ListDeadLetterSourceQueues page size bounds. */
  maxListResults: 1_000,
  /** ListMessageMoveTasks MaxResults upper bound. */
  maxMoveTaskResults: 10,
  /** StartMessageMoveTask MaxNumberOfMessagesPerSecond upper bound. */
  maxMoveRatePerSecond: 500,
} as const;

/**
 * Queue attributes a caller can set (CreateQueue / SetQueueAttributes), with the value a new
 * queue gets when the caller does not set it. FIFO-only attributes are listed separately.
 */
export const QueueAttributeDefaults = {
  DelaySeconds: '0',
  MaximumMessageSize: String(SqsLimits.maxMessageSizeBytes),
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  // SSE-SQS has been on by default for new queues since 2022.
  SqsManagedSseEnabled: 'true',
} as const;

/** Defaults of the attributes only FIFO queues have. */
export const FifoQueueAttributeDefaults = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
} as const;

/** Settable attributes that have no default (absent until set). */
export const OptionalQueueAttributes = [
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
] as const;

/** Attributes SQS computes; they can be read but not set. */
export const ComputedQueueAttributes = [
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
  'QueueArn',
] as const;

/** System attributes ReceiveMessage can return per message (besides `All`). */
export const MessageSystemAttributeNames = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

/** One of {@link MessageSystemAttributeNames}. */
export type MessageSystemAttributeName = (typeof MessageSystemAttributeNames)[number];

/** The only message system attribute a sender may set. */
export const SENDABLE_SYSTEM_ATTRIBUTE = 'AWSTraceHeader';

/** Default region, account and endpoint of the local cloud (LocalStack's conventions). */
export const SqsDefaults = {
  region: 'us-east-1',
  accountId: '000000000000',
  endpoint: 'http://127.0.0.1:4566',
  /** What SenderId shows: the local cloud has no IAM principals. */
  senderId: 'AIDAAAAAAAAAAAAAAAAAA',
} as const;

/** Statuses of a message move task, as ListMessageMoveTasks reports them. */
export const MoveTaskStatus = {
  running: 'RUNNING',
  completed: 'COMPLETED',
  cancelling: 'CANCELLING',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
} as const;

/** One of {@link MoveTaskStatus}. */
export type MoveTaskStatus = (typeof MoveTaskStatus)[keyof typeof MoveTaskStatus];
