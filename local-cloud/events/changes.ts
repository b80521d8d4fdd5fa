/**
 * The state changes of the local EventBridge, as data, and the one function that applies them:
 * the live operations commit them through it and the journal's replay runs it again, so each
 * state change is written once. Buses, rules and targets the template creates are simply put
 * again at every start, which changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { archiveRuleName, archiveRuleOf, expiredEventCount } from '#cloud/events/archive';
import { compileEventPattern } from '#cloud/events/event-pattern';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import { busWithArn, type Archive, type Bus, type EventBridgeState, type Replay, type Rule, type RuleDefinition } from '#cloud/events/state';
import type { Delivery } from '#cloud/events/target-delivery';
import type { Target } from '#cloud/events/types';
import type { StateModel } from '#cloud/persistence/change-log';
import { ChangeNotApplicableError } from '#cloud/persistence/errors';

/** A change of the local EventBridge's state. */
export type EventBridgeChange =
  | { readonly type: 'bus-created'; readonly name: string; readonly arn: string }
  | { readonly type: 'bus-deleted'; readonly name: string }
  /** PutRule, EnableRule or DisableRule: the rule's definition after it. */
  | { readonly type: 'rule-saved'; readonly rule: RuleDefinition }
  | { readonly type: 'rule-deleted'; readonly busName: string; readonly name: string }
  | { readonly type: 'target-put'; readonly busName: string; readonly rule: string; readonly target: Target }
  | { readonly type: 'targets-removed'; readonly busName: string; readonly rule: string; readonly ids: readonly string[] }
  /** CreateArchive: the archive, and with it its managed rule on its bus. */
  | { readonly type: 'archive-created'; readonly archive: Archive }
  /** DeleteArchive: the archive goes, and its managed rule with it. */
  | { readonly type: 'archive-deleted'; readonly name: string }
  | { readonly type: 'event-archived'; readonly archive: string; readonly event: EventEnvelope; readonly archivedAt: number }
  /** Events dropped for the archive's retention, as counted at `at`. */
  | { readonly type: 'events-expired'; readonly archive: string; readonly at: number }
  /** A replay started or moved on: its whole state after it. */
  | { readonly type: 'replay-saved'; readonly replay: Replay }
  | { readonly type: 'delivery-started'; readonly id: string; readonly delivery: Delivery }
  | { readonly type: 'delivery-finished'; readonly id: string };

/** A rule and its targets, as plain data. */
interface RuleData extends RuleDefinition {
  readonly targets: readonly Target[];
}

/** The local EventBridge's whole state as plain data: what a snapshot holds. */
export interface EventBridgeSnapshot {
  readonly buses: readonly { readonly name: string; readonly arn: string; readonly rules: readonly RuleData[] }[];
  /** Archives; one written before archives had a managed rule has no incarnation. */
  readonly archives: readonly (Omit<Archive, 'incarnation'> & { readonly incarnation?: string })[];
  readonly replays: readonly Replay[];
  readonly deliveries: readonly { readonly id: string; readonly delivery: Delivery }[];
}

/** The local EventBridge's state, its changes and its journal (`DIR/events.journal`, `DIR/events.snapshot`). */
export const eventBridgeStateModel: StateModel<EventBridgeState, EventBridgeChange> = {
  journalName: 'events',
  restore(snapshot) {
    const data = snapshot as EventBridgeSnapshot | undefined;
    const state: EventBridgeState = {
      buses: new Map(
        (data?.buses ?? []).map((bus) => [
          bus.name,
          { name: bus.name, arn: bus.arn, rules: new Map(bus.rules.map(({ targets, ...definition }) => [definition.name, ruleOf(definition, new Map(targets.map((target) => [target.Id, target])))])) },
        ]),
      ),
      archives: new Map(),
      replays: new Map((data?.replays ?? []).map((replay) => [replay.name, replay])),
      deliveries: new Map((data?.deliveries ?? []).map(({ id, delivery }) => [id, delivery])),
    };
    for (const { incarnation, ...stored } of data?.archives ?? []) {
      if (incarnation !== undefined) {
        state.archives.set(stored.name, { ...stored, incarnation });
        continue;
      }
      // Written before archives had their managed rule: the archive gets it now, as CreateArchive
      // gives it, or it would receive nothing.
      const archive: Archive = { ...stored, incarnation: randomUUID() };
      state.archives.set(archive.name, archive);
      const bus = busWithArn(state.buses, archive.eventSourceArn);
      if (bus === undefined) continue;
      const { rule, target } = archiveRuleOf(archive, bus);
      bus.rules.set(rule.name, ruleOf(rule, new Map([[target.Id, target]])));
    }
    return state;
  },
  apply: applyEventBridgeChange,
  snapshot(state): EventBridgeSnapshot {
    return {
      buses: [...state.buses.values()].map((bus) => ({ name: bus.name, arn: bus.arn, rules: [...bus.rules.values()].map(({ targets, matcher: _compiled, ...definition }) => ({ ...definition, targets: [...targets.values()] })) })),
      archives: [...state.archives.values()],
      replays: [...state.replays.values()],
      deliveries: [...state.deliveries].map(([id, delivery]) => ({ id, delivery })),
    };
  },
};

