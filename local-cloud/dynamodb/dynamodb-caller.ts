/**
 * Calling the local DynamoDB in its wire format (attribute values as `{ S: … }`), in-process
 * (dynalite's actions) or over HTTP (the local DynamoDB's own process), and the error either
 * answers with.
 */

/** A DynamoDB error answer: the `__type` of its body, its message and its HTTP status. */
export class DynamoDbError extends Error {
  override readonly name = 'DynamoDbError';

  constructor(
    /** The full error type, e.g. `com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException`. */
    readonly type: string,
    message: string,
    readonly statusCode: number,
    options?: { readonly cause?: unknown },
  ) {
    super(message, options);
  }

  /** The short error code, e.g. `ConditionalCheckFailedException`. */
  get code(): string {
    return this.type.split('#').pop() ?? this.type;
  }
}

/** Anything that answers DynamoDB operations in the wire format. */
export interface DynamoDbCaller {
  /** Calls `operation` with a wire-format `input`; rejects with {@link DynamoDbError} on an error answer. */
  call(operation: string, input: unknown): Promise<Record<string, unknown>>;
}
