import {
  ComputedQueueAttributes,
  FifoQueueAttributeDefaults,
  OptionalQueueAttributes,
  QueueAttributeDefaults,
  SqsLimits,
} from '#cloud/sqs/constants';
import { SqsErrors } from '#cloud/sqs/errors';

/** A queue's redrive policy, parsed. */
export interface RedrivePolicy {
  readonly deadLetterTargetArn: string;
  readonly maxReceiveCount: number;
}

/** What attribute validation needs to know about a would-be dead-letter queue. */
export interface DeadLetterQueueFacts {
  readonly fifo: boolean;
  /** The DLQ's RedriveAllowPolicy attribute, if set. */
  readonly redriveAllowPolicy?: string;
}

/** The queue the attributes are for. */
export interface AttributeTarget {
  readonly arn: string;
  readonly fifo: boolean;
  /** True for CreateQueue: FifoQueue may only be given then. */
  readonly creating: boolean;
  /** Looks up a queue by ARN, for RedrivePolicy's `deadLetterTargetArn`. */
  readonly deadLetterQueue: (arn: string) => DeadLetterQueueFacts | undefined;
}

const SETTABLE = new Set<string>([
  ...Object.keys(QueueAttributeDefaults),
  ...OptionalQueueAttributes,
]);
const FIFO_ONLY = new Set<string>(Object.keys(FifoQueueAttributeDefaults));
const COMPUTED = new Set<string>(ComputedQueueAttributes);

/** Integer attributes and their allowed ranges (API_SetQueueAttributes). */
const INTEGER_RANGES: Readonly<Record<string, readonly [number, number]>> = {
  DelaySeconds: [0, SqsLimits.maxDelaySeconds],
  MaximumMessageSize: [SqsLimits.minMessageSizeBytes, SqsLimits.maxMessageSizeBytes],
  MessageRetentionPeriod: [SqsLimits.minRetentionSeconds, SqsLimits.maxRetentionSeconds],
  ReceiveMessageWaitTimeSeconds: [0, SqsLimits.maxWaitTimeSeconds],
  VisibilityTimeout: [0, SqsLimits.maxVisibilityTimeoutSeconds],
  KmsDataKeyReusePeriodSeconds: [SqsLimits.minKmsDataKeyReuseSeconds, SqsLimits.maxKmsDataKeyReuseSeconds],
};

/** Attributes whose value is one of a fixed set. */
const ENUMERATIONS: Readonly<Record<string, readonly string[]>> = {
  SqsManagedSseEnabled: ['true', 'false'],
  FifoQueue: ['true', 'false'],
  ContentBasedDeduplication: ['true', 'false'],
  DeduplicationScope: ['messageGroup', 'queue'],
  FifoThroughputLimit: ['perQueue', 'perMessageGroupId'],
};

/** Whether `name` is an attribute GetQueueAttributes knows for a queue of this type. */
export function isReadableAttribute(name: string, fifo: boolean): boolean {
  return SETTABLE.has(name) || COMPUTED.has(name) || (fifo && FIFO_ONLY.has(name));
}

/** The stored attributes of a new queue: AWS's defaults. */
export function defaultQueueAttributes(fifo: boolean): Record<string, string> {
  return fifo ? { ...QueueAttributeDefaults, ...FifoQueueAttributeDefaults } : { ...QueueAttributeDefaults };
}

/**
 * Validates attributes of CreateQueue / SetQueueAttributes and applies them to `current`,
 * returning the new stored attributes. Values are normalized (integers without leading
 * zeros, RedrivePolicy as compact JSON with a numeric maxReceiveCount); an empty string
 * removes an optional attribute (RedrivePolicy, Policy…), as on AWS. A Policy is validated
 * where it is compiled (see `queue-policy.ts`), before this.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 */
export function applyQueueAttributes(
  current: Readonly<Record<string, string>>,
  changes: Readonly<Record<string, string>>,
  target: AttributeTarget,
): Record<string, string> {
  const result: Record<string, string> = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (name === 'FifoQueue') {
      if (!target.creating) throw SqsErrors.invalidAttributeValue(name, 'Modifying queue type is not supported.');
      normalizeAttribute(name, value, target);
      continue;
    }
    if (!SETTABLE.has(name) && !(target.fifo && FIFO_ONLY.has(name))) throw SqsErrors.invalidAttributeName(name);
    const normalized = normalizeAttribute(name, value, target);
    if (normalized === undefined) delete result[name];
    else result[name] = normalized;
  }
  applyEncryptionRules(result, changes);
  if (result.FifoThroughputLimit === 'perMessageGroupId' && result.DeduplicationScope !== 'messageGroup') {
    throw SqsErrors.invalidAttributeValue(
      'FifoThroughputLimit',
      'The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
    );
  }
  return result;
}

/** SSE-KMS and SSE-SQS exclude each other; a KMS key brings a data key reuse period. */
function applyEncryptionRules(result: Record<string, string>, changes: Readonly<Record<string, string>>): void {
  if (changes.KmsMasterKeyId !== undefined && changes.KmsMasterKeyId !== '') {
    if (changes.SqsManagedSseEnabled === 'true') {
      throw SqsErrors.invalidAttributeValue(
        'SqsManagedSseEnabled',
        'Only one server-side encryption option is supported per queue.',
      );
    }
    result.SqsManagedSseEnabled = 'false';
    result.KmsDataKeyReusePeriodSeconds ??= '300';
  } else if (changes.SqsManagedSseEnabled === 'true') {
    delete result.KmsMasterKeyId;
    delete result.KmsDataKeyReusePeriodSeconds;
  }
}

