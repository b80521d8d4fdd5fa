/**
 * Validation of {@link LocalFunctionProps} against the ranges Lambda enforces, so a stack that
 * runs locally would also deploy.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html
 */
import { LocalFunctionConfigError } from './errors.ts';
import type { LocalFunctionProps } from './local-function.ts';

/** @throws LocalFunctionConfigError naming the first value out of range. */
export function validateLocalFunctionProps(props: LocalFunctionProps): void {
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
