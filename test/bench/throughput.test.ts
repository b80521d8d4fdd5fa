import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { measureRates, type LoadOptions, type LoadSubject } from '../../bench/throughput.ts';

/** Options that end each round on the operation ceiling, long before its time is up. */
function boundedLoad(overrides: Partial<LoadOptions> = {}): LoadOptions {
  return { concurrency: 8, warmupMs: 0, roundMs: 60_000, rounds: 3, maxOperationsPerRound: 200, ...overrides };
}

/** A subject whose operations finish on a later turn of the event loop and record what ran. */
function aRecordingSubject(itemsPerOperation: number) {
  const calls: string[] = [];
  let operations = 0;
  const subject: LoadSubject = {
    async operation() {
      operations += 1;
      await nextTurn();
      return itemsPerOperation;
    },
    async settle() {
      calls.push('settle');
    },
    async reset() {
      calls.push('reset');
    },
  };
  return { subject, calls, operations: () => operations };
}

describe('measureRates', () => {
  it('counts the items of every concurrent operation', async () => {
    // Prepare
    const { subject } = aRecordingSubject(3);
    const started = performance.now();

    // Act
    const { only } = await measureRates({ only: subject }, boundedLoad({ rounds: 1 }));
    const elapsedSeconds = (performance.now() - started) / 1000;

    // Assess: 200 operations of 3 items in at most the elapsed time.
    expect(only.perSecond * elapsedSeconds).toBeGreaterThanOrEqual(600);
    expect(only.rounds).toHaveLength(1);
  });

  it('stops a round at the operation ceiling', async () => {
    // Prepare
    const { subject, operations } = aRecordingSubject(1);

    // Act
    await measureRates({ only: subject }, boundedLoad({ rounds: 2 }));

    // Assess: two rounds of 200, the zero-length warm-up starts none.
    expect(operations()).toBe(400);
  });

  it('alternates the subjects round by round, settling each round and resetting after it', async () => {
    // Prepare
    const order: string[] = [];
    const named = (name: string): LoadSubject => ({
      async operation() {
        await nextTurn();
        return 1;
      },
      async settle() {
        order.push(`${name} settle`);
      },
      async reset() {
        order.push(`${name} reset`);
      },
    });

    // Act
    const rates = await measureRates({ local: named('local'), noop: named('noop') }, boundedLoad({ rounds: 2, maxOperationsPerRound: 10 }));

    // Assess: warm-ups, then rounds alternating.
    expect(order).toEqual([
      'local settle', 'local reset', 'noop settle', 'noop reset',
      'local settle', 'local reset', 'noop settle', 'noop reset',
      'local settle', 'local reset', 'noop settle', 'noop reset',
    ]);
    expect(Object.keys(rates)).toEqual(['local', 'noop']);
  });
});
