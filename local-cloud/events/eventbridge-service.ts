/**
 * The local EventBridge: buses, rules matched with the full event-pattern language, SQS
 * targets (with input transformers, retry policy and dead-letter queue), archives and
 * replays, and TestEventPattern. One method per API operation, taking and returning the AWS
 * JSON shapes, so the gateway serves it and the template loader calls it in process.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
 */
import { randomUUID } from 'node:crypto';
import { AwsServiceError } from '#cloud/aws-error';
import type { JsonProtocolBinding } from '#cloud/gateway-registration';
import { ChangeLog } from '#cloud/persistence/change-log';
import {
  EVENTBRIDGE_JOURNAL_NAME,
  restoreEventBridgeState,
  type ArchiveData,
  type EventBridgeChange,
  type EventBridgeSnapshot,
  type RuleDefinition,
} from '#cloud/persistence/eventbridge-changes';
import { Journal } from '#cloud/persistence/journal';
import { archiveIfMatching, eventsToReplay, expireArchivedEvents, ReplayState, type Archive, type Replay } from '#cloud/events/archive';
import { compileEventPattern, InvalidEventPatternError, type EventPattern } from '#cloud/events/event-pattern';
import { targetInputOf, validateTargetInput, type TargetInput } from '#cloud/events/input-transformer';
import { checkPutEventsRequest, EntryError, envelopeOf, type EventEnvelope } from '#cloud/events/put-events-entry';
import { TargetDelivery, type Delivery, type DeliveryOutcome, type RetryPolicy, type SqsSendPort } from '#cloud/events/target-delivery';

/** A rule target as PutTargets takes it. */
export interface Target extends TargetInput {
  readonly Id: string;
  readonly Arn: string;
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly RetryPolicy?: RetryPolicy;
  readonly SqsParameters?: { readonly MessageGroupId?: string };
}

interface Rule {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  eventPattern: string;
  matcher: EventPattern;
  state: 'ENABLED' | 'DISABLED';
  description?: string;
  readonly targets: Map<string, Target>;
}

interface Bus {
  readonly name: string;
  readonly arn: string;
  readonly rules: Map<string, Rule>;
}

/** Options of {@link EventBridgeService}. */
export interface EventBridgeServiceOptions {
  readonly sqs: SqsSendPort;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Told of every event put on a bus (after matching), for the cloud's reporting. */
  readonly onEvent?: (event: EventEnvelope, matchedRules: number) => void;
  readonly onDelivery?: (delivery: Delivery, outcome: DeliveryOutcome) => void;
  /** @default 100 ms */
  readonly retryBaseDelayMs?: number;
  /**
   * Keeps buses, rules, targets, archives with their events, replays and unfinished target
   * deliveries on disk: a directory, where the journal `events.journal` and snapshot
   * `events.snapshot` live, or a journal opened by the caller (the service owns it from then on,
   * and closes it in `close()`). Every change is written before
   * the operation that made it answers, so the state survives the process being killed.
   * On start, a replay the kill interrupted is FAILED, and deliveries that had not finished
   * are attempted again (at least once, as EventBridge delivers).
   * @default in memory only
   */
  readonly persistence?: string | Journal<readonly EventBridgeChange[]>;
}

const DEFAULT_BUS = 'default';
/** StateReason of a replay that was running when the process stopped. */
const INTERRUPTED_REPLAY_REASON = 'interrupted by a restart of the local cloud';
const NAME = /^[.\-_A-Za-z0-9]{1,64}$/;

/** The local EventBridge service. */
export class EventBridgeService {
  readonly #region: string;
  readonly #accountId: string;
  readonly #buses = new Map<string, Bus>();
  readonly #archives = new Map<string, Archive>();
  readonly #replays = new Map<string, Replay>();
  readonly #delivery: TargetDelivery;
  readonly #options: EventBridgeServiceOptions;
  /** The journal's writer; undefined when the state is in memory only. */
  readonly #changes: ChangeLog<EventBridgeChange> | undefined;
  /** Deliveries started and not yet ended, with their journal ids (only when persisting). */
  readonly #pendingDeliveries = new Map<Delivery, string>();
  #closed = false;

