import { SqsErrors } from '#cloud/sqs/errors';
import { SENDABLE_SYSTEM_ATTRIBUTE, SqsLimits } from '#cloud/sqs/constants';
import type { MessageAttributeMap, MessageAttributeValue } from '#cloud/sqs/types';

/**
 * Pure validation of SQS request parameters. Inputs arrive as untyped JSON (from any
 * client), so every reader checks the type as well as AWS's documented range.
 */

/** Reads a required, non-empty string parameter. */
export function requiredString(value: unknown, parameter: string): string {
  if (value === undefined || value === null || value === '') throw SqsErrors.missingParameter(parameter);
  if (typeof value !== 'string') throw SqsErrors.invalidValue(parameter, value, 'Must be a string.');
  return value;
}

/** Reads an optional string parameter. */
export function optionalString(value: unknown, parameter: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw SqsErrors.invalidValue(parameter, value, 'Must be a string.');
  return value;
}

/** Reads an optional integer parameter within `[min, max]`. */
export function optionalInteger(value: unknown, parameter: string, min: number, max: number): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw SqsErrors.invalidValue(parameter, value, `Must be between ${min} and ${max}, if provided.`);
  }
  return value;
}

/** Reads a required integer parameter within `[min, max]`. */
export function requiredInteger(value: unknown, parameter: string, min: number, max: number): number {
  const integer = optionalInteger(value, parameter, min, max);
  if (integer === undefined) throw SqsErrors.missingParameter(parameter);
  return integer;
}

/** Reads an optional list of strings. */
export function optionalStringList(value: unknown, parameter: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
    throw SqsErrors.invalidValue(parameter, value, 'Must be a list of strings.');
  }
  return value as string[];
}

/** Reads an optional map of strings (queue attributes, tags). */
export function optionalStringMap(value: unknown, parameter: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || Object.values(value).some((item) => typeof item !== 'string')) {
    throw SqsErrors.invalidValue(parameter, value, 'Must be a map of strings.');
  }
  return value as Record<string, string>;
}

/**
 * Checks a queue name: up to 80 alphanumeric characters, hyphens and underscores, and for a
 * FIFO queue the `.fifo` suffix (which counts towards the 80).
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-queues.html
 */
export function validateQueueName(name: string, fifo: boolean): void {
  const base = fifo ? name.slice(0, -'.fifo'.length) : name;
  const valid =
    name.length <= SqsLimits.maxQueueNameLength &&
    name.endsWith('.fifo') === fifo &&
    /^[A-Za-z0-9_-]+$/.test(base);
  if (valid) return;
  throw SqsErrors.invalidParameterValue(
    fifo || name.endsWith('.fifo')
      ? 'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.'
      : 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
  );
}

/**
 * Characters SQS accepts in a body or string attribute (the XML character range).
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
 */
const INVALID_MESSAGE_CHARACTER = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

/** Checks a message body: present, non-empty, only allowed characters. */
export function validateMessageBody(body: unknown): string {
  const text = requiredString(body, 'MessageBody');
  if (INVALID_MESSAGE_CHARACTER.test(text)) throw SqsErrors.invalidMessageContents();
  return text;
}

/** A message attribute map after validation, with the bytes it adds to the message size. */
export interface ValidatedAttributes {
  readonly attributes: MessageAttributeMap;
  /** Name, type and value bytes: all count towards the message size limit. */
  readonly sizeInBytes: number;
}

/**
 * Validates user message attributes: at most 10, names of allowed characters not starting
 * with `AWS.`/`Amazon.`, type String/Number/Binary (with an optional `.label`), a value
 * matching the type. Only the fields SQS stores are kept.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
 */
