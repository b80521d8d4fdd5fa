/**
 * Counting what a run of the local cloud used, from its hooks: events put, deliveries to queues,
 * each function's invocations, records and billed milliseconds, the SQS requests of the event
 * source mappings, and the AWS API requests functions made (by `X-Amz-Target`). One tally per
 * phase of a run, so the warm-up and the rate search are not counted with the measurement.
 */
import type { SQSRecord } from 'aws-lambda';

/** SQS returns and deletes at most 10 messages per request. */
const SQS_MAX_PER_REQUEST = 10;
/** EventBridge bills each 64 KB chunk of an entry as one event. */
const EVENT_CHUNK_BYTES = 64 * 1024;
/** `Time` counts 14 bytes in an entry's size. @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html */
const ENTRY_TIME_BYTES = 14;

/** One function's invocations. */
export interface FunctionTally {
  invocations: number;
  records: number;
  /** Each invocation's duration rounded up to 1 ms, init included (Lambda bills the init phase). */
  billedMs: number;
  /** The same without init, of warm invocations only, to show the steady per-invocation cost. */
  warmMs: number;
  warmInvocations: number;
  coldStarts: number;
  failedRecords: number;
}

/** What a phase of a run used. */
export class UsageTally {
  events = 0;
  eventChunks = 0;
  eventBytes = 0;
  deliveries = 0;
  deliveryAttempts = 0;
  sqsReceives = 0;
  sqsDeletes = 0;
  readonly functions = new Map<string, FunctionTally>();
  /** AWS API requests functions made, by `X-Amz-Target` (e.g. `DynamoDB_20120810.PutItem`). */
  readonly apiRequests = new Map<string, number>();

  /** An event put on the bus. */
  event(entry: { readonly source: string; readonly 'detail-type': string; readonly detail: unknown }, envelopeBytes: number): void {
    const entryBytes = ENTRY_TIME_BYTES + Buffer.byteLength(entry.source) + Buffer.byteLength(entry['detail-type']) + Buffer.byteLength(JSON.stringify(entry.detail));
    this.events += 1;
    this.eventChunks += Math.max(1, Math.ceil(entryBytes / EVENT_CHUNK_BYTES));
    this.eventBytes += envelopeBytes;
  }

  /** A delivery of an event to a queue, after `attempts` SendMessage calls. */
  delivery(attempts: number): void {
    this.deliveries += 1;
    this.deliveryAttempts += attempts;
  }

  /**
   * A batch an event source mapping handed a function: one receive per 10 records (the window is
   * 0, so a batch is what one receive returned) and one DeleteMessageBatch per 10 deleted.
   */
  batch(functionName: string, outcome: { readonly records: readonly SQSRecord[]; readonly deleted: readonly string[]; readonly failed: readonly string[]; readonly durationMs: number; readonly initDurationMs?: number }): void {
    this.sqsReceives += Math.max(1, Math.ceil(outcome.records.length / SQS_MAX_PER_REQUEST));
    this.sqsDeletes += Math.ceil(outcome.deleted.length / SQS_MAX_PER_REQUEST);
    this.invocation(functionName, outcome.records.length, outcome.durationMs, outcome.initDurationMs);
    this.functionTally(functionName).failedRecords += outcome.failed.length;
  }

  /** An invocation of `records` records (1 for an HTTP request). */
  invocation(functionName: string, records: number, durationMs: number, initDurationMs?: number): void {
    const tally = this.functionTally(functionName);
    tally.invocations += 1;
    tally.records += records;
    tally.billedMs += Math.ceil(durationMs + (initDurationMs ?? 0));
    if (initDurationMs === undefined) {
      tally.warmMs += durationMs;
      tally.warmInvocations += 1;
    } else tally.coldStarts += 1;
  }

  /** An AWS API request a function made through the gateway. */
  apiRequest(target: string): void {
    this.apiRequests.set(target, (this.apiRequests.get(target) ?? 0) + 1);
  }

  /** Requests of `target`'s operations, by operation name (`PutItem`), for targets starting with `prefix`. */
  requestsOf(prefix: string): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const [target, count] of this.apiRequests) {
      if (target.startsWith(`${prefix}.`)) counts[target.slice(prefix.length + 1)] = count;
    }
    return counts;
  }

  private functionTally(functionName: string): FunctionTally {
    let tally = this.functions.get(functionName);
    if (tally === undefined) {
      tally = { invocations: 0, records: 0, billedMs: 0, warmMs: 0, warmInvocations: 0, coldStarts: 0, failedRecords: 0 };
      this.functions.set(functionName, tally);
    }
    return tally;
  }
}
