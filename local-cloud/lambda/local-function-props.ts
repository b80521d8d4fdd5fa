/**
 * Validation of {@link LocalFunctionProps} against the ranges Lambda enforces, so a stack that
 * runs locally would also deploy.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
 */
import { LocalFunctionConfigError } from './errors.ts';

/**
 * The members of `LocalFunctionProps` Lambda puts limits on. Named here rather than imported
 * from `local-function.ts`, which imports this validation: the two modules would import each
 * other.
 */
export interface LocalFunctionLimits {
  readonly functionName: string;
  readonly timeoutSeconds?: number;
  readonly memorySize?: number;
  readonly maxConcurrency?: number;
}

/** @throws LocalFunctionConfigError naming the first value out of range. */
export function validateLocalFunctionProps(props: LocalFunctionLimits): void {
  if (props.functionName === '') throw new LocalFunctionConfigError('functionName must not be empty');
  const { timeoutSeconds, memorySize, maxConcurrency } = props;
  if (timeoutSeconds !== undefined && !(timeoutSeconds > 0 && timeoutSeconds <= 900)) {
    throw new LocalFunctionConfigError(`timeoutSeconds must be greater than 0 and at most 900, got ${timeoutSeconds}`);
  }
  if (memorySize !== undefined && !(Number.isInteger(memorySize) && memorySize >= 128 && memorySize <= 10_240)) {
    throw new LocalFunctionConfigError(`memorySize must be an integer from 128 to 10240, got ${memorySize}`);
  }
  if (maxConcurrency !== undefined && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
    throw new LocalFunctionConfigError(`maxConcurrency must be an integer of at least 1, got ${maxConcurrency}`);
  }
}
