import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConsoleRecorder, InvocationOutcome, type FlowCorrelation } from '#cloud/console/recorder';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { SqsBatchOutcome } from '#cloud/lambda/sqs-event-source-mapping';
import { anSqsRecord } from '#test/support/factories';

const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:StepQueue';
const RULE_ARN = 'arn:aws:events:us-east-1:000000000000:rule/Bus/StepRule';
const correlation: FlowCorrelation = {
  idOfEvent: (event) => (event.detail as { flowId?: string }).flowId,
  isFinal: (event) => event['detail-type'] === 'Finished',
};

function anEvent(detailType: string, flowId: string, overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return { version: '0', id: `${detailType}-${flowId}`, 'detail-type': detailType, source: 'test', account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [], detail: { flowId }, ...overrides };
}

function aBatch(event: EventEnvelope, overrides: Partial<SqsBatchOutcome> = {}): SqsBatchOutcome {
  const record = { ...anSqsRecord(JSON.stringify(event)), eventSourceARN: QUEUE_ARN };
  return { records: [record], deleted: [record.messageId], failed: [], durationMs: 40, ...overrides };
}

function aLogLine(message: string, service: string, at = Date.now()): string {
  return JSON.stringify({ level: 'ERROR', message, timestamp: new Date(at).toISOString(), service });
}

describe('ConsoleRecorder', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("gathers a flow's events, deliveries and invocations into its trace, and times it to its final event", () => {
    // Prepare
    const recorder = new ConsoleRecorder({ correlation, deadLetterQueues: new Set() });
    const started = anEvent('Started', 'flow-1');

    // Act
    recorder.recordEvent(started, 1);
    recorder.recordDelivery({ eventId: started.id, eventTime: 0, ruleArn: RULE_ARN, targetArn: QUEUE_ARN, body: '' }, { status: 'delivered', attempts: 3 });
    recorder.recordBatch('StepFunction', aBatch(started, { codeVersion: 2 }));
    recorder.recordEvent(anEvent('Finished', 'flow-1'), 0);

    // Assess
    const trace = recorder.trace('flow-1');
    expect(trace?.events.map((event) => event.detailType)).toEqual(['Started', 'Finished']);
    expect(trace?.events[0]?.deliveries).toEqual([expect.objectContaining({ rule: 'StepRule', target: 'StepQueue', status: 'delivered', attempts: 3 })]);
    expect(trace?.invocations).toEqual([expect.objectContaining({ functionName: 'StepFunction', batchSize: 1, outcome: InvocationOutcome.ok, codeVersion: 2 })]);
    expect(trace?.finishedAt).toBeGreaterThanOrEqual(trace?.startedAt ?? Infinity);
    expect(recorder.edgeCounts()).toMatchObject({ 'matches|bus:Bus|rule:StepRule': 1, 'delivers|rule:StepRule|queue:StepQueue': 1, 'polls|queue:StepQueue|function:StepFunction': 1 });
  });

  it('gives a log line to the invocation of its function that ran when it was written, even when the line comes first', () => {
    // Prepare: the clock stands still, so the line (10 ms ago) falls inside the invocation (the
    // last 30 ms) however slowly the machine runs these statements.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-01-01T00:00:00Z') });
    const recorder = new ConsoleRecorder({ correlation, deadLetterQueues: new Set() });
    const started = anEvent('Started', 'flow-2');
    recorder.recordEvent(started, 1);

    // Act
    recorder.recordLogLine(aLogLine('record parked', 'step', Date.now() - 10));
    recorder.recordLogLine(aLogLine('from another function', 'other', Date.now() - 10));
    recorder.recordBatch('StepFunction', aBatch(started, { durationMs: 30 }));

    // Assess
    expect(recorder.trace('flow-2')?.invocations[0]?.logs.map((log) => log.message)).toEqual(['record parked']);
  });

  it('records what lands in a DLQ with its cause and flow, and nothing for other queues', () => {
    // Prepare
    const recorder = new ConsoleRecorder({ correlation, deadLetterQueues: new Set(['StepDLQ']) });
    const body = JSON.stringify(anEvent('Started', 'flow-3'));
    const message = { messageId: 'm-1', body, receiveCount: 1, messageAttributes: { errorName: { DataType: 'String', StringValue: 'ValidationError' }, errorMessage: { DataType: 'String', StringValue: 'bad' } } };

    // Act
    recorder.recordArrival({ queueName: 'StepQueue', message: message as never });
    recorder.recordArrival({ queueName: 'StepDLQ', message: message as never });

    // Assess
    expect(recorder.parkings()).toEqual([expect.objectContaining({ queue: 'StepDLQ', flowId: 'flow-3', cause: 'ValidationError: bad' })]);
  });

  it('forgets the oldest events beyond its limit', () => {
    // Prepare
    const recorder = new ConsoleRecorder({ correlation, deadLetterQueues: new Set(), limits: { events: 2 } });

    // Act
    for (const flowId of ['a', 'b', 'c']) recorder.recordEvent(anEvent('Started', flowId), 0);

    // Assess
    expect(recorder.events().map((event) => event.flowId)).toEqual(['b', 'c']);
    expect(recorder.event('Started-a')).toBeUndefined();
  });
});
