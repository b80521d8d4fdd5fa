/**
 * The one error type every local AWS service throws for a failure the caller should see.
 *
 * The gateway serializes it in the shape of the protocol the request used (AWS JSON
 * `__type`/`message`, or the query protocol's `<ErrorResponse>`), so SDK clients map it to the
 * same exception class AWS would produce. Anything else thrown by a service is a bug and
 * is answered with a 500 `InternalFailure`.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
 */
export class AwsServiceError extends Error {
  override readonly name = 'AwsServiceError';
  /** The AWS JSON-protocol error code (the Smithy shape name), e.g. `QueueDoesNotExist`. */
  readonly code: string;
  /**
   * The code the query protocol uses for the same error, e.g.
   * `AWS.SimpleQueueService.NonExistentQueue`; the JSON protocol also sends it in the
   * `x-amzn-query-error` header for services that are "awsQueryCompatible" (SQS).
   * @default code
   */
  readonly queryCode: string;
  /** HTTP status of the response. @default 400 */
  readonly statusCode: number;
  /** Whether the caller is at fault (`Sender`) rather than the service (`Receiver`). @default true */
  readonly senderFault: boolean;

  /**
   * @param code - AWS error code (JSON protocol), e.g. `InvalidParameterValue`.
   * @param message - Human-readable message, worded as AWS words it where known.
   * @param options - Status, fault, query-protocol code and the underlying cause.
   */
  constructor(code: string, message: string, options: AwsServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.queryCode = options.queryCode ?? code;
    this.statusCode = options.statusCode ?? 400;
    this.senderFault = options.senderFault ?? this.statusCode < 500;
  }
}

/** Optional details of an {@link AwsServiceError}. */
export interface AwsServiceErrorOptions {
  /** HTTP status code. @default 400 */
  readonly statusCode?: number;
  /** Whether the caller is at fault. @default true for a 4xx status, false for 5xx */
  readonly senderFault?: boolean;
  /** Error code in the query protocol when it differs from the JSON one. @default the JSON code */
  readonly queryCode?: string;
  /** The error that caused this one. */
  readonly cause?: unknown;
}
