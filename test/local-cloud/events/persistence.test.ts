import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsServiceError } from '#cloud/aws-error';
import { EventBridgeService } from '#cloud/events/eventbridge-service';
import { Journal } from '#cloud/persistence/journal';
import type { SqsSendPort } from '#cloud/events/target-delivery';
import { DataDirectories } from '#test/support/data-directories';

type Sent = Parameters<SqsSendPort['sendMessage']>[0];

/** An SQS stand-in that records what it is sent, or refuses everything as throttled. */
class RecordingQueues implements SqsSendPort {
  readonly sent: Sent[] = [];

  constructor(private readonly throttled = false) {}

  async sendMessage(input: Sent): Promise<unknown> {
    if (this.throttled) throw new AwsServiceError('ThrottlingException', 'simulated throttling');
    this.sent.push(input);
    return {};
  }
}

const directories = new DataDirectories();
const opened: EventBridgeService[] = [];
afterEach(() => opened.splice(0).forEach((service) => service.close()));
afterAll(() => directories.removeAll());

/** A service on `directory`; closed after the test (the crash in each test comes before that). */
function openService(directory: string, queues: SqsSendPort, retryBaseDelayMs = 10): EventBridgeService {
  const service = new EventBridgeService({ sqs: queues, persistence: directory, retryBaseDelayMs });
  opened.push(service);
  return service;
}

const orderPlaced = (orderId: string) => ({ EventBusName: 'OrderBus', Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ orderId }) });

/** The OrderBus with a rule to the reserve-inventory queue and an archive of every event. */
function createOrderBus(service: EventBridgeService): { busArn: string } {
  const { EventBusArn } = service.createEventBus({ Name: 'OrderBus' });
  service.putRule({ Name: 'order-placed', EventBusName: 'OrderBus', EventPattern: JSON.stringify({ 'detail-type': ['OrderPlaced'] }) });
  service.putTargets({ Rule: 'order-placed', EventBusName: 'OrderBus', Targets: [{ Id: 'reserve', Arn: 'arn:aws:sqs:us-east-1:000000000000:reserve-inventory' }] });
  service.createArchive({ ArchiveName: 'order-archive', EventSourceArn: EventBusArn });
  return { busArn: EventBusArn };
}

describe('EventBridgeService with persistence, reopened after a crash', () => {
  it('keeps the buses, rules, targets and archived events created through the API', async () => {
    // Prepare
    const directory = directories.create();
    const before = new EventBridgeService({ sqs: new RecordingQueues(), persistence: directory });
    createOrderBus(before);
    before.putEvents({ Entries: [orderPlaced('order-1'), orderPlaced('order-2')] });
    before.putRule({ Name: 'unused', EventBusName: 'OrderBus', EventPattern: JSON.stringify({ source: ['shop.unused'] }) });
    before.deleteRule({ Name: 'unused', EventBusName: 'OrderBus' });
    await new Promise((resolve) => setImmediate(resolve));
    // Crash once its deliveries are done: `before` is dropped without close(), as SIGKILL would leave it.

    // Act
    const queues = new RecordingQueues();
    const after = openService(directory, queues);
    after.putEvents({ Entries: [orderPlaced('order-3')] });

    // Assess
    expect(after.listRules({ EventBusName: 'OrderBus' }).Rules.map((rule) => rule.Name)).toEqual(['order-placed', 'Events-Archive-order-archive']);
    expect(after.listTargetsByRule({ Rule: 'order-placed', EventBusName: 'OrderBus' }).Targets).toEqual([{ Id: 'reserve', Arn: 'arn:aws:sqs:us-east-1:000000000000:reserve-inventory' }]);
    expect(after.describeArchive({ ArchiveName: 'order-archive' }).EventCount).toBe(3);
    await expect.poll(() => queues.sent.map((message) => JSON.parse(message.MessageBody).detail.orderId)).toEqual(['order-3']);
  });

  it('attempts again a delivery the crash interrupted, and not one that had finished', async () => {
    // Prepare
    const directory = directories.create();
    const before = openService(directory, new RecordingQueues(true), 60_000);
    createOrderBus(before);
    before.putEvents({ Entries: [orderPlaced('order-1')] });
    // Crash while the delivery waits for its retry: `before` is never asked to flush anything.

    // Act
    const queues = new RecordingQueues();
    openService(directory, queues);
    await expect.poll(() => queues.sent.length).toBe(1);
    const afterSecondRestart = new RecordingQueues();
    openService(directory, afterSecondRestart);
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assess
    expect(JSON.parse(queues.sent[0]?.MessageBody ?? '{}').detail).toEqual({ orderId: 'order-1' });
    expect(afterSecondRestart.sent).toEqual([]);
  });

  it('marks a replay the crash interrupted as FAILED', () => {
    const directory = directories.create();
    const before = openService(directory, new RecordingQueues());
    const { busArn } = createOrderBus(before);
    before.putEvents({ Entries: [orderPlaced('order-1')] });
    const now = Math.floor(Date.now() / 1000);
    before.startReplay({
      ReplayName: 'rebuild-projection',
      EventSourceArn: before.describeArchive({ ArchiveName: 'order-archive' }).ArchiveArn as string,
      EventStartTime: now - 60,
      EventEndTime: now,
      Destination: { Arn: busArn },
    });
    // Crash before the replay ran: `before` is dropped without close().

    const after = openService(directory, new RecordingQueues());

    expect(after.describeReplay({ ReplayName: 'rebuild-projection' })).toMatchObject({ State: 'FAILED', StateReason: 'interrupted by a restart of the local cloud' });
  });

  it('gives an archive kept by an earlier version, without its managed rule, the rule, so it keeps receiving events', () => {
    // Prepare: the snapshot an earlier version wrote of the OrderBus and its archive.
    const directory = directories.create();
    const busArn = 'arn:aws:events:us-east-1:000000000000:event-bus/OrderBus';
    const journal = Journal.open({ directory, name: 'events' });
    journal.compact({
      buses: [{ name: 'OrderBus', arn: busArn, rules: [] }],
      archives: [{ name: 'order-archive', arn: 'arn:aws:events:us-east-1:000000000000:archive/order-archive', eventSourceArn: busArn, retentionDays: 0, creationTime: Date.now(), events: [] }],
      replays: [],
      deliveries: [],
    });
    journal.close();

    // Act
    const service = openService(directory, new RecordingQueues());
    service.putEvents({ Entries: [orderPlaced('order-1')] });

    // Assess
    expect(service.listRules({ EventBusName: 'OrderBus' }).Rules).toEqual([expect.objectContaining({ Name: 'Events-Archive-order-archive', ManagedBy: 'prod.vhs.events.aws.internal' })]);
    expect(service.describeArchive({ ArchiveName: 'order-archive' })).toMatchObject({ State: 'ENABLED', EventCount: 1 });
  });
});
