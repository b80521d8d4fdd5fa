import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';

/**
 * `value` as DynamoDB attribute values. Optional fields of the model are left undefined, and
 * DynamoDB has no undefined: they are dropped, not stored.
 */
export function toAttributes(value: object): Record<string, AttributeValue> {
  return marshall(value as Record<string, unknown>, { removeUndefinedValues: true });
}
