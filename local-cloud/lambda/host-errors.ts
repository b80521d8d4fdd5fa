/**
 * The errors Lambda itself reports when an execution environment, not the handler, ends an
 * invocation, worded as Lambda words them.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/troubleshooting-invocation.html
 */
import type { FunctionError } from './invocation-result.ts';

/** The invocation ran past the function's timeout; Lambda stops the environment. */
export function timedOut(requestId: string, timeoutSeconds: number): FunctionError {
  return {
    errorType: 'Sandbox.Timedout',
    errorMessage: `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`,
  };
}

/**
 * The runtime process ended during the invocation (`process.exit`, a crash, a shutdown), or
 * during init when there is no `requestId` yet.
 */
export function runtimeExited(exitCode: number, requestId?: string): FunctionError {
  const prefix = requestId === undefined ? '' : `RequestId: ${requestId} Error: `;
  return { errorType: 'Runtime.ExitError', errorMessage: `${prefix}Runtime exited with error: exit status ${exitCode}` };
}

/**
 * Init (loading the bundle) ran past the limit. Lambda's init phase is capped at 10 s for
 * on-demand functions.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
export function initTimedOut(limitSeconds: number): FunctionError {
  return { errorType: 'Sandbox.Timedout', errorMessage: `Init phase timed out after ${limitSeconds.toFixed(2)} seconds` };
}
