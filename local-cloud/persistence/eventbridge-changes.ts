/**
 * The state changes of the local EventBridge, as its journal records them, and how replay
 * applies them to the state as plain data: buses, rules and targets (those the template
 * creates are simply put again at start, which changes nothing), archives and their events,
 * replays, and the deliveries to targets not yet finished. Times are absolute epoch ms.
 */
import { expireArchivedEvents, type Archive, type Replay } from '#cloud/events/archive';
import type { Target } from '#cloud/events/eventbridge-service';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { Delivery } from '#cloud/events/target-delivery';
import { JournalReplayError } from '#cloud/persistence/errors';
import type { Journal } from '#cloud/persistence/journal';

/** Name of the EventBridge journal: `DIR/events.journal`, `DIR/events.snapshot`. */
export const EVENTBRIDGE_JOURNAL_NAME = 'events';

/** A rule without its targets, as plain data. */
export interface RuleDefinition {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern: string;
  readonly state: 'ENABLED' | 'DISABLED';
  readonly description?: string;
}

/** A rule and its targets, as plain data. */
export interface RuleData extends RuleDefinition {
  readonly targets: readonly Target[];
}

/** A bus and its rules, as plain data. */
export interface BusData {
  readonly name: string;
  readonly arn: string;
  readonly rules: readonly RuleData[];
}

/** An archive as plain data: without its compiled pattern, which is rebuilt from `eventPattern`. */
export type ArchiveData = Omit<Archive, 'matcher'>;

/** A delivery to a target that has started and not yet ended (delivered, dead-lettered or dropped). */
export interface PendingDelivery {
  readonly id: string;
  readonly delivery: Delivery;
}

/** A change of the local EventBridge's state. */
export type EventBridgeChange =
  | { readonly type: 'bus-created'; readonly name: string; readonly arn: string }
  | { readonly type: 'bus-deleted'; readonly name: string }
  /** PutRule, EnableRule or DisableRule: the rule's definition after it. */
  | { readonly type: 'rule-saved'; readonly rule: RuleDefinition }
  | { readonly type: 'rule-deleted'; readonly busName: string; readonly name: string }
  | { readonly type: 'target-put'; readonly busName: string; readonly rule: string; readonly target: Target }
  | { readonly type: 'targets-removed'; readonly busName: string; readonly rule: string; readonly ids: readonly string[] }
  | { readonly type: 'archive-created'; readonly archive: ArchiveData }
  | { readonly type: 'archive-deleted'; readonly name: string }
  | { readonly type: 'event-archived'; readonly archive: string; readonly event: EventEnvelope; readonly archivedAt: number }
  /** Events dropped for the archive's retention, as counted at `at`. */
  | { readonly type: 'events-expired'; readonly archive: string; readonly at: number }
  /** A replay started or moved on: its whole state after it. */
  | { readonly type: 'replay-saved'; readonly replay: Replay }
  | ({ readonly type: 'delivery-started' } & PendingDelivery)
  | { readonly type: 'delivery-finished'; readonly id: string };

/** The local EventBridge's whole state as plain data: what a snapshot holds. */
export interface EventBridgeSnapshot {
  readonly buses: readonly BusData[];
  readonly archives: readonly ArchiveData[];
  readonly replays: readonly Replay[];
  readonly deliveries: readonly PendingDelivery[];
}

/** A bus being rebuilt by replay, its rules by name. */
export interface BusState {
  readonly name: string;
  readonly arn: string;
  readonly rules: Map<string, { definition: RuleDefinition; targets: Map<string, Target> }>;
}

/** The state being rebuilt by replay, indexed by name (deliveries by id). */
export interface EventBridgeStateData {
  readonly buses: Map<string, BusState>;
  readonly archives: Map<string, ArchiveData>;
  readonly replays: Map<string, Replay>;
  readonly deliveries: Map<string, Delivery>;
}

/** The state on disk: the snapshot, then every change journalled since. */
export function restoreEventBridgeState(journal: Journal<readonly EventBridgeChange[]>): EventBridgeStateData {
  const snapshot = journal.loadSnapshot() as EventBridgeSnapshot | undefined;
  const state: EventBridgeStateData = {
    buses: new Map(
      (snapshot?.buses ?? []).map((bus) => [
        bus.name,
        {
          name: bus.name,
          arn: bus.arn,
          rules: new Map(bus.rules.map(({ targets, ...definition }) => [definition.name, { definition, targets: new Map(targets.map((target) => [target.Id, target])) }])),
        },
      ]),
    ),
    archives: new Map((snapshot?.archives ?? []).map((archive) => [archive.name, archive])),
    replays: new Map((snapshot?.replays ?? []).map((replay) => [replay.name, replay])),
    deliveries: new Map((snapshot?.deliveries ?? []).map(({ id, delivery }) => [id, delivery])),
  };
  for (const changes of journal.replay()) {
    for (const change of changes) applyEventBridgeChange(state, change, journal.file);
  }
  return state;
}

/**
 * Applies one journalled change to the state, as the live service made it.
 *
 * @param file - The journal, for errors.
 * @throws {@link JournalReplayError} when the change names a bus, rule or archive that is not there.
 */
function applyEventBridgeChange(state: EventBridgeStateData, change: EventBridgeChange, file: string): void {
  const fail = (reason: string) => new JournalReplayError(file, change.type, reason);
  const busOf = (name: string) => {
    const bus = state.buses.get(name);
    if (bus === undefined) throw fail(`event bus ${name} does not exist.`);
    return bus;
  };
  const ruleOf = (busName: string, name: string) => {
    const rule = busOf(busName).rules.get(name);
    if (rule === undefined) throw fail(`rule ${name} does not exist on event bus ${busName}.`);
    return rule;
  };
  const archiveOf = (name: string) => {
    const archive = state.archives.get(name);
    if (archive === undefined) throw fail(`archive ${name} does not exist.`);
    return archive;
  };
  switch (change.type) {
    case 'bus-created':
      state.buses.set(change.name, { name: change.name, arn: change.arn, rules: new Map() });
      return;
    case 'bus-deleted':
      state.buses.delete(busOf(change.name).name);
      return;
    case 'rule-saved': {
      const rules = busOf(change.rule.busName).rules;
      rules.set(change.rule.name, { definition: change.rule, targets: rules.get(change.rule.name)?.targets ?? new Map() });
      return;
    }
    case 'rule-deleted':
      busOf(change.busName).rules.delete(ruleOf(change.busName, change.name).definition.name);
      return;
    case 'target-put':
      ruleOf(change.busName, change.rule).targets.set(change.target.Id, change.target);
      return;
    case 'targets-removed': {
      const { targets } = ruleOf(change.busName, change.rule);
      for (const id of change.ids) targets.delete(id);
      return;
    }
    case 'archive-created':
      state.archives.set(change.archive.name, change.archive);
      return;
    case 'archive-deleted':
      state.archives.delete(archiveOf(change.name).name);
      return;
    case 'event-archived':
      archiveOf(change.archive).events.push({ event: change.event, archivedAt: change.archivedAt });
      return;
    case 'events-expired':
      expireArchivedEvents(archiveOf(change.archive), change.at);
      return;
    case 'replay-saved':
      state.replays.set(change.replay.name, change.replay);
      return;
    case 'delivery-started':
      state.deliveries.set(change.id, change.delivery);
      return;
    case 'delivery-finished':
      state.deliveries.delete(change.id);
      return;
  }
}
