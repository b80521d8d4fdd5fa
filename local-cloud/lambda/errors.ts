/**
 * Errors of the local Lambda host itself (misconfiguration, misuse). A function's own failures
 * are not thrown: they are {@link InvocationFailure} results, as Lambda returns them.
 */

/** Base class of the local Lambda host's errors. */
export class LocalLambdaError extends Error {
  override readonly name: string = 'LocalLambdaError';
}

/** A function or event source mapping was configured with a value Lambda would reject. */
export class LocalFunctionConfigError extends LocalLambdaError {
  override readonly name: string = 'LocalFunctionConfigError';
}

/** An invocation was requested from (or was waiting on) a function that has been closed. */
export class LocalFunctionClosedError extends LocalLambdaError {
  override readonly name: string = 'LocalFunctionClosedError';
  /** Name of the closed function. */
  readonly functionName: string;

  /** @param functionName - Name of the closed function. */
  constructor(functionName: string) {
    super(`Function ${functionName} is closed`);
    this.functionName = functionName;
  }
}
