/**
 * The local EventBridge: buses, rules matched with the full event-pattern language, SQS
 * targets (with input transformers, retry policy and dead-letter queue), archives (fed by
 * their managed rules) and replays, and TestEventPattern. One method per API operation, taking
 * and returning the AWS JSON shapes (`types.ts`): the gateway serves them through the
 * operation table (`operations.ts`, which validates what clients send) and the template loader
 * calls them in process. Its state changes only by the changes it commits (`changes.ts`).
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
 */
import { randomUUID } from 'node:crypto';
import { archiveRuleName, archiveStateOf, eventsToReplay, expiredEventCount } from '#cloud/events/archive';
import { eventBridgeStateModel, type EventBridgeChange } from '#cloud/events/changes';
import { EventBridgeErrors } from '#cloud/events/errors';
import { compileEventPattern, InvalidEventPatternError, type EventPattern } from '#cloud/events/event-pattern';
import { validateTargetInput } from '#cloud/events/input-transformer';
import { EntryError, envelopeOf, type EventEnvelope, type PutEventsEntry } from '#cloud/events/put-events-entry';
import { routeEvent } from '#cloud/events/routing';
import { busNamed, busNameOf, busWithArn, DEFAULT_BUS_NAME, ReplayState, ruleArnOf, type Archive, type Bus, type EventBridgeState, type Replay, type Rule } from '#cloud/events/state';
import { TargetDelivery, type Delivery, type DeliveryOutcome, type SqsSendPort } from '#cloud/events/target-delivery';
import type {
  ArchiveInput,
  CancelReplayOutput,
  CreateArchiveInput,
  CreateArchiveOutput,
  CreateEventBusInput,
  CreateEventBusOutput,
  DeleteRuleInput,
  DescribeArchiveOutput,
  DescribeReplayOutput,
  DescribeRuleOutput,
  EmptyOutput,
  EventBusInput,
  EventBusOutput,
  FailedTargetEntry,
  ListArchivesInput,
  ListArchivesOutput,
  ListEventBusesInput,
  ListEventBusesOutput,
  ListReplaysInput,
  ListReplaysOutput,
  ListRulesInput,
  ListRulesOutput,
  ListTargetsByRuleInput,
  ListTargetsByRuleOutput,
  PutEventsInput,
  PutEventsOutput,
  PutEventsResultEntry,
  PutRuleInput,
  PutRuleOutput,
  PutTargetsInput,
  RemoveTargetsInput,
  ReplayInput,
  RuleInput,
  RuleOutput,
  RuleState,
  StartReplayInput,
  StartReplayOutput,
  TargetsOutput,
  TestEventPatternInput,
  TestEventPatternOutput,
} from '#cloud/events/types';
import { ChangeLog, type DeepReadonly } from '#cloud/persistence/change-log';
import type { Journal } from '#cloud/persistence/journal';

