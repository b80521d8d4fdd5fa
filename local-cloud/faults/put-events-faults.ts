/**
 * The `putEventsFailure` fault on the EventBridge gateway binding: some entries of an accepted
 * PutEvents call answer `InternalFailure` and are not put on the bus, the partial failure
 * PutEvents reports only in `FailedEntryCount` (publishers must resend those entries).
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { checkPutEventsRequest, type PutEventsEntry } from '#cloud/events/put-events-entry';
import type { JsonProtocolBinding } from '#cloud/gateway-registration';
import type { FaultInjector } from '#cloud/faults/fault-injector';

type EntryResult = Readonly<Record<string, string>>;

/** `binding` whose PutEvents fails the entries the injector picks, by each entry's detail-type. */
export function withPutEventsFaults(binding: JsonProtocolBinding, faults: FaultInjector): JsonProtocolBinding {
  const putEvents = binding.operations.PutEvents;
  if (putEvents === undefined) throw new Error(`the ${binding.targetPrefix} binding has no PutEvents operation to inject faults into`);
  return {
    ...binding,
    operations: {
      ...binding.operations,
      PutEvents: async (input, context) => {
        // A request EventBridge refuses as a whole is refused as before, not turned into entry failures.
        checkPutEventsRequest(input.Entries);
        const entries: readonly PutEventsEntry[] = input.Entries;
        const failing = entries.map((entry) => faults.strikes('putEventsFailure', entry.DetailType ?? ''));
        if (!failing.includes(true)) return putEvents(input, context);
        const survivors = entries.filter((_, index) => !failing[index]);
        const passed = survivors.length === 0 ? [] : ((await putEvents({ ...input, Entries: survivors }, context)) as { Entries: readonly EntryResult[] }).Entries;
        let next = 0;
        // Results answer in request order: the survivors' results slot back between the failures.
        const results = entries.map((_, index): EntryResult =>
          failing[index] ? { ErrorCode: 'InternalFailure', ErrorMessage: 'injected fault: the entry was not put on the bus' } : (passed[next++] ?? {}),
        );
        return { FailedEntryCount: results.filter((result) => result.ErrorCode !== undefined).length, Entries: results };
      },
    },
  };
}
