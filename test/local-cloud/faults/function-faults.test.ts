import { describe, expect, it } from 'vitest';
import { FaultInjector } from '#cloud/faults/fault-injector';
import { INJECTED_THROW_ERROR, RUNTIME_EXIT_ERROR, withFunctionFaults } from '#cloud/faults/function-faults';
import type { FunctionInvoker, InvocationResult } from '#cloud/lambda/invocation-result';

/** A function that records each event it handled and succeeds. */
function recordingFunction(): FunctionInvoker & { handled: unknown[] } {
  const handled: unknown[] = [];
  return { handled, invoke: async (event): Promise<InvocationResult> => (handled.push(event), { ok: true, result: { batchItemFailures: [] }, durationMs: 3 }) };
}

describe('withFunctionFaults', () => {
  it('passes invocations through when no fault strikes', async () => {
    // Prepare
    const target = recordingFunction();
    const invoker = withFunctionFaults(target, 'fn', new FaultInjector({ seed: 1 }));
    // Act
    const result = await invoker.invoke({ Records: [] });
    // Assess
    expect(result).toEqual({ ok: true, result: { batchItemFailures: [] }, durationMs: 3 });
    expect(target.handled).toHaveLength(1);
  });

  it('throw: fails the invocation without running the handler', async () => {
    // Prepare
    const target = recordingFunction();
    const invoker = withFunctionFaults(target, 'fn', new FaultInjector({ seed: 1, spec: { throw: { probability: 1 } } }));
    // Act
    const result = await invoker.invoke({ Records: [] });
    // Assess
    expect(result).toMatchObject({ ok: false, error: { errorType: INJECTED_THROW_ERROR } });
    expect(target.handled).toHaveLength(0);
  });

  it('crash: runs the handler, then loses its result as Runtime.ExitError', async () => {
    // Prepare
    const target = recordingFunction();
    const invoker = withFunctionFaults(target, 'fn', new FaultInjector({ seed: 1, spec: { crash: { probability: 1 } } }));
    // Act
    const result = await invoker.invoke({ Records: [] });
    // Assess
    expect(result).toMatchObject({ ok: false, error: { errorType: RUNTIME_EXIT_ERROR }, durationMs: 3 });
    expect(target.handled).toHaveLength(1);
  });

  it('leaves functions outside the targets alone', async () => {
    // Prepare
    const target = recordingFunction();
    const invoker = withFunctionFaults(target, 'OrderPipeline-ShipOrderFunction', new FaultInjector({ seed: 1, spec: { throw: { probability: 1, targets: ['capture-payment'] } } }));
    // Act
    const result = await invoker.invoke({ Records: [] });
    // Assess
    expect(result.ok).toBe(true);
  });
});
