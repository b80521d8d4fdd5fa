import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgePublisher } from '#shared/adapters/eventbridge-publisher';
import { domainEvent } from '#shared/contracts';
import { PublishError } from '#shared/errors';
import { aPlacedOrder } from '#test/support/factories';

const placed = (index: number) =>
  domainEvent('OrderPlaced', { schemaVersion: 2, orderId: `00000000-0000-4000-8000-${String(index).padStart(12, '0')}`, order: aPlacedOrder(), placedAt: '2026-11-22T12:00:00.000Z' });

describe('EventBridgePublisher (pure unit test of the adapter)', () => {
  // The client's own instance is mocked, not the class: no other EventBridge client of the run is touched.
  const client = new EventBridgeClient({ region: 'us-east-1' });
  const eventBridge = mockClient(client);
  const publisher = new EventBridgePublisher({ client, eventBusName: 'order-bus', retryBaseDelayMs: 1 });

  beforeEach(() => eventBridge.reset());

  it('sends events in chunks of at most 10 with the source from the contract', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).callsFake(({ Entries }) => ({ FailedEntryCount: 0, Entries: Entries.map(() => ({ EventId: 'id' })) }));
    // Act
    await publisher.publish(Array.from({ length: 25 }, (_, index) => placed(index)));
    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls.map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(calls[0]?.args[0].input.Entries?.[0]).toMatchObject({ EventBusName: 'order-bus', Source: 'shop.orders', DetailType: 'OrderPlaced' });
  });

  it('retries only the entries PutEvents reports as failed', async () => {
    // Prepare
    eventBridge
      .on(PutEventsCommand)
      .resolvesOnce({ FailedEntryCount: 1, Entries: [{ EventId: 'a' }, { ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' }] })
      .resolvesOnce({ FailedEntryCount: 0, Entries: [{ EventId: 'b' }] });
    // Act
    await publisher.publish([placed(1), placed(2)]);
    // Assess
    const calls = eventBridge.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[1]?.args[0].input.Entries?.[0]?.Detail ?? '{}').orderId).toBe(placed(2).detail.orderId);
  });

  it('throws a PublishError naming each entry that still fails after the retries', async () => {
    // Prepare
    eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'boom' }] });
    // Act
    const failure = await publisher.publish([placed(7)]).catch((error: unknown) => error);
    // Assess
    expect(failure).toBeInstanceOf(PublishError);
    expect((failure as PublishError).failedEntries).toEqual([{ detailType: 'OrderPlaced', orderId: placed(7).detail.orderId, errorCode: 'InternalFailure', errorMessage: 'boom' }]);
    expect(eventBridge.commandCalls(PutEventsCommand)).toHaveLength(4);
  });
});
