/**
 * Validation of {@link SqsEventSourceMappingProps} against the ranges Lambda enforces for an
 * SQS event source mapping.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
 */
import { LocalFunctionConfigError } from './errors.ts';

/**
 * The members of `SqsEventSourceMappingProps` Lambda puts limits on. Named here rather than
 * imported from `sqs-event-source-mapping.ts`, which imports this validation: the two modules
 * would import each other.
 */
export interface SqsEventSourceMappingLimits {
  readonly queueArn: string;
  readonly batchSize?: number;
  readonly maximumBatchingWindowInSeconds?: number;
  readonly maxConcurrency?: number;
  readonly pollWaitTimeSeconds?: number;
}

/** @throws LocalFunctionConfigError naming the first value out of range. */
export function validateSqsEventSourceMappingProps(props: SqsEventSourceMappingLimits): void {
  const { batchSize, maximumBatchingWindowInSeconds: window, maxConcurrency, pollWaitTimeSeconds } = props;
  if (!/^arn:[^:]+:sqs:[^:]+:[^:]*:.+$/.test(props.queueArn)) {
    throw new LocalFunctionConfigError(`queueArn must be an SQS queue ARN, got ${props.queueArn}`);
  }
  if (batchSize !== undefined && !(Number.isInteger(batchSize) && batchSize >= 1 && batchSize <= 10_000)) {
    throw new LocalFunctionConfigError(`batchSize must be an integer from 1 to 10000, got ${batchSize}`);
  }
  if (window !== undefined && !(Number.isInteger(window) && window >= 0 && window <= 300)) {
    throw new LocalFunctionConfigError(`maximumBatchingWindowInSeconds must be an integer from 0 to 300, got ${window}`);
  }
  if (batchSize !== undefined && batchSize > 10 && (window ?? 0) < 1) {
    throw new LocalFunctionConfigError(
      `maximumBatchingWindowInSeconds must be at least 1 when batchSize is greater than 10, got batchSize ${batchSize}`,
    );
  }
  if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 2 && maxConcurrency <= 1000)) {
    throw new LocalFunctionConfigError(`maxConcurrency must be an integer from 2 to 1000, got ${maxConcurrency}`);
  }
  if (pollWaitTimeSeconds !== undefined && !(Number.isInteger(pollWaitTimeSeconds) && pollWaitTimeSeconds >= 1 && pollWaitTimeSeconds <= 20)) {
    throw new LocalFunctionConfigError(`pollWaitTimeSeconds must be an integer from 1 to 20 (0 would poll in a busy loop), got ${pollWaitTimeSeconds}`);
  }
}
