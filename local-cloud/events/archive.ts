/**
 * Event archives and replays. An archive keeps the events of its bus that match its pattern,
 * for its retention; a replay sends a time window of them back to the bus's rules, marked with
 * `replay-name`, and is never archived again.
 *
 * As on AWS, an archive receives its events through a rule EventBridge creates and manages on
 * the bus, `Events-Archive-<archive name>`: its pattern is the archive's with replayed events
 * left out, and its one target is the archive. ListRules and DescribeRule show it (with
 * `ManagedBy`); changing it by hand is refused, and forcing its removal leaves the archive
 * DISABLED, receiving nothing.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive-delete.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_StartReplay.html
 */
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { DeepReadonly } from '#cloud/persistence/change-log';
import { ruleArnOf, type Archive, type Bus, type EventBridgeState, type Replay, type RuleDefinition } from '#cloud/events/state';
import type { ArchiveState, Target } from '#cloud/events/types';

/** The `ManagedBy` of an archive's rule: the principal AWS shows for it. */
export const ARCHIVE_RULE_MANAGED_BY = 'prod.vhs.events.aws.internal';

/** Why an archive whose managed rule (or its target) was removed with `Force` is DISABLED, in AWS's words. */
const FORCEFULLY_DELETED_REASON = 'Managed rule for the archive was forcefully deleted.';

/** The name of the rule an archive receives its events through. */
export function archiveRuleName(archiveName: string): string {
  return `Events-Archive-${archiveName}`;
}

/**
 * The rule `bus` gets for `archive`, and its one target, as AWS shows them: the archive's
 * pattern with `"replay-name": [{"exists": false}]` in front (replacing any `replay-name` the
 * archive's pattern has), no description, and a target whose input template names the archive.
 */
export function archiveRuleOf(archive: Archive, bus: Pick<Bus, 'name' | 'arn'>): { readonly rule: RuleDefinition; readonly target: Target } {
  const name = archiveRuleName(archive.name);
  const { 'replay-name': _replaced, ...archivePattern } = archive.eventPattern === undefined ? {} : (JSON.parse(archive.eventPattern) as Record<string, unknown>);
  const region = bus.arn.split(':')[3] ?? '';
  return {
    rule: {
      name,
      arn: ruleArnOf(bus, name),
      busName: bus.name,
      eventPattern: JSON.stringify({ 'replay-name': [{ exists: false }], ...archivePattern }),
      state: 'ENABLED',
      managedBy: ARCHIVE_RULE_MANAGED_BY,
      archive: archive.name,
    },
    target: {
      Id: name,
      Arn: `arn:aws:events:${region}:::`,
      InputTransformer: {
        InputPathsMap: {},
        InputTemplate: `{"archive-arn": "${archive.arn}:${archive.incarnation}","event": <aws.events.event.json>,"ingestion-time": <aws.events.event.ingestion-time>}`,
      },
    },
  };
}

/**
 * Whether the archive receives events: ENABLED while its managed rule and the rule's target
 * are on its bus, DISABLED once either was removed with `Force` (or the bus was deleted).
 */
export function archiveStateOf(state: DeepReadonly<EventBridgeState>, archive: DeepReadonly<Archive>): { readonly state: ArchiveState; readonly reason?: string } {
  const busName = archive.eventSourceArn.split('/').pop() ?? '';
  const rule = state.buses.get(busName)?.rules.get(archiveRuleName(archive.name));
  return rule?.archive === archive.name && rule.targets.size > 0 ? { state: 'ENABLED' } : { state: 'DISABLED', reason: FORCEFULLY_DELETED_REASON };
}

/** How many of the archive's oldest events are past its retention at `now` (0 keeps them all). */
export function expiredEventCount(archive: Pick<DeepReadonly<Archive>, 'retentionDays' | 'events'>, now: number): number {
  if (archive.retentionDays === 0) return 0;
  const oldest = now - archive.retentionDays * 86_400_000;
  const firstKept = archive.events.findIndex((entry) => entry.archivedAt >= oldest);
  return firstKept === -1 ? archive.events.length : firstKept;
}

/** The archived events a replay sends, in the order they happened, marked with the replay's name. */
export function eventsToReplay(archive: DeepReadonly<Archive>, replay: DeepReadonly<Replay>): EventEnvelope[] {
  return archive.events
    .filter(({ event }) => {
      const time = Date.parse(event.time);
      return time >= replay.eventStartTime && time < replay.eventEndTime;
    })
    .map(({ event }) => ({ ...event, 'replay-name': replay.name }));
}