/**
 * Applies one change to the state. The state keeps the objects a change carries; a change in a
 * batch is written when the batch ends, so it must read the same then: a container the state
 * grows later (a new archive's events) is copied, the rest is never changed in place.
 *
 * @throws {@link ChangeNotApplicableError} when the change names a bus, rule or archive that is not there.
 */
export function applyEventBridgeChange(state: EventBridgeState, change: EventBridgeChange): void {
  switch (change.type) {
    case 'bus-created':
      state.buses.set(change.name, { name: change.name, arn: change.arn, rules: new Map() });
      return;
    case 'bus-deleted':
      state.buses.delete(busOf(state, change, change.name).name);
      return;
    case 'rule-saved': {
      const { rules } = busOf(state, change, change.rule.busName);
      rules.set(change.rule.name, ruleOf(change.rule, rules.get(change.rule.name)?.targets ?? new Map()));
      return;
    }
    case 'rule-deleted':
      busOf(state, change, change.busName).rules.delete(ruleOn(state, change, change.busName, change.name).name);
      return;
    case 'target-put':
      ruleOn(state, change, change.busName, change.rule).targets.set(change.target.Id, change.target);
      return;
    case 'targets-removed': {
      const { targets } = ruleOn(state, change, change.busName, change.rule);
      for (const id of change.ids) targets.delete(id);
      return;
    }
    case 'archive-created': {
      const archive: Archive = { ...change.archive, events: [...change.archive.events] };
      const bus = busWithArn(state.buses, archive.eventSourceArn);
      if (bus === undefined) throw new ChangeNotApplicableError(change.type, `event bus ${archive.eventSourceArn} does not exist.`);
      state.archives.set(archive.name, archive);
      const { rule, target } = archiveRuleOf(archive, bus);
      bus.rules.set(rule.name, ruleOf(rule, new Map([[target.Id, target]])));
      return;
    }
    case 'archive-deleted': {
      const archive = archiveOf(state, change, change.name);
      state.archives.delete(archive.name);
      const bus = busWithArn(state.buses, archive.eventSourceArn);
      if (bus?.rules.get(archiveRuleName(archive.name))?.archive === archive.name) bus.rules.delete(archiveRuleName(archive.name));
      return;
    }
    case 'event-archived':
      archiveOf(state, change, change.archive).events.push({ event: change.event, archivedAt: change.archivedAt });
      return;
    case 'events-expired': {
      const archive = archiveOf(state, change, change.archive);
      archive.events.splice(0, expiredEventCount(archive, change.at));
      return;
    }
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

// Lookups for apply, at module level: apply runs for every event and delivery, and closures
// made per call would cost an allocation each time.

function busOf(state: EventBridgeState, change: EventBridgeChange, name: string): Bus {
  const bus = state.buses.get(name);
  if (bus === undefined) throw new ChangeNotApplicableError(change.type, `event bus ${name} does not exist.`);
  return bus;
}

function ruleOn(state: EventBridgeState, change: EventBridgeChange, busName: string, name: string): Rule {
  const rule = busOf(state, change, busName).rules.get(name);
  if (rule === undefined) throw new ChangeNotApplicableError(change.type, `rule ${name} does not exist on event bus ${busName}.`);
  return rule;
}

function archiveOf(state: EventBridgeState, change: EventBridgeChange, name: string): Archive {
  const archive = state.archives.get(name);
  if (archive === undefined) throw new ChangeNotApplicableError(change.type, `archive ${name} does not exist.`);
  return archive;
}

/** A rule from its definition, its pattern compiled once for every event it will see. */
function ruleOf(definition: RuleDefinition, targets: Map<string, Target>): Rule {
  return { ...definition, targets, matcher: compileEventPattern(definition.eventPattern) };
}

