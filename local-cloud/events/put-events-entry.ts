/**
 * Turning a PutEvents entry into the event EventBridge delivers, with the checks and limits
 * EventBridge applies per entry and per request.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeErrors } from '#cloud/events/errors';

/** At most 10 entries per PutEvents call. */
export const PUT_EVENTS_MAX_ENTRIES = 10;
/** The entries of one call together may be at most 256 KiB, as EventBridge measures them. */
export const PUT_EVENTS_MAX_BYTES = 256 * 1024;

/** An entry of a PutEvents request. */
export interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: readonly string[];
  readonly Time?: string | number;
  readonly TraceHeader?: string;
}

/** The event as targets receive it. */
export interface EventEnvelope {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
  readonly 'replay-name'?: string;
}

/** A per-entry failure, reported in the entry's result rather than failing the call. */
export class EntryError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'EntryError';
  }
}

/** Rejects a request whose entry count or total size EventBridge would refuse. */
export function checkPutEventsRequest(entries: unknown): asserts entries is PutEventsEntry[] {
  if (!Array.isArray(entries) || entries.length < 1 || entries.length > PUT_EVENTS_MAX_ENTRIES) {
    throw EventBridgeErrors.validation(
      `1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to ${PUT_EVENTS_MAX_ENTRIES} and greater than or equal to 1`,
    );
  }
  const size = entries.reduce((total: number, entry: PutEventsEntry) => total + entrySize(entry), 0);
  if (size > PUT_EVENTS_MAX_BYTES) throw EventBridgeErrors.validation('Total size of the entries in the request is over the limit.');
}

/** EventBridge's size of an entry: its strings in UTF-8, plus 14 bytes when it sets Time. */
function entrySize(entry: PutEventsEntry): number {
  const bytes = (text: string | undefined) => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));
  return (
    (entry.Time !== undefined ? 14 : 0) +
    bytes(entry.Source) +
    bytes(entry.DetailType) +
    bytes(entry.Detail) +
    (entry.Resources ?? []).reduce((total, resource) => total + bytes(resource), 0)
  );
}

/** Builds the envelope of a valid entry; throws {@link EntryError} for an invalid one. */
export function envelopeOf(entry: PutEventsEntry, where: { readonly account: string; readonly region: string; readonly now: Date }): EventEnvelope {
  for (const field of ['Source', 'DetailType', 'Detail'] as const) {
    if (typeof entry[field] !== 'string' || entry[field] === '') {
      throw new EntryError('InvalidArgument', `Parameter ${field} is not valid. Reason: ${field} is a required argument.`);
    }
  }
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail as string);
  } catch {
    throw new EntryError('MalformedDetail', 'Detail is malformed.');
  }
  if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) throw new EntryError('MalformedDetail', 'Detail is malformed.');
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType as string,
    source: entry.Source as string,
    account: where.account,
    time: eventTime(entry.Time, where.now),
    region: where.region,
    resources: entry.Resources ?? [],
    detail,
  };
}

/** EventBridge writes `time` in whole seconds, e.g. `2026-11-22T12:00:00Z`. */
function eventTime(time: string | number | undefined, now: Date): string {
  const date = time === undefined ? now : new Date(typeof time === 'number' ? time * 1000 : time);
  return (Number.isNaN(date.getTime()) ? now : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
