/**
 * Event archives and replays. An archive keeps the events of its bus that match its pattern,
 * for its retention; a replay sends a time window of them back to the bus's rules, marked with
 * `replay-name`, and is never archived again.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-archive.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_StartReplay.html
 */
import type { EventPattern } from '#cloud/events/event-pattern';
import type { EventEnvelope } from '#cloud/events/put-events-entry';

/** An archive and the events it holds. */
export interface Archive {
  readonly name: string;
  readonly arn: string;
  readonly eventSourceArn: string;
  readonly eventPattern?: string;
  readonly matcher?: EventPattern;
  readonly description?: string;
  /** 0 keeps events indefinitely. */
  readonly retentionDays: number;
  readonly creationTime: number;
  readonly events: { readonly event: EventEnvelope; readonly archivedAt: number }[];
}

/** The states a replay goes through. */
export const ReplayState = {
  starting: 'STARTING',
  running: 'RUNNING',
  cancelling: 'CANCELLING',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
} as const;
export type ReplayState = (typeof ReplayState)[keyof typeof ReplayState];

/** A replay and its progress. */
export interface Replay {
  readonly name: string;
  readonly arn: string;
  readonly eventSourceArn: string;
  readonly description?: string;
  readonly destination: { readonly Arn: string; readonly FilterArns?: readonly string[] };
  /** Epoch milliseconds. */
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  state: ReplayState;
  stateReason?: string;
  readonly replayStartTime: number;
  replayEndTime?: number;
  eventLastReplayedTime?: number;
}

/** Keeps `event` in `archive` when the archive's pattern matches it; returns whether it did. */
export function archiveIfMatching(archive: Archive, event: EventEnvelope, now: number): boolean {
  if (event['replay-name'] !== undefined) return false;
  if (archive.matcher && !archive.matcher.matches(event)) return false;
  archive.events.push({ event, archivedAt: now });
  return true;
}

/** Drops events past the archive's retention; returns how many it dropped. */
export function expireArchivedEvents(archive: Archive, now: number): number {
  if (archive.retentionDays === 0) return 0;
  const oldest = now - archive.retentionDays * 86_400_000;
  const firstKept = archive.events.findIndex((entry) => entry.archivedAt >= oldest);
  return archive.events.splice(0, firstKept === -1 ? archive.events.length : firstKept).length;
}

/** The archived events a replay sends, in the order they happened, marked with the replay's name. */
export function eventsToReplay(archive: Archive, replay: Replay): EventEnvelope[] {
  return archive.events
    .filter(({ event }) => {
      const time = Date.parse(event.time);
      return time >= replay.eventStartTime && time < replay.eventEndTime;
    })
    .map(({ event }) => ({ ...event, 'replay-name': replay.name }));
}
