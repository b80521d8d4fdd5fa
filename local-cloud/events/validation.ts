/**
 * Reading EventBridge request members. Inputs arrive as untyped JSON (from any client), so each
 * reader checks the member's presence and type, and names against EventBridge's documented
 * pattern, before an operation's typed input is built from them.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonParameters.html
 */
import { EventBridgeErrors } from '#cloud/events/errors';
import type { Target } from '#cloud/events/types';

/** A request, or an object member of one, as parsed JSON. */
export type JsonObject = Readonly<Record<string, unknown>>;

/** Names of buses, rules, archives and replays: 1 to 64 of these characters. */
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** An optional string member. */
export function optionalString(input: JsonObject, member: string): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw EventBridgeErrors.wrongType(member, 'a string');
  return value;
}

/** A required string member. */
export function requiredString(input: JsonObject, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined) throw EventBridgeErrors.missingMember(member);
  return value;
}

/** An optional boolean member. */
export function optionalBoolean(input: JsonObject, member: string): boolean | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw EventBridgeErrors.wrongType(member, 'a boolean');
  return value;
}

/** An optional number member (timestamps are epoch seconds, which may have a fraction). */
export function optionalNumber(input: JsonObject, member: string): number | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number') throw EventBridgeErrors.wrongType(member, 'a number');
  return value;
}

/** A required number member. */
export function requiredNumber(input: JsonObject, member: string): number {
  const value = optionalNumber(input, member);
  if (value === undefined) throw EventBridgeErrors.missingMember(member);
  return value;
}

/** An optional list of strings. */
export function optionalStringList(input: JsonObject, member: string): string[] | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw EventBridgeErrors.wrongType(member, 'a list of strings');
  return value.map((item: unknown) => {
    if (typeof item !== 'string') throw EventBridgeErrors.wrongType(member, 'a list of strings');
    return item;
  });
}

/** A required list of strings. */
export function requiredStringList(input: JsonObject, member: string): string[] {
  const value = optionalStringList(input, member);
  if (value === undefined) throw EventBridgeErrors.missingMember(member);
  return value;
}

/** An optional structure member. */
export function optionalObject(input: JsonObject, member: string): JsonObject | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw EventBridgeErrors.wrongType(member, 'a structure');
  return value;
}

/** A required structure member. */
export function requiredObject(input: JsonObject, member: string): JsonObject {
  const value = optionalObject(input, member);
  if (value === undefined) throw EventBridgeErrors.missingMember(member);
  return value;
}

/** A required list of structures. */
export function requiredObjectList(input: JsonObject, member: string): JsonObject[] {
  const value = input[member];
  if (value === undefined || value === null) throw EventBridgeErrors.missingMember(member);
  if (!Array.isArray(value)) throw EventBridgeErrors.wrongType(member, 'a list of structures');
  return value.map((item: unknown) => {
    if (!isJsonObject(item)) throw EventBridgeErrors.wrongType(member, 'a list of structures');
    return item;
  });
}

/** The name of a bus, rule, archive or replay being created. */
export function resourceName(input: JsonObject, member: string): string {
  const value = optionalString(input, member);
  if (value === undefined || !NAME.test(value)) {
    throw EventBridgeErrors.validation(`Parameter ${member} is not valid: it must be 1 to 64 letters, digits, dots, dashes or underscores.`);
  }
  return value;
}

/**
 * A target of PutTargets: its members typed, anything else it carries kept as sent (so
 * ListTargetsByRule answers with what was put).
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Target.html
 */
export function targetOf(input: JsonObject): Target {
  const inputText = optionalString(input, 'Input');
  const inputPath = optionalString(input, 'InputPath');
  const transformer = optionalObject(input, 'InputTransformer');
  const inputPathsMap = transformer === undefined ? undefined : optionalStringMap(transformer, 'InputPathsMap');
  const deadLetterConfig = optionalObject(input, 'DeadLetterConfig');
  const deadLetterArn = deadLetterConfig === undefined ? undefined : optionalString(deadLetterConfig, 'Arn');
  const retryPolicy = optionalObject(input, 'RetryPolicy');
  const maximumRetryAttempts = retryPolicy === undefined ? undefined : optionalNumber(retryPolicy, 'MaximumRetryAttempts');
  const maximumEventAgeInSeconds = retryPolicy === undefined ? undefined : optionalNumber(retryPolicy, 'MaximumEventAgeInSeconds');
  const sqsParameters = optionalObject(input, 'SqsParameters');
  const messageGroupId = sqsParameters === undefined ? undefined : optionalString(sqsParameters, 'MessageGroupId');
  return {
    ...input,
    Id: requiredString(input, 'Id'),
    Arn: requiredString(input, 'Arn'),
    ...(inputText === undefined ? {} : { Input: inputText }),
    ...(inputPath === undefined ? {} : { InputPath: inputPath }),
    ...(transformer === undefined
      ? {}
      : { InputTransformer: { InputTemplate: requiredString(transformer, 'InputTemplate'), ...(inputPathsMap === undefined ? {} : { InputPathsMap: inputPathsMap }) } }),
    ...(deadLetterConfig === undefined ? {} : { DeadLetterConfig: deadLetterArn === undefined ? {} : { Arn: deadLetterArn } }),
    ...(retryPolicy === undefined
      ? {}
      : {
          RetryPolicy: {
            ...(maximumRetryAttempts === undefined ? {} : { MaximumRetryAttempts: maximumRetryAttempts }),
            ...(maximumEventAgeInSeconds === undefined ? {} : { MaximumEventAgeInSeconds: maximumEventAgeInSeconds }),
          },
        }),
    ...(sqsParameters === undefined ? {} : { SqsParameters: messageGroupId === undefined ? {} : { MessageGroupId: messageGroupId } }),
  };
}

/** An optional map of strings. */
function optionalStringMap(input: JsonObject, member: string): Record<string, string> | undefined {
  const value = optionalObject(input, member);
  if (value === undefined) return undefined;
  return Object.fromEntries(Object.keys(value).map((key) => [key, requiredString(value, key)]));
}

function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
