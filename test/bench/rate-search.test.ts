import { describe, expect, it } from 'vitest';
import { highestSustained, judgeStep, nextRate, type RateTried, type StepObservation } from '../../bench/rate-search.ts';

const SEARCH = { start: 10, max: 320, relativeResolution: 0.2, maxSteps: 6 };

function tried(...steps: [number, boolean][]): RateTried[] {
  return steps.map(([rate, sustained]) => ({ rate, sustained }));
}

describe('nextRate', () => {
  it.each([
    { history: tried(), expected: 10, why: 'starts at the start rate' },
    { history: tried([10, true]), expected: 20, why: 'doubles while sustained' },
    { history: tried([10, true], [20, true]), expected: 40, why: 'doubles again' },
    { history: tried([10, true], [20, true], [40, false]), expected: 30, why: 'bisects after the first failure' },
    { history: tried([10, true], [20, true], [40, false], [30, true]), expected: 35, why: 'bisects towards the failure' },
    { history: tried([10, true], [20, true], [40, false], [30, false]), expected: 25, why: 'bisects towards the success' },
    { history: tried([10, true], [20, true], [40, false], [30, true], [35, true]), expected: undefined, why: 'stops within the resolution (40 - 35 <= 0.2 x 35)' },
    { history: tried([10, false]), expected: 5, why: 'halves while nothing is sustained' },
    { history: tried([10, false], [5, false], [2, false], [1, false]), expected: undefined, why: 'gives up below 1 order/s' },
    { history: tried([320, true]), expected: undefined, why: 'stops at the highest rate worth trying' },
    { history: tried([200, true]), expected: 320, why: 'does not double past the maximum' },
  ])('$why', ({ history, expected }) => {
    expect(nextRate(history, SEARCH)).toBe(expected);
  });

  it('stops after the most steps allowed', () => {
    expect(nextRate(tried([10, true], [20, true]), { ...SEARCH, maxSteps: 2 })).toBeUndefined();
  });
});

describe('highestSustained', () => {
  it('is the highest sustained rate, whatever failed in between', () => {
    expect(highestSustained(tried([10, true], [40, false], [25, true], [30, false]))).toBe(25);
  });

  it('is undefined when nothing was sustained', () => {
    expect(highestSustained(tried([10, false]))).toBeUndefined();
  });
});

describe('judgeStep', () => {
  function aStep(overrides: Partial<StepObservation> = {}): StepObservation {
    // 81 orders over 8 s: 10 orders/s, all settled in time with a p99 of about 1 s.
    return { targetRate: 10, placed: 81, accepted: 81, arrivalSeconds: 8, settledInGrace: 81, latenciesMs: Array.from({ length: 81 }, (_, index) => 200 + index * 10), ...overrides };
  }

  it('sustains a step that kept up', () => {
    // Act
    const verdict = judgeStep(aStep());

    // Assess
    expect(verdict).toMatchObject({ sustained: true, reason: 'ok', arrivalRate: 10 });
    expect(verdict.p99Ms).toBeCloseTo(992, 6);
  });

  it.each([
    { why: 'an order was refused', overrides: { accepted: 80 }, reason: /not accepted/ },
    { why: 'the API throttled POSTs that got in on a later try', overrides: { throttled: 3 }, reason: /3 POSTs throttled \(429\)/ },
    { why: 'the client fell behind the rate', overrides: { arrivalSeconds: 10 }, reason: /placed only 8.0 of 10/ },
    { why: 'a backlog remained after the grace time', overrides: { settledInGrace: 70 }, reason: /backlog: 11 orders/ },
    { why: 'p99 is above the bound', overrides: { latenciesMs: [100, 3000] }, reason: /p99 2971 ms/ },
    { why: 'nothing settled', overrides: { latenciesMs: [] }, reason: /p99 -/ },
    { why: 'the step was abandoned', overrides: { abandonedBecause: 'abandoned after 30 orders' }, reason: /abandoned/ },
  ])('does not sustain a step where $why', ({ overrides, reason }) => {
    // Act
    const verdict = judgeStep(aStep(overrides));

    // Assess
    expect(verdict.sustained).toBe(false);
    expect(verdict.reason).toMatch(reason);
  });

  it('takes the p99 bound it is given', () => {
    expect(judgeStep(aStep(), { maxP99Ms: 500 }).sustained).toBe(false);
  });
});
