import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * `value` as DynamoDB attribute values. Optional fields of the model are left undefined, and
 * DynamoDB has no undefined: they are dropped, not stored.
 */
export function toAttributes(value: object): Record<string, AttributeValue> {
  return marshall(value as Record<string, unknown>, { removeUndefinedValues: true });
}

/** An item DynamoDB answered, as plain values; undefined when it answered none. */
export function fromAttributes(attributes: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  return attributes === undefined ? undefined : unmarshall(attributes);
}
