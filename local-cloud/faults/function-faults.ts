/**
 * `throw` and `crash` faults around a function as an event source mapping invokes it. A throw
 * fails the invocation before the handler runs; a crash runs the handler (its writes and
 * publishes happen) and then loses the result, as a worker killed before the mapping deletes
 * the batch. Either way the whole batch stays on the queue and comes back after its visibility
 * timeout, which is what exercises the steps' idempotency.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html
 */
import type { FunctionInvoker, InvocationResult } from '#cloud/lambda/invocation-result';
import type { FaultInjector } from '#cloud/faults/fault-injector';

/** The error type of an injected throw, so logs and reports can tell it from a real one. */
export const INJECTED_THROW_ERROR = 'InjectedFaultError';
/** Lambda's error type when the runtime process exits during an invocation. */
export const RUNTIME_EXIT_ERROR = 'Runtime.ExitError';

/** `invoker` with the `throw` and `crash` faults for `functionName` applied. */
export function withFunctionFaults(invoker: FunctionInvoker, functionName: string, faults: FaultInjector): FunctionInvoker {
  return {
    invoke: async (event): Promise<InvocationResult> => {
      if (faults.strikes('throw', functionName)) {
        return { ok: false, error: { errorType: INJECTED_THROW_ERROR, errorMessage: `injected fault: ${functionName} threw before handling the batch` }, durationMs: 0 };
      }
      // Decided before the invocation, so the draw does not depend on how long the handler takes.
      const crash = faults.strikes('crash', functionName);
      const result = await invoker.invoke(event);
      if (!crash) return result;
      return {
        ok: false,
        error: { errorType: RUNTIME_EXIT_ERROR, errorMessage: `Runtime exited with error: signal: killed (injected crash of ${functionName} after the handler ran)` },
        durationMs: result.durationMs,
      };
    },
    ...(invoker.canInvokeWithoutWaiting === undefined ? {} : { canInvokeWithoutWaiting: () => invoker.canInvokeWithoutWaiting?.() ?? true }),
  };
}