export function validateMessageAttributes(value: unknown): ValidatedAttributes {
  const entries = attributeEntries(value, 'MessageAttributes');
  if (entries.length > SqsLimits.maxMessageAttributes) {
    throw SqsErrors.invalidParameterValue(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${SqsLimits.maxMessageAttributes}].`,
    );
  }
  const attributes: Record<string, MessageAttributeValue> = {};
  let sizeInBytes = 0;
  for (const [name, attribute] of entries) {
    validateAttributeName(name);
    const validated = validateAttributeValue(name, attribute);
    attributes[name] = validated;
    sizeInBytes += byteLength(name) + byteLength(validated.DataType) + attributeValueBytes(validated);
  }
  return { attributes, sizeInBytes };
}

/**
 * Validates message system attributes: only `AWSTraceHeader`, of type String, is accepted.
 * Their size does not count towards the message size.
 */
export function validateMessageSystemAttributes(value: unknown): MessageAttributeMap {
  const attributes: Record<string, MessageAttributeValue> = {};
  for (const [name, attribute] of attributeEntries(value, 'MessageSystemAttributes')) {
    if (name !== SENDABLE_SYSTEM_ATTRIBUTE) {
      throw SqsErrors.invalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    const validated = validateAttributeValue(name, attribute);
    if (validated.DataType !== 'String') {
      throw SqsErrors.invalidParameterValue(`Message system attribute '${name}' type must be String.`);
    }
    attributes[name] = validated;
  }
  return attributes;
}

function attributeEntries(value: unknown, parameter: string): [string, unknown][] {
  if (value === undefined || value === null) return [];
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw SqsErrors.invalidValue(parameter, value, 'Must be a map of attribute values.');
  }
  return Object.entries(value);
}

function validateAttributeName(name: string): void {
  if (name.length === 0 || name.length > SqsLimits.maxAttributeNameLength || !/^[A-Za-z0-9_.-]+$/.test(name)) {
    throw SqsErrors.invalidParameterValue(
      `Message (user) attribute '${name}' is invalid. Names can only contain alphanumeric characters, hyphens, underscores and periods and be 1 to 256 characters long.`,
    );
  }
  if (/^(aws|amazon)\./i.test(name)) {
    throw SqsErrors.invalidParameterValue(`Message (user) attribute name '${name}' is reserved for use by SQS.`);
  }
  if (name.startsWith('.') || name.endsWith('.') || name.includes('..')) {
    throw SqsErrors.invalidParameterValue(
      `Message (user) attribute name '${name}' must not start or end with a period or contain successive periods.`,
    );
  }
}

function validateAttributeValue(name: string, value: unknown): MessageAttributeValue {
  if (typeof value !== 'object' || value === null) {
    throw SqsErrors.invalidParameterValue(`The message attribute '${name}' must contain a value.`);
  }
  const { DataType, StringValue, BinaryValue } = value as Record<string, unknown>;
  if (typeof DataType !== 'string' || DataType === '') {
    throw SqsErrors.invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const baseType = /^(String|Number|Binary)(\..+)?$/.exec(DataType)?.[1];
  if (baseType === undefined) {
    throw SqsErrors.invalidParameterValue(
      `The type of message (user) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (baseType === 'Binary') {
    if (typeof BinaryValue !== 'string' || BinaryValue === '') {
      throw SqsErrors.invalidParameterValue(
        `The message attribute '${name}' with type 'Binary' must use field 'Binary'.`,
      );
    }
    return { DataType, BinaryValue };
  }
  if (typeof StringValue !== 'string' || StringValue === '') {
    throw SqsErrors.invalidParameterValue(
      `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${baseType}'.`,
    );
  }
  if (INVALID_MESSAGE_CHARACTER.test(StringValue)) {
    throw SqsErrors.invalidParameterValue(`Message (user) attribute '${name}' value contains invalid characters.`);
  }
  if (baseType === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(StringValue)) {
    throw SqsErrors.invalidParameterValue(`Can't cast the value of message (user) attribute '${name}' to a number.`);
  }
  return { DataType, StringValue };
}

function attributeValueBytes(attribute: MessageAttributeValue): number {
  return attribute.BinaryValue !== undefined
    ? Buffer.from(attribute.BinaryValue, 'base64').length
    : byteLength(attribute.StringValue ?? '');
}

/** UTF-8 size of a string, the unit of every SQS size limit. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Checks a MessageGroupId or MessageDeduplicationId: 1 to 128 alphanumeric or punctuation
 * characters.
 */
export function validateFifoId(value: unknown, parameter: string): string | undefined {
  const id = optionalString(value, parameter);
  if (id === undefined) return undefined;
  if (id.length === 0 || id.length > SqsLimits.maxFifoIdLength || !/^[!-~]+$/.test(id)) {
    throw SqsErrors.invalidValue(
      parameter,
      id,
      `${parameter} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
  return id;
}

const BATCH_ENTRY_ID = new RegExp(`^[A-Za-z0-9_-]{1,${SqsLimits.maxBatchEntryIdLength}}$`);

/** A batch entry with its validated `Id`. */
export type BatchEntry = Record<string, unknown> & { readonly Id: string };

/**
 * Validates the entries of a batch request as a whole: at least one, at most 10, each with
 * an id of up to 80 alphanumeric characters, hyphens and underscores, ids distinct. These
 * fail the whole request; entry-level problems are reported per entry instead.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-batch-api-actions.html
 */
export function validateBatchEntries(value: unknown, entryName: string): BatchEntry[] {
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    throw SqsErrors.emptyBatchRequest(entryName);
  }
  if (!Array.isArray(value)) throw SqsErrors.invalidValue('Entries', value, 'Must be a list.');
  if (value.length > SqsLimits.maxBatchEntries) {
    throw SqsErrors.tooManyEntriesInBatchRequest(value.length, SqsLimits.maxBatchEntries);
  }
  const seen = new Set<string>();
  for (const entry of value as unknown[]) {
    const id = (entry as { Id?: unknown } | null)?.Id;
    if (typeof id !== 'string' || !BATCH_ENTRY_ID.test(id)) throw SqsErrors.invalidBatchEntryId();
    if (seen.has(id)) throw SqsErrors.batchEntryIdsNotDistinct(id);
    seen.add(id);
  }
  return value as BatchEntry[];
}