function normalizeAttribute(name: string, value: string, target: AttributeTarget): string | undefined {
  const range = INTEGER_RANGES[name];
  if (range !== undefined) {
    const integer = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(integer >= range[0] && integer <= range[1])) {
      throw SqsErrors.invalidAttributeValue(name, `Must be an integer from ${range[0]} to ${range[1]}.`);
    }
    return String(integer);
  }
  const allowed = ENUMERATIONS[name];
  if (allowed !== undefined) {
    if (!allowed.includes(value)) throw SqsErrors.invalidAttributeValue(name, `Must be one of ${allowed.join(', ')}.`);
    return value;
  }
  if (value === '') return undefined;
  switch (name) {
    case 'RedrivePolicy':
      return JSON.stringify(parseRedrivePolicy(value, target));
    case 'RedriveAllowPolicy':
      return validateRedriveAllowPolicy(value);
    default:
      return value;
  }
}

/**
 * Parses and checks a RedrivePolicy: the DLQ must exist, be of the same type (FIFO/standard)
 * and allow this queue by its RedriveAllowPolicy; maxReceiveCount is 1 to 1000 (CloudFormation
 * sends it as a number, some tools as a string: both are accepted).
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html
 */
function parseRedrivePolicy(value: string, target: AttributeTarget): RedrivePolicy {
  const invalid = (reason: string) =>
    SqsErrors.invalidParameterValue(`Value ${value} for parameter RedrivePolicy is invalid. Reason: ${reason}`);
  const policy = parseJsonObject('RedrivePolicy', value);
  const { deadLetterTargetArn, maxReceiveCount } = policy;
  if (typeof deadLetterTargetArn !== 'string' || maxReceiveCount === undefined) {
    throw invalid('Redrive policy does not contain mandatory attribute: deadLetterTargetArn, maxReceiveCount.');
  }
  const count = typeof maxReceiveCount === 'string' && /^\d+$/.test(maxReceiveCount) ? Number(maxReceiveCount) : maxReceiveCount;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < SqsLimits.minMaxReceiveCount || count > SqsLimits.maxMaxReceiveCount) {
    throw invalid(
      `Invalid value for maxReceiveCount: ${String(maxReceiveCount)}, valid values are from ${SqsLimits.minMaxReceiveCount} to ${SqsLimits.maxMaxReceiveCount} both inclusive.`,
    );
  }
  const deadLetterQueue = target.deadLetterQueue(deadLetterTargetArn);
  if (deadLetterQueue === undefined) throw invalid('Dead letter target does not exist.');
  if (deadLetterQueue.fifo !== target.fifo) {
    throw invalid('Dead-letter queue must be same type of queue as the source.');
  }
  if (!redriveAllowed(deadLetterQueue.redriveAllowPolicy, target.arn)) {
    throw invalid('Dead letter target does not allow this queue to use it as a dead-letter queue.');
  }
  return { deadLetterTargetArn, maxReceiveCount: count };
}

/** Reads a stored RedrivePolicy attribute (already normalized). */
export function readRedrivePolicy(attributes: Readonly<Record<string, string>>): RedrivePolicy | undefined {
  return attributes.RedrivePolicy === undefined ? undefined : (JSON.parse(attributes.RedrivePolicy) as RedrivePolicy);
}

function redriveAllowed(redriveAllowPolicy: string | undefined, sourceArn: string): boolean {
  if (redriveAllowPolicy === undefined) return true;
  const policy = JSON.parse(redriveAllowPolicy) as { redrivePermission: string; sourceQueueArns?: string[] };
  if (policy.redrivePermission === 'denyAll') return false;
  if (policy.redrivePermission === 'byQueue') return policy.sourceQueueArns?.includes(sourceArn) ?? false;
  return true;
}

/**
 * Checks a RedriveAllowPolicy: `redrivePermission` allowAll, denyAll or byQueue;
 * `sourceQueueArns` (1 to 10) only with byQueue.
 */
function validateRedriveAllowPolicy(value: string): string {
  const policy = parseJsonObject('RedriveAllowPolicy', value);
  const { redrivePermission, sourceQueueArns } = policy;
  const invalid = (reason: string) =>
    SqsErrors.invalidParameterValue(`Value ${value} for parameter RedriveAllowPolicy is invalid. Reason: ${reason}`);
  if (redrivePermission !== 'allowAll' && redrivePermission !== 'denyAll' && redrivePermission !== 'byQueue') {
    throw invalid('Invalid value for redrivePermission; valid values are allowAll, denyAll and byQueue.');
  }
  if (redrivePermission === 'byQueue') {
    if (!Array.isArray(sourceQueueArns) || sourceQueueArns.length === 0 || sourceQueueArns.length > 10) {
      throw invalid('byQueue requires sourceQueueArns with 1 to 10 queue ARNs.');
    }
  } else if (sourceQueueArns !== undefined) {
    throw invalid('sourceQueueArns can be specified only when redrivePermission is byQueue.');
  }
  return value;
}

function parseJsonObject(name: string, value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw SqsErrors.invalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: Invalid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw SqsErrors.invalidParameterValue(`Value ${value} for parameter ${name} is invalid. Reason: Must be a JSON object.`);
  }
  return parsed as Record<string, unknown>;
}
