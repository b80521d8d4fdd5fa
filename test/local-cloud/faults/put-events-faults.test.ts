import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '#cloud/aws-error';
import { FaultInjector } from '#cloud/faults/fault-injector';
import { withPutEventsFaults } from '#cloud/faults/put-events-faults';
import type { AwsRequestContext, JsonProtocolBinding } from '#cloud/gateway-registration';

const context: AwsRequestContext = { requestId: 'request-1', path: '/' };
const entry = (detailType: string) => ({ EventBusName: 'bus', Source: 'shop.orders', DetailType: detailType, Detail: '{}' });

/** An EventBridge binding whose PutEvents records the entries it put and answers an id for each. */
function recordingBinding(): JsonProtocolBinding & { put: unknown[][] } {
  const put: unknown[][] = [];
  return {
    put,
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations: {
      PutEvents: (input) => {
        const entries = input.Entries as { DetailType: string }[];
        put.push(entries);
        return { FailedEntryCount: 0, Entries: entries.map((item) => ({ EventId: `id-${item.DetailType}` })) };
      },
      ListRules: () => ({ Rules: [] }),
    },
  };
}

describe('withPutEventsFaults', () => {
  it('fails the entries picked with InternalFailure, puts only the others, and answers in request order', async () => {
    // Prepare
    const binding = recordingBinding();
    const faulty = withPutEventsFaults(binding, new FaultInjector({ seed: 1, spec: { putEventsFailure: { probability: 1, targets: ['PaymentCaptured'] } } }));
    // Act
    const output = await faulty.operations.PutEvents?.({ Entries: [entry('OrderPlaced'), entry('PaymentCaptured'), entry('OrderShipped')] }, context);
    // Assess
    expect(output).toEqual({
      FailedEntryCount: 1,
      Entries: [{ EventId: 'id-OrderPlaced' }, { ErrorCode: 'InternalFailure', ErrorMessage: 'injected fault: the entry was not put on the bus' }, { EventId: 'id-OrderShipped' }],
    });
    expect(binding.put).toEqual([[entry('OrderPlaced'), entry('OrderShipped')]]);
  });

  it('puts nothing when every entry fails', async () => {
    // Prepare
    const binding = recordingBinding();
    const faulty = withPutEventsFaults(binding, new FaultInjector({ seed: 1, spec: { putEventsFailure: { probability: 1 } } }));
    // Act
    const output = (await faulty.operations.PutEvents?.({ Entries: [entry('OrderPlaced')] }, context)) as { FailedEntryCount: number };
    // Assess
    expect(output.FailedEntryCount).toBe(1);
    expect(binding.put).toEqual([]);
  });

  it('still refuses a request EventBridge refuses as a whole', async () => {
    // Prepare
    const faulty = withPutEventsFaults(recordingBinding(), new FaultInjector({ seed: 1, spec: { putEventsFailure: { probability: 1 } } }));
    // Act
    const putting = faulty.operations.PutEvents?.({ Entries: Array.from({ length: 11 }, () => entry('OrderPlaced')) }, context);
    // Assess
    await expect(putting).rejects.toThrow(AwsServiceError);
  });

  it('keeps the other operations as they are', () => {
    // Prepare
    const binding = recordingBinding();
    // Act
    const faulty = withPutEventsFaults(binding, new FaultInjector({ seed: 1 }));
    // Assess
    expect(faulty.operations.ListRules).toBe(binding.operations.ListRules);
    expect(faulty.targetPrefix).toBe('AWSEvents');
  });
});
