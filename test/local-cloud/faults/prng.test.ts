import { describe, expect, it } from 'vitest';
import { SeededRandom } from '#cloud/faults/prng';

describe('SeededRandom', () => {
  it('repeats the same sequence for the same seed', () => {
    // Prepare
    const first = new SeededRandom(42);
    const second = new SeededRandom(42);
    // Act
    const a = Array.from({ length: 100 }, () => first.next());
    const b = Array.from({ length: 100 }, () => second.next());
    // Assess
    expect(a).toEqual(b);
  });

  it('gives a different sequence for another seed', () => {
    // Prepare
    const one = new SeededRandom(1);
    const seven = new SeededRandom(7);
    // Act
    const a = Array.from({ length: 10 }, () => one.next());
    const b = Array.from({ length: 10 }, () => seven.next());
    // Assess
    expect(a).not.toEqual(b);
  });

  it('draws uniformly in [0, 1): chance(p) strikes about p of the time', () => {
    // Prepare
    const random = new SeededRandom(2024);
    // Act
    const draws = Array.from({ length: 20_000 }, () => random.next());
    const strikes = Array.from({ length: 20_000 }, () => random.chance(0.25)).filter(Boolean).length;
    // Assess
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    expect(strikes / 20_000).toBeCloseTo(0.25, 1);
  });

  it('does not draw for a probability of 0, so a disabled fault leaves the sequence alone', () => {
    // Prepare
    const random = new SeededRandom(5);
    const reference = new SeededRandom(5);
    // Act
    random.chance(0);
    // Assess
    expect(random.next()).toBe(reference.next());
  });

  it.each([-1, 1.5, 2 ** 32, Number.NaN])('refuses seed %s', (seed) => {
    expect(() => new SeededRandom(seed)).toThrow(RangeError);
  });
});