  constructor(options: EventBridgeServiceOptions) {
    this.#options = options;
    this.#region = options.region ?? 'us-east-1';
    this.#accountId = options.accountId ?? '000000000000';
    this.#delivery = new TargetDelivery({
      sqs: options.sqs,
      retryBaseDelayMs: options.retryBaseDelayMs,
      onOutcome: (delivery, outcome) => {
        this.#settle(delivery);
        options.onDelivery?.(delivery, outcome);
      },
    });
    this.#buses.set(DEFAULT_BUS, { name: DEFAULT_BUS, arn: this.#arn(`event-bus/${DEFAULT_BUS}`), rules: new Map() });
    const journal =
      typeof options.persistence === 'string'
        ? Journal.open<readonly EventBridgeChange[]>({ directory: options.persistence, name: EVENTBRIDGE_JOURNAL_NAME })
        : options.persistence;
    this.#changes = journal === undefined ? undefined : new ChangeLog(journal, () => this.#snapshot());
    if (journal !== undefined) this.#restore(journal);
  }

  /** The gateway binding: `X-Amz-Target: AWSEvents.<Operation>`, JSON 1.1. */
  binding(): JsonProtocolBinding {
    const operations: Record<string, (input: Record<string, unknown>) => unknown> = {
      PutEvents: (input) => this.putEvents(input as never),
      TestEventPattern: (input) => this.testEventPattern(input as never),
      CreateEventBus: (input) => this.createEventBus(input as never),
      DescribeEventBus: (input) => this.describeEventBus(input as never),
      DeleteEventBus: (input) => this.deleteEventBus(input as never),
      ListEventBuses: (input) => this.listEventBuses(input as never),
      PutRule: (input) => this.putRule(input as never),
      DescribeRule: (input) => this.describeRule(input as never),
      DeleteRule: (input) => this.deleteRule(input as never),
      EnableRule: (input) => this.setRuleState(input as never, 'ENABLED'),
      DisableRule: (input) => this.setRuleState(input as never, 'DISABLED'),
      ListRules: (input) => this.listRules(input as never),
      PutTargets: (input) => this.putTargets(input as never),
      RemoveTargets: (input) => this.removeTargets(input as never),
      ListTargetsByRule: (input) => this.listTargetsByRule(input as never),
      CreateArchive: (input) => this.createArchive(input as never),
      DescribeArchive: (input) => this.describeArchive(input as never),
      DeleteArchive: (input) => this.deleteArchive(input as never),
      ListArchives: (input) => this.listArchives(input as never),
      StartReplay: (input) => this.startReplay(input as never),
      DescribeReplay: (input) => this.describeReplay(input as never),
      CancelReplay: (input) => this.cancelReplay(input as never),
      ListReplays: (input) => this.listReplays(input as never),
    };
    return { targetPrefix: 'AWSEvents', jsonVersion: '1.1', operations };
  }

  /**
   * Stops pending delivery retries and closes the journal. With persistence, the deliveries
   * stopped here are still pending on disk, and the next start attempts them again.
   */
  close(): void {
    this.#closed = true;
    this.#delivery.close();
    this.#changes?.close();
  }

  /** PutEvents: one result per entry, in order; matched events are delivered asynchronously. */
  putEvents(input: { Entries?: unknown }): { FailedEntryCount: number; Entries: Record<string, string>[] } {
    checkPutEventsRequest(input.Entries);
    const entries = input.Entries;
    const now = new Date();
    // One journal line for the call: its archived events and the deliveries it started.
    const results = this.#batch(() => entries.map((entry): Record<string, string> => {
      try {
        const bus = this.#bus(entry.EventBusName ?? DEFAULT_BUS, (message) => new EntryError('ResourceNotFoundException', message));
        const event = envelopeOf(entry, { account: this.#accountId, region: this.#region, now });
        this.#route(bus, event, now.getTime());
        return { EventId: event.id };
      } catch (error) {
        if (error instanceof EntryError) return { ErrorCode: error.errorCode, ErrorMessage: error.message };
        throw error;
      }
    }));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** TestEventPattern: whether `Event` matches `EventPattern`. */
  testEventPattern(input: { EventPattern?: string; Event?: string }): { Result: boolean } {
    const matcher = this.#compile(input.EventPattern);
    let event: unknown;
    try {
      event = JSON.parse(input.Event ?? '');
    } catch {
      throw new AwsServiceError('ValidationException', 'Parameter Event is not valid: it is not JSON.');
    }
    const missing = ['id', 'account', 'source', 'time', 'region', 'detail-type'].filter((field) => (event as Record<string, unknown> | null)?.[field] === undefined);
    if (missing.length > 0) throw new AwsServiceError('ValidationException', `Parameter Event is not valid: it lacks ${missing.join(', ')}.`);
    return { Result: matcher.matches(event) };
  }

  createEventBus(input: { Name?: string; Description?: string }): { EventBusArn: string } {
    const name = this.#name(input.Name, 'Name');
    if (this.#buses.has(name)) throw new AwsServiceError('ResourceAlreadyExistsException', `Event bus ${name} already exists.`);
    const bus: Bus = { name, arn: this.#arn(`event-bus/${name}`), rules: new Map() };
    this.#buses.set(name, bus);
    this.#changes?.record({ type: 'bus-created', name, arn: bus.arn });
    return { EventBusArn: bus.arn };
  }

  describeEventBus(input: { Name?: string }): { Name: string; Arn: string } {
    const bus = this.#bus(input.Name ?? DEFAULT_BUS);
    return { Name: bus.name, Arn: bus.arn };
  }

  deleteEventBus(input: { Name?: string }): Record<string, never> {
    const bus = this.#bus(input.Name ?? '');
    if (bus.name === DEFAULT_BUS) throw new AwsServiceError('ValidationException', 'Cannot delete event bus default.');
    this.#buses.delete(bus.name);
    this.#changes?.record({ type: 'bus-deleted', name: bus.name });
    return {};
  }

  listEventBuses(input: { NamePrefix?: string }): { EventBuses: { Name: string; Arn: string }[] } {
    return { EventBuses: [...this.#buses.values()].filter((bus) => bus.name.startsWith(input.NamePrefix ?? '')).map((bus) => ({ Name: bus.name, Arn: bus.arn })) };
  }

  putRule(input: { Name?: string; EventBusName?: string; EventPattern?: string; State?: string; Description?: string; ScheduleExpression?: string }): { RuleArn: string } {
    const name = this.#name(input.Name, 'Name');
    const bus = this.#bus(input.EventBusName ?? DEFAULT_BUS);
    if (input.ScheduleExpression !== undefined) {
      throw new AwsServiceError('ValidationException', `Rule ${name}: ScheduleExpression rules are not run by the local cloud; only event-pattern rules are.`);
    }
    if (input.EventPattern === undefined) throw new AwsServiceError('ValidationException', 'Parameter EventPattern is required (ScheduleExpression is not supported locally).');
    const matcher = this.#compile(input.EventPattern);
    const state = input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    const existing = bus.rules.get(name);
    const arn = this.#ruleArn(bus, name);
    const rule: Rule = existing
      ? Object.assign(existing, { eventPattern: input.EventPattern, matcher, state, description: input.Description })
      : { name, arn, busName: bus.name, eventPattern: input.EventPattern, matcher, state, description: input.Description, targets: new Map<string, Target>() };
    bus.rules.set(name, rule);
    this.#changes?.record({ type: 'rule-saved', rule: ruleDefinition(rule) });
    return { RuleArn: arn };
  }

  describeRule(input: { Name?: string; EventBusName?: string }): Record<string, unknown> {
    const rule = this.#rule(input.Name, input.EventBusName);
    return { Name: rule.name, Arn: rule.arn, EventPattern: rule.eventPattern, State: rule.state, Description: rule.description, EventBusName: rule.busName, CreatedBy: this.#accountId };
  }

  deleteRule(input: { Name?: string; EventBusName?: string }): Record<string, never> {
    const rule = this.#rule(input.Name, input.EventBusName);
    if (rule.targets.size > 0) throw new AwsServiceError('ValidationException', "Rule can't be deleted since it has targets.");
    this.#bus(rule.busName).rules.delete(rule.name);
    this.#changes?.record({ type: 'rule-deleted', busName: rule.busName, name: rule.name });
    return {};
  }

  setRuleState(input: { Name?: string; EventBusName?: string }, state: Rule['state']): Record<string, never> {
    const rule = this.#rule(input.Name, input.EventBusName);
    rule.state = state;
    this.#changes?.record({ type: 'rule-saved', rule: ruleDefinition(rule) });
    return {};
  }

  listRules(input: { EventBusName?: string; NamePrefix?: string }): { Rules: Record<string, unknown>[] } {
    const bus = this.#bus(input.EventBusName ?? DEFAULT_BUS);
    return {
      Rules: [...bus.rules.values()]
        .filter((rule) => rule.name.startsWith(input.NamePrefix ?? ''))
        .map((rule) => ({ Name: rule.name, Arn: rule.arn, EventPattern: rule.eventPattern, State: rule.state, Description: rule.description, EventBusName: bus.name })),
    };
  }

  putTargets(input: { Rule?: string; EventBusName?: string; Targets?: Target[] }): { FailedEntryCount: number; FailedEntries: Record<string, string>[] } {
    const rule = this.#rule(input.Rule, input.EventBusName);
    const targets = input.Targets ?? [];
    if (targets.length < 1 || targets.length > 10) throw new AwsServiceError('ValidationException', 'Targets must have between 1 and 10 entries.');
    const failed: Record<string, string>[] = [];
    this.#batch(() => {
      for (const target of targets) {
        if (!target.Arn?.startsWith('arn:aws:sqs:')) {
          failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: `Target ${target.Id}: the local cloud delivers to SQS queues only, not to ${target.Arn}.` });
          continue;
        }
        validateTargetInput(target, target.Id);
        if (rule.targets.size >= 5 && !rule.targets.has(target.Id)) throw new AwsServiceError('LimitExceededException', `Rule ${rule.name} already has 5 targets.`);
        rule.targets.set(target.Id, target);
        this.#changes?.record({ type: 'target-put', busName: rule.busName, rule: rule.name, target });
      }
    });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  removeTargets(input: { Rule?: string; EventBusName?: string; Ids?: string[] }): { FailedEntryCount: number; FailedEntries: never[] } {
    const rule = this.#rule(input.Rule, input.EventBusName);
    const ids = input.Ids ?? [];
    for (const id of ids) rule.targets.delete(id);
    this.#changes?.record({ type: 'targets-removed', busName: rule.busName, rule: rule.name, ids });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  listTargetsByRule(input: { Rule?: string; EventBusName?: string }): { Targets: Target[] } {
    return { Targets: [...this.#rule(input.Rule, input.EventBusName).targets.values()] };
  }

  createArchive(input: { ArchiveName?: string; EventSourceArn?: string; EventPattern?: string; RetentionDays?: number; Description?: string }): Record<string, unknown> {
    const name = this.#name(input.ArchiveName, 'ArchiveName');
    if (this.#archives.has(name)) throw new AwsServiceError('ResourceAlreadyExistsException', `Archive ${name} already exists.`);
    const bus = [...this.#buses.values()].find((candidate) => candidate.arn === input.EventSourceArn);
    if (!bus) throw new AwsServiceError('ResourceNotFoundException', `Event bus ${input.EventSourceArn} does not exist.`);
    const archive: Archive = {
      name,
      arn: this.#arn(`archive/${name}`),
      eventSourceArn: bus.arn,
      eventPattern: input.EventPattern,
      matcher: input.EventPattern === undefined ? undefined : this.#compile(input.EventPattern),
      description: input.Description,
      retentionDays: input.RetentionDays ?? 0,
      creationTime: Date.now(),
      events: [],
    };
    this.#archives.set(name, archive);
    this.#changes?.record({ type: 'archive-created', archive: archiveData(archive) });
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: archive.creationTime / 1000 };
  }

  describeArchive(input: { ArchiveName?: string }): Record<string, unknown> {
    const archive = this.#archive(input.ArchiveName);
    const now = Date.now();
    if (expireArchivedEvents(archive, now) > 0) this.#changes?.record({ type: 'events-expired', archive: archive.name, at: now });
    return {
      ArchiveName: archive.name,
      ArchiveArn: archive.arn,
      EventSourceArn: archive.eventSourceArn,
      EventPattern: archive.eventPattern,
      Description: archive.description,
      State: 'ENABLED',
      RetentionDays: archive.retentionDays,
      EventCount: archive.events.length,
      SizeBytes: archive.events.reduce((total, entry) => total + Buffer.byteLength(JSON.stringify(entry.event)), 0),
      CreationTime: archive.creationTime / 1000,
    };
  }

  deleteArchive(input: { ArchiveName?: string }): Record<string, never> {
    const { name } = this.#archive(input.ArchiveName);
    this.#archives.delete(name);
    this.#changes?.record({ type: 'archive-deleted', name });
    return {};
  }

  listArchives(input: { NamePrefix?: string; EventSourceArn?: string }): { Archives: Record<string, unknown>[] } {
    return {
      Archives: [...this.#archives.values()]
        .filter((archive) => archive.name.startsWith(input.NamePrefix ?? '') && (input.EventSourceArn === undefined || archive.eventSourceArn === input.EventSourceArn))
        .map((archive) => ({ ArchiveName: archive.name, EventSourceArn: archive.eventSourceArn, State: 'ENABLED', RetentionDays: archive.retentionDays, EventCount: archive.events.length, CreationTime: archive.creationTime / 1000 })),
    };
  }

  /** StartReplay: re-delivers the window asynchronously; DescribeReplay shows its progress. */
  startReplay(input: { ReplayName?: string; EventSourceArn?: string; EventStartTime?: number; EventEndTime?: number; Destination?: { Arn?: string; FilterArns?: string[] }; Description?: string }): Record<string, unknown> {
    const name = this.#name(input.ReplayName, 'ReplayName');
    if (this.#replays.has(name)) throw new AwsServiceError('ResourceAlreadyExistsException', `Replay ${name} already exists.`);
    const archive = [...this.#archives.values()].find((candidate) => candidate.arn === input.EventSourceArn);
    if (!archive) throw new AwsServiceError('ResourceNotFoundException', `Archive ${input.EventSourceArn} does not exist.`);
    if (input.Destination?.Arn !== archive.eventSourceArn) throw new AwsServiceError('ValidationException', 'Parameter Destination.Arn must be the event bus the archive is on.');
    if (typeof input.EventStartTime !== 'number' || typeof input.EventEndTime !== 'number' || input.EventStartTime >= input.EventEndTime) {
      throw new AwsServiceError('ValidationException', 'Parameter EventStartTime must be before EventEndTime.');
    }
    if (input.EventEndTime * 1000 > Date.now()) throw new AwsServiceError('ValidationException', 'Parameter EventEndTime cannot be in the future.');
    const replay: Replay = {
      name,
      arn: this.#arn(`replay/${name}`),
      eventSourceArn: archive.arn,
      description: input.Description,
      destination: { Arn: input.Destination.Arn, FilterArns: input.Destination.FilterArns },
      eventStartTime: input.EventStartTime * 1000,
      eventEndTime: input.EventEndTime * 1000,
      state: ReplayState.starting,
      replayStartTime: Date.now(),
    };
    this.#replays.set(name, replay);
    this.#changes?.record({ type: 'replay-saved', replay });
    setImmediate(() => this.#runReplay(replay, archive));
    return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: replay.replayStartTime / 1000 };
  }

  describeReplay(input: { ReplayName?: string }): Record<string, unknown> {
    const replay = this.#replay(input.ReplayName);
    const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
    return {
      ReplayName: replay.name,
      ReplayArn: replay.arn,
      Description: replay.description,
      State: replay.state,
      StateReason: replay.stateReason,
      EventSourceArn: replay.eventSourceArn,
      Destination: replay.destination,
      EventStartTime: seconds(replay.eventStartTime),
      EventEndTime: seconds(replay.eventEndTime),
      EventLastReplayedTime: seconds(replay.eventLastReplayedTime),
      ReplayStartTime: seconds(replay.replayStartTime),
      ReplayEndTime: seconds(replay.replayEndTime),
    };
  }

  cancelReplay(input: { ReplayName?: string }): Record<string, unknown> {
    const replay = this.#replay(input.ReplayName);
    if (replay.state !== ReplayState.starting && replay.state !== ReplayState.running) {
      throw new AwsServiceError('IllegalStatusException', `Replay ${replay.name} is ${replay.state} and cannot be cancelled.`);
    }
    replay.state = ReplayState.cancelling;
    this.#changes?.record({ type: 'replay-saved', replay });
    return { ReplayArn: replay.arn, State: replay.state };
  }

  listReplays(input: { NamePrefix?: string; State?: string }): { Replays: Record<string, unknown>[] } {
    return {
      Replays: [...this.#replays.values()]
        .filter((replay) => replay.name.startsWith(input.NamePrefix ?? '') && (input.State === undefined || replay.state === input.State))
        .map((replay) => ({ ReplayName: replay.name, EventSourceArn: replay.eventSourceArn, State: replay.state, ReplayStartTime: replay.replayStartTime / 1000 })),
    };
  }

  #runReplay(replay: Replay, archive: Archive): void {
    // A replay started just before close() finds the journal closed: it stays STARTING on
    // disk, and the next start marks it FAILED like any other interrupted replay.
    if (this.#closed) return;
    if (replay.state === ReplayState.cancelling) {
      replay.state = ReplayState.cancelled;
      this.#changes?.record({ type: 'replay-saved', replay });
      return;
    }
    replay.state = ReplayState.running;
    this.#changes?.record({ type: 'replay-saved', replay });
    const bus = [...this.#buses.values()].find((candidate) => candidate.arn === replay.destination.Arn);
    if (!bus) {
      Object.assign(replay, { state: ReplayState.failed, stateReason: `Event bus ${replay.destination.Arn} no longer exists.` });
      this.#changes?.record({ type: 'replay-saved', replay });
      return;
    }
    const filter = replay.destination.FilterArns;
    for (const event of eventsToReplay(archive, replay)) {
      if ((replay.state as ReplayState) === ReplayState.cancelling) break;
      this.#route(bus, event, Date.now(), (rule) => filter === undefined || filter.length === 0 || filter.includes(rule.arn));
      replay.eventLastReplayedTime = Date.parse(event.time);
    }
    replay.state = (replay.state as ReplayState) === ReplayState.cancelling ? ReplayState.cancelled : ReplayState.completed;
    replay.replayEndTime = Date.now();
    this.#changes?.record({ type: 'replay-saved', replay });
  }

  /** Archives the event and starts delivery to the targets of every enabled rule that matches. */
  #route(bus: Bus, event: EventEnvelope, now: number, ruleFilter: (rule: Rule) => boolean = () => true): void {
    if (event['replay-name'] === undefined) {
      for (const archive of this.#archives.values()) {
        if (archive.eventSourceArn === bus.arn && archiveIfMatching(archive, event, now)) {
          this.#changes?.record({ type: 'event-archived', archive: archive.name, event, archivedAt: now });
        }
      }
    }
    let matched = 0;
    // Most targets take the whole event: serialize it once for all of them.
    let json: string | undefined;
    const eventJson = () => (json ??= JSON.stringify(event));
    const ingestionTime = new Date(now).toISOString();
    for (const rule of bus.rules.values()) {
      if (rule.state !== 'ENABLED' || !ruleFilter(rule) || !rule.matcher.matches(event)) continue;
      matched += 1;
      for (const target of rule.targets.values()) {
        this.#deliver({
          eventId: event.id,
          eventTime: now,
          ruleArn: rule.arn,
          targetArn: target.Arn,
          body: targetInputOf(target, event, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime }, eventJson),
          messageGroupId: target.SqsParameters?.MessageGroupId,
          retryPolicy: target.RetryPolicy,
          deadLetterArn: target.DeadLetterConfig?.Arn,
        });
      }
    }
    this.#options.onEvent?.(event, matched);
  }

  /** Starts a delivery, journalled first so that a kill before it ends means another attempt. */
  #deliver(delivery: Delivery): void {
    if (this.#changes !== undefined) {
      const id = randomUUID();
      this.#pendingDeliveries.set(delivery, id);
      this.#changes.record({ type: 'delivery-started', id, delivery });
    }
    this.#delivery.deliver(delivery);
  }

  /** A delivery ended (delivered, dead-lettered or dropped): it need not be attempted again. */
  #settle(delivery: Delivery): void {
    const id = this.#pendingDeliveries.get(delivery);
    // After close() the journal is shut; the delivery stays pending on disk and is attempted
    // again at the next start, a duplicate that at-least-once delivery allows.
    if (id === undefined || this.#closed) return;
    this.#pendingDeliveries.delete(delivery);
    this.#changes?.record({ type: 'delivery-finished', id });
  }

  #batch<T>(run: () => T): T {
    return this.#changes === undefined ? run() : this.#changes.batch(run);
  }

  /** Rebuilds the state from disk, then compacts the journal and resumes unfinished deliveries. */
  #restore(journal: Journal<readonly EventBridgeChange[]>): void {
    const state = restoreEventBridgeState(journal);
    for (const bus of state.buses.values()) {
      const rules = new Map<string, Rule>();
      for (const { definition, targets } of bus.rules.values()) {
        rules.set(definition.name, { ...definition, matcher: this.#compile(definition.eventPattern), targets: new Map(targets) });
      }
      this.#buses.set(bus.name, { name: bus.name, arn: bus.arn, rules });
    }
    for (const archive of state.archives.values()) {
      this.#archives.set(archive.name, { ...archive, matcher: archive.eventPattern === undefined ? undefined : this.#compile(archive.eventPattern) });
    }
    for (const replay of state.replays.values()) {
      // A replay runs in this process; the kill stopped it part-way, and AWS has no way to resume one.
      if (replay.state === ReplayState.starting || replay.state === ReplayState.running || replay.state === ReplayState.cancelling) {
        Object.assign(replay, { state: ReplayState.failed, stateReason: INTERRUPTED_REPLAY_REASON, replayEndTime: Date.now() });
      }
      this.#replays.set(replay.name, replay);
    }
    for (const [id, delivery] of state.deliveries) this.#pendingDeliveries.set(delivery, id);
    // Compacting at every start keeps restarts fast, and puts the FAILED replays on disk.
    this.#changes?.compact();
    // On the next turn, not now: whoever constructs the service gets to finish its start-up
    // (registering it, re-creating the template's resources) before deliveries go out.
    const unfinished = [...this.#pendingDeliveries.keys()];
    if (unfinished.length > 0) setImmediate(() => unfinished.forEach((delivery) => this.#delivery.deliver(delivery)));
  }

  #snapshot(): EventBridgeSnapshot {
    return {
      buses: [...this.#buses.values()].map((bus) => ({
        name: bus.name,
        arn: bus.arn,
        rules: [...bus.rules.values()].map((rule) => ({ ...ruleDefinition(rule), targets: [...rule.targets.values()] })),
      })),
      archives: [...this.#archives.values()].map(archiveData),
      replays: [...this.#replays.values()],
      deliveries: [...this.#pendingDeliveries].map(([delivery, id]) => ({ id, delivery })),
    };
  }

  #compile(pattern: string | undefined): EventPattern {
    try {
      return compileEventPattern(pattern ?? '');
    } catch (error) {
      if (error instanceof InvalidEventPatternError) throw new AwsServiceError('InvalidEventPatternException', error.message);
      throw error;
    }
  }

  #bus(nameOrArn: string, notFound: (message: string) => Error = (message) => new AwsServiceError('ResourceNotFoundException', message)): Bus {
    const name = nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
    const bus = this.#buses.get(name);
    if (!bus) throw notFound(`Event bus ${name} does not exist.`);
    return bus;
  }

  #rule(name: string | undefined, busName: string | undefined): Rule {
    const bus = this.#bus(busName ?? DEFAULT_BUS);
    const rule = bus.rules.get(name ?? '');
    if (!rule) throw new AwsServiceError('ResourceNotFoundException', `Rule ${name ?? ''} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  #archive(name: string | undefined): Archive {
    const archive = this.#archives.get(name ?? '');
    if (!archive) throw new AwsServiceError('ResourceNotFoundException', `Archive ${name ?? ''} does not exist.`);
    return archive;
  }

  #replay(name: string | undefined): Replay {
    const replay = this.#replays.get(name ?? '');
    if (!replay) throw new AwsServiceError('ResourceNotFoundException', `Replay ${name ?? ''} does not exist.`);
    return replay;
  }

  #name(value: string | undefined, field: string): string {
    if (value === undefined || !NAME.test(value)) throw new AwsServiceError('ValidationException', `Parameter ${field} is not valid: it must be 1 to 64 letters, digits, dots, dashes or underscores.`);
    return value;
  }

  #arn(resource: string): string {
    return `arn:aws:events:${this.#region}:${this.#accountId}:${resource}`;
  }

  #ruleArn(bus: Bus, name: string): string {
    return this.#arn(bus.name === DEFAULT_BUS ? `rule/${name}` : `rule/${bus.name}/${name}`);
  }
}

/** An archive as plain data, without its compiled pattern. */
function archiveData(archive: Archive): ArchiveData {
  const { matcher: _compiled, ...data } = archive;
  return data;
}

/** A rule's definition as plain data, without its compiled pattern and targets. */
function ruleDefinition(rule: Rule): RuleDefinition {
  return {
    name: rule.name,
    arn: rule.arn,
    busName: rule.busName,
    eventPattern: rule.eventPattern,
    state: rule.state,
    ...(rule.description === undefined ? {} : { description: rule.description }),
  };
}
