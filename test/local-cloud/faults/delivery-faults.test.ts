import { describe, expect, it } from 'vitest';
import { AwsServiceError } from '#cloud/aws-error';
import type { SqsSendPort } from '#cloud/events/target-delivery';
import { withDeliveryFaults } from '#cloud/faults/delivery-faults';
import { FaultInjector } from '#cloud/faults/fault-injector';

type Send = Parameters<SqsSendPort['sendMessage']>[0];

/** An SQS port that records each send. */
function recordingPort(): SqsSendPort & { sent: Send[] } {
  const sent: Send[] = [];
  return { sent, sendMessage: async (input) => sent.push(input) };
}

const isTarget = (queueName: string) => queueName === 'target-queue';

describe('withDeliveryFaults', () => {
  it('unreachableTarget: refuses a send to a target queue with a retriable ServiceUnavailable', async () => {
    // Prepare
    const port = recordingPort();
    const faulty = withDeliveryFaults(port, new FaultInjector({ seed: 1, spec: { unreachableTarget: { probability: 1 } } }), isTarget);
    // Act
    const sending = faulty.sendMessage({ QueueUrl: 'target-queue', MessageBody: 'event' });
    // Assess
    await expect(sending).rejects.toThrow(AwsServiceError);
    await expect(sending).rejects.toMatchObject({ code: 'ServiceUnavailable', statusCode: 503 });
    expect(port.sent).toHaveLength(0);
  });

  it('leaves sends to a target DLQ alone, so an undeliverable event is still parked', async () => {
    // Prepare
    const port = recordingPort();
    const faulty = withDeliveryFaults(port, new FaultInjector({ seed: 1, spec: { unreachableTarget: { probability: 1 }, duplicate: { probability: 1 } } }), isTarget);
    // Act
    await faulty.sendMessage({ QueueUrl: 'target-dlq', MessageBody: 'event' });
    // Assess
    expect(port.sent).toEqual([{ QueueUrl: 'target-dlq', MessageBody: 'event' }]);
  });

  it('duplicate: sends the same body twice', async () => {
    // Prepare
    const port = recordingPort();
    const faulty = withDeliveryFaults(port, new FaultInjector({ seed: 1, spec: { duplicate: { probability: 1 } } }), isTarget);
    // Act
    await faulty.sendMessage({ QueueUrl: 'http://127.0.0.1:4566/000000000000/target-queue', MessageBody: 'event' });
    // Assess
    expect(port.sent.map((send) => send.MessageBody)).toEqual(['event', 'event']);
  });

  it('delay: holds sends for random times, so they arrive out of order', async () => {
    // Prepare
    const port = recordingPort();
    const faulty = withDeliveryFaults(port, new FaultInjector({ seed: 4, spec: { delay: { maxDelayMs: 60 } } }), isTarget);
    const bodies = Array.from({ length: 12 }, (_, index) => `event-${index}`);
    // Act
    await Promise.all(bodies.map((body) => faulty.sendMessage({ QueueUrl: 'target-queue', MessageBody: body })));
    // Assess
    const arrived = port.sent.map((send) => send.MessageBody);
    expect([...arrived].sort()).toEqual([...bodies].sort());
    expect(arrived).not.toEqual(bodies);
  });
});
