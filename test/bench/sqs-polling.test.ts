import { describe, expect, it } from 'vitest';
import { batchShape, emptyReceivesPerSecond, type PollingBehaviour } from '../../bench/sqs-polling.ts';

/** Five pollers, 20 s long polls, a 10 ms receive turnaround. */
const POLLING: PollingBehaviour = { pollers: 5, longPollSeconds: 20, receiveTurnaroundSeconds: 0.01 };

describe('batchShape without a batching window', () => {
  it('hands over one message per receive and per invocation when messages are rare', () => {
    // Act
    const shape = batchShape({ batchSize: 10, batchingWindowSeconds: 0 }, 0.5, 0.02, POLLING);

    // Assess: 0.1 a second per poller: 1 + 0.1 x 0.01 over 1 - 0.1 x 0.02.
    expect(shape.recordsPerBatch).toBeCloseTo(1.001 / 0.998, 9);
    expect(shape.receivesPerBatch).toBe(1);
    expect(shape.deletesPerBatch).toBe(1);
  });

  it('gathers what arrived while the poller was busy', () => {
    // Act: 10 a second per poller, 50 ms a record.
    const shape = batchShape({ batchSize: 10, batchingWindowSeconds: 0 }, 50, 0.05, POLLING);

    // Assess: f = (1 + 10 x 0.01) / (1 - 10 x 0.05) = 2.2, in one receive.
    expect(shape.recordsPerBatch).toBeCloseTo(2.2, 9);
    expect(shape.receivesPerBatch).toBe(1);
    expect(shape.deletesPerBatch).toBe(1);
  });

  it('fills to 10, the most one receive returns, once the poller cannot keep up', () => {
    // Act: 10 a second per poller at 200 ms a record; a batch size of 100 has no window to fill it.
    const shape = batchShape({ batchSize: 100, batchingWindowSeconds: 0 }, 50, 0.2, POLLING);

    // Assess
    expect(shape).toEqual({ recordsPerBatch: 10, receivesPerBatch: 1, deletesPerBatch: 1 });
  });

  it('stops at the batch size', () => {
    expect(batchShape({ batchSize: 3, batchingWindowSeconds: 0 }, 50, 0.2, POLLING).recordsPerBatch).toBe(3);
  });
});

describe('batchShape with a batching window', () => {
  it('gathers the first record and those arriving within the window, one receive each when they trickle in', () => {
    // Act: 2 a second per poller, a 1 s window.
    const shape = batchShape({ batchSize: 100, batchingWindowSeconds: 1 }, 10, 0.01, POLLING);

    // Assess: 3 records, each receive returning 1 + 2 x 0.01 of them; one delete.
    expect(shape.recordsPerBatch).toBeCloseTo(3, 9);
    expect(shape.receivesPerBatch).toBeCloseTo(3 / 1.02, 9);
    expect(shape.deletesPerBatch).toBe(1);
  });

  it('fills the batch size at a high rate, 10 messages a receive and a delete', () => {
    // Act: 2,000 a second per poller.
    const shape = batchShape({ batchSize: 100, batchingWindowSeconds: 1 }, 10_000, 0.01, POLLING);

    // Assess
    expect(shape).toEqual({ recordsPerBatch: 100, receivesPerBatch: 10, deletesPerBatch: 10 });
  });
});

describe('emptyReceivesPerSecond', () => {
  it('is one long poll per poller per wait on an idle queue', () => {
    expect(emptyReceivesPerSecond(0, POLLING)).toBeCloseTo(5 / 20, 12);
  });

  it('counts the polls that end before a message reaches their poller', () => {
    // Act: 0.05 a second per poller: a 20 s poll is empty with probability e^-1.
    const empty = emptyReceivesPerSecond(0.25, POLLING);

    // Assess
    expect(empty).toBeCloseTo((5 * 0.05 * Math.exp(-1)) / (1 - Math.exp(-1)), 12);
  });

  it('falls with the rate, from the idle figure towards none', () => {
    // Act
    const rates = [0, 1e-6, 0.1, 1, 10, 100].map((rate) => emptyReceivesPerSecond(rate, POLLING));

    // Assess
    expect(rates[1]).toBeCloseTo(rates[0] as number, 6);
    for (let index = 1; index < rates.length; index += 1) expect(rates[index]).toBeLessThan(rates[index - 1] as number);
    expect(rates.at(-1)).toBeLessThan(1e-100);
  });
});
