import { describe, expect, it } from 'vitest';
import type { SQSRecord } from 'aws-lambda';
import { UsageTally } from '../../bench/usage-tally.ts';

function records(count: number): SQSRecord[] {
  return Array.from({ length: count }, (_, index) => ({ messageId: `m${index}` }) as SQSRecord);
}

describe('UsageTally', () => {
  it('counts a receive per 10 records and a delete per 10 deleted', () => {
    // Prepare
    const tally = new UsageTally();

    // Act
    tally.batch('fn', { records: records(12), deleted: records(11).map((record) => record.messageId), failed: ['m11'], durationMs: 10.2 });
    tally.batch('fn', { records: records(1), deleted: [], failed: ['m0'], durationMs: 3 });

    // Assess
    expect(tally.sqsReceives).toBe(3);
    expect(tally.sqsDeletes).toBe(2);
    expect(tally.functions.get('fn')).toMatchObject({ invocations: 2, records: 13, billedMs: 11 + 3, failedRecords: 2 });
  });

  it('bills a cold start its init and keeps it out of the warm time', () => {
    // Prepare
    const tally = new UsageTally();

    // Act
    tally.invocation('fn', 1, 20.5, 100);
    tally.invocation('fn', 1, 4);

    // Assess
    expect(tally.functions.get('fn')).toMatchObject({ billedMs: 121 + 4, warmMs: 4, warmInvocations: 1, coldStarts: 1 });
  });

  it('counts an event per 64 KB chunk of its entry', () => {
    // Prepare
    const tally = new UsageTally();

    // Act
    tally.event({ source: 's', 'detail-type': 'd', detail: { orderId: 'o' } }, 300);
    tally.event({ source: 's', 'detail-type': 'd', detail: { blob: 'x'.repeat(70_000) } }, 70_300);

    // Assess
    expect(tally.events).toBe(2);
    expect(tally.eventChunks).toBe(3);
    expect(tally.eventBytes).toBe(70_600);
  });

  it('groups the API requests of a service by operation', () => {
    // Prepare
    const tally = new UsageTally();

    // Act
    for (const target of ['DynamoDB_20120810.PutItem', 'DynamoDB_20120810.PutItem', 'DynamoDB_20120810.GetItem', 'AWSEvents.PutEvents']) tally.apiRequest(target);

    // Assess
    expect(tally.requestsOf('DynamoDB_20120810')).toEqual({ PutItem: 2, GetItem: 1 });
    expect(tally.requestsOf('AWSEvents')).toEqual({ PutEvents: 1 });
  });
});
