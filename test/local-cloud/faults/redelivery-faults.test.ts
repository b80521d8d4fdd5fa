import { describe, expect, it } from 'vitest';
import { FaultInjector } from '#cloud/faults/fault-injector';
import { withRedeliveryFaults, type Resend } from '#cloud/faults/redelivery-faults';
import type { SqsPollingPort } from '#cloud/lambda/sqs-polling-port';

const message = (id: string) => ({ MessageId: id, ReceiptHandle: `receipt-${id}`, Body: `body-${id}`, MessageAttributes: { errorName: { DataType: 'String', StringValue: 'X' } } });

/** A queue holding two messages; deletes fail for receipts listed in `refuse`. */
function fakeQueue(refuse: readonly string[] = []): SqsPollingPort {
  return {
    receiveMessage: async () => ({ Messages: [message('a'), message('b')] }),
    deleteMessageBatch: (input) => ({ Failed: input.Entries.filter((entry) => refuse.includes(entry.ReceiptHandle)).map((entry) => ({ Id: entry.Id, Code: 'ReceiptHandleIsInvalid' })) }),
  };
}

describe('withRedeliveryFaults', () => {
  it('duplicate: sends a processed message again after its delete, with its body and attributes', async () => {
    // Prepare
    const resent: Parameters<Resend>[0][] = [];
    const port = withRedeliveryFaults(fakeQueue(), new FaultInjector({ seed: 1, spec: { duplicate: { probability: 1 } } }), {
      queueUrl: 'http://local/000000000000/step-queue',
      names: ['step-queue', 'step-function'],
      resend: (input) => resent.push(input),
    });
    // Act
    await port.receiveMessage({ QueueUrl: 'step-queue' });
    await port.deleteMessageBatch({ QueueUrl: 'step-queue', Entries: [{ Id: '0', ReceiptHandle: 'receipt-a' }] });
    // Assess
    expect(resent).toEqual([{ QueueUrl: 'http://local/000000000000/step-queue', MessageBody: 'body-a', MessageAttributes: { errorName: { DataType: 'String', StringValue: 'X' } } }]);
  });

  it('does not resend a message whose delete failed (it will come back anyway)', async () => {
    // Prepare
    const resent: unknown[] = [];
    const port = withRedeliveryFaults(fakeQueue(['receipt-a']), new FaultInjector({ seed: 1, spec: { duplicate: { probability: 1 } } }), {
      queueUrl: 'step-queue',
      names: ['step-queue'],
      resend: (input) => resent.push(input),
    });
    // Act
    await port.receiveMessage({ QueueUrl: 'step-queue' });
    await port.deleteMessageBatch({ QueueUrl: 'step-queue', Entries: [{ Id: '0', ReceiptHandle: 'receipt-a' }, { Id: '1', ReceiptHandle: 'receipt-b' }] });
    // Assess
    expect(resent).toEqual([expect.objectContaining({ MessageBody: 'body-b' })]);
  });

  it('resends nothing without the fault', async () => {
    // Prepare
    const resent: unknown[] = [];
    const port = withRedeliveryFaults(fakeQueue(), new FaultInjector({ seed: 1, spec: { duplicate: { probability: 1, targets: ['other-queue'] } } }), {
      queueUrl: 'step-queue',
      names: ['step-queue'],
      resend: (input) => resent.push(input),
    });
    // Act
    await port.receiveMessage({ QueueUrl: 'step-queue' });
    await port.deleteMessageBatch({ QueueUrl: 'step-queue', Entries: [{ Id: '0', ReceiptHandle: 'receipt-a' }] });
    // Assess
    expect(resent).toEqual([]);
  });
});