/** Options of {@link EventBridgeService}. */
export interface EventBridgeServiceOptions {
  readonly sqs: SqsSendPort;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** @default '000000000000' */
  readonly accountId?: string;
  /** Told of every event put on a bus (after matching), with the rules it matched that deliver to targets. */
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

/** StateReason of a replay that was running when the process stopped. */
const INTERRUPTED_REPLAY_REASON = 'interrupted by a restart of the local cloud';
/** A rule delivers to at most 5 targets. @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-quota.html */
const MAX_TARGETS_PER_RULE = 5;
/** PutTargets takes 1 to 10 targets a call. */
const MAX_TARGETS_PER_CALL = 10;
/** Fields TestEventPattern requires of the event. @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_TestEventPattern.html */
const TEST_EVENT_REQUIRED_FIELDS = ['id', 'account', 'source', 'time', 'region', 'detail-type'] as const;

/** The local EventBridge service. */
export class EventBridgeService {
  readonly #region: string;
  readonly #accountId: string;
  readonly #options: EventBridgeServiceOptions;
  /** The state and the journal of its changes (in memory only, without persistence). */
  readonly #changes: ChangeLog<EventBridgeState, EventBridgeChange>;
  readonly #delivery: TargetDelivery;
  /** The state's pending delivery ids, by the delivery objects in flight. */
  readonly #deliveryIds = new Map<Delivery, string>();
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
    this.#changes = ChangeLog.open(eventBridgeStateModel, { persistence: options.persistence });
    const state = this.#changes.state;
    if (!state.buses.has(DEFAULT_BUS_NAME)) this.#changes.commit({ type: 'bus-created', name: DEFAULT_BUS_NAME, arn: this.#arn(`event-bus/${DEFAULT_BUS_NAME}`) });
    for (const replay of [...state.replays.values()]) {
      // A replay runs in this process; the kill stopped it part-way, and AWS has no way to resume one.
      if (replay.state === ReplayState.starting || replay.state === ReplayState.running || replay.state === ReplayState.cancelling) {
        this.#saveReplay({ ...replay, state: ReplayState.failed, stateReason: INTERRUPTED_REPLAY_REASON, replayEndTime: Date.now() });
      }
    }
    for (const [id, delivery] of state.deliveries) this.#deliveryIds.set(delivery, id);
    // On the next turn, not now: whoever constructs the service gets to finish its start-up
    // (registering it, re-creating the template's resources) before deliveries go out.
    const unfinished = [...state.deliveries.values()];
    if (unfinished.length > 0) setImmediate(() => unfinished.forEach((delivery) => this.#delivery.deliver(delivery)));
  }

  /**
   * Stops pending delivery retries and closes the journal. With persistence, the deliveries
   * stopped here are still pending on disk, and the next start attempts them again.
   */
  close(): void {
    this.#closed = true;
    this.#delivery.close();
    this.#changes.close();
  }

  /** PutEvents: one result per entry, in order; matched events are delivered asynchronously. */
  putEvents(input: PutEventsInput): PutEventsOutput {
    const now = new Date();
    // One journal line for the call: its archived events and the deliveries it started.
    const results = this.#changes.batch(() => input.Entries.map((entry) => this.#putEntry(entry, now)));
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /** TestEventPattern: whether `Event` matches `EventPattern`. */
  testEventPattern(input: TestEventPatternInput): TestEventPatternOutput {
    const matcher = compile(input.EventPattern);
    let event: unknown;
    try {
      event = JSON.parse(input.Event);
    } catch {
      throw EventBridgeErrors.validation('Parameter Event is not valid: it is not JSON.');
    }
    const missing = TEST_EVENT_REQUIRED_FIELDS.filter((field) => (event as Record<string, unknown> | null)?.[field] === undefined);
    if (missing.length > 0) throw EventBridgeErrors.validation(`Parameter Event is not valid: it lacks ${missing.join(', ')}.`);
    return { Result: matcher.matches(event) };
  }

  /** CreateEventBus. */
  createEventBus(input: CreateEventBusInput): CreateEventBusOutput {
    if (this.#changes.state.buses.has(input.Name)) throw EventBridgeErrors.resourceAlreadyExists(`Event bus ${input.Name} already exists.`);
    const arn = this.#arn(`event-bus/${input.Name}`);
    this.#changes.commit({ type: 'bus-created', name: input.Name, arn });
    return { EventBusArn: arn };
  }

  /** DescribeEventBus, by name or ARN; the default bus without one. */
  describeEventBus(input: EventBusInput): EventBusOutput {
    const bus = this.#bus(input.Name ?? DEFAULT_BUS_NAME);
    return { Name: bus.name, Arn: bus.arn };
  }

  /** DeleteEventBus; the default bus cannot be deleted. */
  deleteEventBus(input: EventBusInput): EmptyOutput {
    const bus = this.#bus(input.Name ?? '');
    if (bus.name === DEFAULT_BUS_NAME) throw EventBridgeErrors.validation('Cannot delete event bus default.');
    this.#changes.commit({ type: 'bus-deleted', name: bus.name });
    return {};
  }

  /** ListEventBuses, by name prefix. */
  listEventBuses(input: ListEventBusesInput): ListEventBusesOutput {
    return { EventBuses: [...this.#changes.state.buses.values()].filter((bus) => bus.name.startsWith(input.NamePrefix ?? '')).map((bus) => ({ Name: bus.name, Arn: bus.arn })) };
  }

  /** PutRule: creates a rule, or redefines one and keeps its targets. */
  putRule(input: PutRuleInput): PutRuleOutput {
    const bus = this.#bus(input.EventBusName ?? DEFAULT_BUS_NAME);
    compile(input.EventPattern);
    if (bus.rules.get(input.Name)?.managedBy !== undefined) throw EventBridgeErrors.managedRule(input.Name);
    const arn = ruleArnOf(bus, input.Name);
    const state: RuleState = input.State === 'DISABLED' ? 'DISABLED' : 'ENABLED';
    this.#changes.commit({
      type: 'rule-saved',
      rule: { name: input.Name, arn, busName: bus.name, eventPattern: input.EventPattern, state, ...(input.Description === undefined ? {} : { description: input.Description }) },
    });
    return { RuleArn: arn };
  }

  /** DescribeRule. */
  describeRule(input: RuleInput): DescribeRuleOutput {
    return { ...ruleOutput(this.#rule(input.Name, input.EventBusName)), CreatedBy: this.#accountId };
  }

  /** DeleteRule: a rule with targets cannot be deleted, a managed one only with `Force`. */
  deleteRule(input: DeleteRuleInput): EmptyOutput {
    const rule = this.#rule(input.Name, input.EventBusName);
    if (rule.managedBy !== undefined && input.Force !== true) throw EventBridgeErrors.managedRule(rule.name);
    if (rule.targets.size > 0) throw EventBridgeErrors.validation("Rule can't be deleted since it has targets.");
    this.#changes.commit({ type: 'rule-deleted', busName: rule.busName, name: rule.name });
    return {};
  }

  /** EnableRule. */
  enableRule(input: RuleInput): EmptyOutput {
    return this.#setRuleState(input, 'ENABLED');
  }

  /** DisableRule. */
  disableRule(input: RuleInput): EmptyOutput {
    return this.#setRuleState(input, 'DISABLED');
  }

  /** ListRules of a bus, by name prefix. */
  listRules(input: ListRulesInput): ListRulesOutput {
    const bus = this.#bus(input.EventBusName ?? DEFAULT_BUS_NAME);
    return { Rules: [...bus.rules.values()].filter((rule) => rule.name.startsWith(input.NamePrefix ?? '')).map(ruleOutput) };
  }

  /**
   * PutTargets: the local cloud delivers to SQS queues only; another target fails alone. A rule
   * takes at most 5 targets: the call fails at the first one too many, keeping those before it.
   */
  putTargets(input: PutTargetsInput): TargetsOutput {
    const rule = this.#rule(input.Rule, input.EventBusName);
    if (rule.managedBy !== undefined) throw EventBridgeErrors.managedRule(rule.name);
    if (input.Targets.length < 1 || input.Targets.length > MAX_TARGETS_PER_CALL) throw EventBridgeErrors.validation(`Targets must have between 1 and ${MAX_TARGETS_PER_CALL} entries.`);
    const failed: FailedTargetEntry[] = [];
    this.#changes.batch(() => {
      for (const target of input.Targets) {
        if (!target.Arn.startsWith('arn:aws:sqs:')) {
          failed.push({ TargetId: target.Id, ErrorCode: 'ValidationException', ErrorMessage: `Target ${target.Id}: the local cloud delivers to SQS queues only, not to ${target.Arn}.` });
          continue;
        }
        validateTargetInput(target, target.Id);
        if (rule.targets.size >= MAX_TARGETS_PER_RULE && !rule.targets.has(target.Id)) throw EventBridgeErrors.limitExceeded(`Rule ${rule.name} already has ${MAX_TARGETS_PER_RULE} targets.`);
        this.#changes.commit({ type: 'target-put', busName: rule.busName, rule: rule.name, target });
      }
    });
    return { FailedEntryCount: failed.length, FailedEntries: failed };
  }

  /** RemoveTargets; a managed rule's only with `Force`. */
  removeTargets(input: RemoveTargetsInput): TargetsOutput {
    const rule = this.#rule(input.Rule, input.EventBusName);
    if (rule.managedBy !== undefined && input.Force !== true) throw EventBridgeErrors.managedRule(rule.name);
    this.#changes.commit({ type: 'targets-removed', busName: rule.busName, rule: rule.name, ids: input.Ids });
    return { FailedEntryCount: 0, FailedEntries: [] };
  }

  /** ListTargetsByRule. */
  listTargetsByRule(input: ListTargetsByRuleInput): ListTargetsByRuleOutput {
    return { Targets: [...this.#rule(input.Rule, input.EventBusName).targets.values()] };
  }

  /**
   * CreateArchive: the archive, and on its bus the managed rule `Events-Archive-<name>` that
   * sends it the bus's matching events.
   */
  createArchive(input: CreateArchiveInput): CreateArchiveOutput {
    const state = this.#changes.state;
    if (state.archives.has(input.ArchiveName)) throw EventBridgeErrors.resourceAlreadyExists(`Archive ${input.ArchiveName} already exists.`);
    const bus = busWithArn(state.buses, input.EventSourceArn);
    if (!bus) throw EventBridgeErrors.resourceNotFound(`Event bus ${input.EventSourceArn} does not exist.`);
    if (input.EventPattern !== undefined) compile(input.EventPattern);
    const ruleName = archiveRuleName(input.ArchiveName);
    if (bus.rules.has(ruleName)) throw EventBridgeErrors.resourceAlreadyExists(`Rule ${ruleName} already exists.`);
    const archive: Archive = {
      name: input.ArchiveName,
      arn: this.#arn(`archive/${input.ArchiveName}`),
      eventSourceArn: bus.arn,
      ...(input.EventPattern === undefined ? {} : { eventPattern: input.EventPattern }),
      ...(input.Description === undefined ? {} : { description: input.Description }),
      retentionDays: input.RetentionDays ?? 0,
      creationTime: Date.now(),
      incarnation: randomUUID(),
      events: [],
    };
    this.#changes.commit({ type: 'archive-created', archive });
    return { ArchiveArn: archive.arn, State: 'ENABLED', CreationTime: archive.creationTime / 1000 };
  }

  /** DescribeArchive; events past the retention are dropped first. */
  describeArchive(input: ArchiveInput): DescribeArchiveOutput {
    const archive = this.#archive(input.ArchiveName);
    const now = Date.now();
    if (expiredEventCount(archive, now) > 0) this.#changes.commit({ type: 'events-expired', archive: archive.name, at: now });
    const { state, reason } = archiveStateOf(this.#changes.state, archive);
    return {
      ArchiveName: archive.name,
      ArchiveArn: archive.arn,
      EventSourceArn: archive.eventSourceArn,
      EventPattern: archive.eventPattern,
      Description: archive.description,
      State: state,
      StateReason: reason,
      RetentionDays: archive.retentionDays,
      EventCount: archive.events.length,
      SizeBytes: archive.events.reduce((total, entry) => total + Buffer.byteLength(JSON.stringify(entry.event)), 0),
      CreationTime: archive.creationTime / 1000,
    };
  }

  /** DeleteArchive: the archive, its events and its managed rule. */
  deleteArchive(input: ArchiveInput): EmptyOutput {
    this.#changes.commit({ type: 'archive-deleted', name: this.#archive(input.ArchiveName).name });
    return {};
  }

  /** ListArchives, by name prefix or bus. */
  listArchives(input: ListArchivesInput): ListArchivesOutput {
    const state = this.#changes.state;
    return {
      Archives: [...state.archives.values()]
        .filter((archive) => archive.name.startsWith(input.NamePrefix ?? '') && (input.EventSourceArn === undefined || archive.eventSourceArn === input.EventSourceArn))
        .map((archive) => {
          const { state: archiveState, reason } = archiveStateOf(state, archive);
          return { ArchiveName: archive.name, EventSourceArn: archive.eventSourceArn, State: archiveState, StateReason: reason, RetentionDays: archive.retentionDays, EventCount: archive.events.length, CreationTime: archive.creationTime / 1000 };
        }),
    };
  }

  /** StartReplay: re-delivers the window asynchronously; DescribeReplay shows its progress. */
  startReplay(input: StartReplayInput): StartReplayOutput {
    const state = this.#changes.state;
    if (state.replays.has(input.ReplayName)) throw EventBridgeErrors.resourceAlreadyExists(`Replay ${input.ReplayName} already exists.`);
    const archive = [...state.archives.values()].find((candidate) => candidate.arn === input.EventSourceArn);
    if (!archive) throw EventBridgeErrors.resourceNotFound(`Archive ${input.EventSourceArn} does not exist.`);
    if (input.Destination.Arn !== archive.eventSourceArn) throw EventBridgeErrors.validation('Parameter Destination.Arn must be the event bus the archive is on.');
    if (input.EventStartTime >= input.EventEndTime) throw EventBridgeErrors.validation('Parameter EventStartTime must be before EventEndTime.');
    if (input.EventEndTime * 1000 > Date.now()) throw EventBridgeErrors.validation('Parameter EventEndTime cannot be in the future.');
    const replay: Replay = {
      name: input.ReplayName,
      arn: this.#arn(`replay/${input.ReplayName}`),
      eventSourceArn: archive.arn,
      ...(input.Description === undefined ? {} : { description: input.Description }),
      destination: { Arn: input.Destination.Arn, ...(input.Destination.FilterArns === undefined ? {} : { FilterArns: input.Destination.FilterArns }) },
      eventStartTime: input.EventStartTime * 1000,
      eventEndTime: input.EventEndTime * 1000,
      state: ReplayState.starting,
      replayStartTime: Date.now(),
    };
    this.#saveReplay(replay);
    setImmediate(() => this.#runReplay(replay.name, archive));
    return { ReplayArn: replay.arn, State: replay.state, ReplayStartTime: replay.replayStartTime / 1000 };
  }

  /** DescribeReplay. */
  describeReplay(input: ReplayInput): DescribeReplayOutput {
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
      EventStartTime: replay.eventStartTime / 1000,
      EventEndTime: replay.eventEndTime / 1000,
      EventLastReplayedTime: seconds(replay.eventLastReplayedTime),
      ReplayStartTime: replay.replayStartTime / 1000,
      ReplayEndTime: seconds(replay.replayEndTime),
    };
  }

  /** CancelReplay of a replay not yet finished. */
  cancelReplay(input: ReplayInput): CancelReplayOutput {
    const replay = this.#replay(input.ReplayName);
    if (replay.state !== ReplayState.starting && replay.state !== ReplayState.running) {
      throw EventBridgeErrors.illegalStatus(`Replay ${replay.name} is ${replay.state} and cannot be cancelled.`);
    }
    this.#saveReplay({ ...replay, state: ReplayState.cancelling });
    return { ReplayArn: replay.arn, State: ReplayState.cancelling };
  }

  /** ListReplays, by name prefix and state. */
  listReplays(input: ListReplaysInput): ListReplaysOutput {
    return {
      Replays: [...this.#changes.state.replays.values()]
        .filter((replay) => replay.name.startsWith(input.NamePrefix ?? '') && (input.State === undefined || replay.state === input.State))
        .map((replay) => ({ ReplayName: replay.name, EventSourceArn: replay.eventSourceArn, State: replay.state, ReplayStartTime: replay.replayStartTime / 1000 })),
    };
  }

  #putEntry(entry: PutEventsEntry, now: Date): PutEventsResultEntry {
    try {
      const bus = busNamed(this.#changes.state.buses, entry.EventBusName ?? DEFAULT_BUS_NAME);
      if (bus === undefined) throw new EntryError('ResourceNotFoundException', `Event bus ${busNameOf(entry.EventBusName ?? DEFAULT_BUS_NAME)} does not exist.`);
      const event = envelopeOf(entry, { account: this.#accountId, region: this.#region, now });
      this.#route(bus, event, now.getTime());
      return { EventId: event.id };
    } catch (error) {
      if (error instanceof EntryError) return { ErrorCode: error.errorCode, ErrorMessage: error.message };
      throw error;
    }
  }

  #setRuleState(input: RuleInput, state: RuleState): EmptyOutput {
    const rule = this.#rule(input.Name, input.EventBusName);
    if (rule.managedBy !== undefined) throw EventBridgeErrors.managedRule(rule.name);
    const { targets: _targets, matcher: _matcher, ...definition } = rule;
    this.#changes.commit({ type: 'rule-saved', rule: { ...definition, state } });
    return {};
  }

  #runReplay(name: string, archive: DeepReadonly<Archive>): void {
    // A replay started just before close() finds the journal closed: it stays STARTING on
    // disk, and the next start marks it FAILED like any other interrupted replay.
    if (this.#closed) return;
    const started = this.#replay(name);
    if (started.state === ReplayState.cancelling) {
      this.#saveReplay({ ...started, state: ReplayState.cancelled });
      return;
    }
    const running = { ...started, state: ReplayState.running };
    this.#saveReplay(running);
    const bus = busWithArn(this.#changes.state.buses, running.destination.Arn);
    if (!bus) {
      this.#saveReplay({ ...running, state: ReplayState.failed, stateReason: `Event bus ${running.destination.Arn} no longer exists.` });
      return;
    }
    const filter = running.destination.FilterArns;
    let eventLastReplayedTime = running.eventLastReplayedTime;
    for (const event of eventsToReplay(archive, running)) {
      if (this.#replay(name).state === ReplayState.cancelling) break;
      this.#route(bus, event, Date.now(), (rule) => filter === undefined || filter.length === 0 || filter.includes(rule.arn));
      eventLastReplayedTime = Date.parse(event.time);
    }
    const current = this.#replay(name);
    this.#saveReplay({
      ...current,
      state: current.state === ReplayState.cancelling ? ReplayState.cancelled : ReplayState.completed,
      ...(eventLastReplayedTime === undefined ? {} : { eventLastReplayedTime }),
      replayEndTime: Date.now(),
    });
  }

  #saveReplay(replay: Replay): void {
    this.#changes.commit({ type: 'replay-saved', replay });
  }

  /** Archives the event where its bus's archive rules say, and starts its deliveries. */
  #route(bus: DeepReadonly<Bus>, event: EventEnvelope, now: number, ruleFilter?: (rule: DeepReadonly<Rule>) => boolean): void {
    const routing = routeEvent(bus, event, now, ruleFilter);
    for (const archive of routing.archives) this.#changes.commit({ type: 'event-archived', archive, event, archivedAt: now });
    for (const delivery of routing.deliveries) this.#deliver(delivery);
    this.#options.onEvent?.(event, routing.matchedRules);
  }

  /**
   * Starts a delivery, journalled first so that a kill before it ends means another attempt.
   * Only with persistence: an unfinished delivery is kept to be attempted again after a restart,
   * and in memory there is none (so the in-memory cloud pays nothing for it).
   */
  #deliver(delivery: Delivery): void {
    if (this.#changes.persistent) {
      const id = randomUUID();
      this.#deliveryIds.set(delivery, id);
      this.#changes.commit({ type: 'delivery-started', id, delivery });
    }
    this.#delivery.deliver(delivery);
  }

  /** A delivery ended (delivered, dead-lettered or dropped): it need not be attempted again. */
  #settle(delivery: Delivery): void {
    const id = this.#deliveryIds.get(delivery);
    // After close() the journal is shut; the delivery stays pending on disk and is attempted
    // again at the next start, a duplicate that at-least-once delivery allows.
    if (id === undefined || this.#closed) return;
    this.#deliveryIds.delete(delivery);
    this.#changes.commit({ type: 'delivery-finished', id });
  }

  #bus(nameOrArn: string): DeepReadonly<Bus> {
    const bus = busNamed(this.#changes.state.buses, nameOrArn);
    if (!bus) throw EventBridgeErrors.resourceNotFound(`Event bus ${busNameOf(nameOrArn)} does not exist.`);
    return bus;
  }

  #rule(name: string, busName: string | undefined): DeepReadonly<Rule> {
    const bus = this.#bus(busName ?? DEFAULT_BUS_NAME);
    const rule = bus.rules.get(name);
    if (!rule) throw EventBridgeErrors.resourceNotFound(`Rule ${name} does not exist on EventBus ${bus.name}.`);
    return rule;
  }

  #archive(name: string): DeepReadonly<Archive> {
    const archive = this.#changes.state.archives.get(name);
    if (!archive) throw EventBridgeErrors.resourceNotFound(`Archive ${name} does not exist.`);
    return archive;
  }

  #replay(name: string): DeepReadonly<Replay> {
    const replay = this.#changes.state.replays.get(name);
    if (!replay) throw EventBridgeErrors.resourceNotFound(`Replay ${name} does not exist.`);
    return replay;
  }

  #arn(resource: string): string {
    return `arn:aws:events:${this.#region}:${this.#accountId}:${resource}`;
  }
}

/** A rule as ListRules and DescribeRule show it. */
function ruleOutput(rule: DeepReadonly<Rule>): RuleOutput {
  return {
    Name: rule.name,
    Arn: rule.arn,
    EventPattern: rule.eventPattern,
    State: rule.state,
    Description: rule.description,
    ...(rule.managedBy === undefined ? {} : { ManagedBy: rule.managedBy }),
    EventBusName: rule.busName,
  };
}

/** The compiled pattern; an invalid one is refused as EventBridge refuses it. */
function compile(pattern: string): EventPattern {
  try {
    return compileEventPattern(pattern);
  } catch (error) {
    if (error instanceof InvalidEventPatternError) throw EventBridgeErrors.invalidEventPattern(error.message, error);
    throw error;
  }
}
