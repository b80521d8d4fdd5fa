import { describe, expect, it } from 'vitest';
import { mean, median, percentile, percentileOrNull } from '../../bench/statistics.ts';

describe('percentile', () => {
  it.each([
    { samples: [5], p: 99, expected: 5 },
    { samples: [3, 1, 2], p: 50, expected: 2 },
    { samples: [4, 1, 3, 2], p: 50, expected: 2.5 },
    { samples: [10, 20, 30, 40, 50], p: 0, expected: 10 },
    { samples: [10, 20, 30, 40, 50], p: 100, expected: 50 },
    { samples: [10, 20, 30, 40, 50], p: 95, expected: 48 },
    { samples: Array.from({ length: 101 }, (_, index) => 100 - index), p: 99, expected: 99 },
  ])('is $expected for p$p of $samples.length samples', ({ samples, p, expected }) => {
    expect(percentile(samples, p)).toBeCloseTo(expected, 10);
  });

  it('does not reorder the samples it is given', () => {
    // Prepare
    const samples = [3, 1, 2];

    // Act
    percentile(samples, 50);

    // Assess
    expect(samples).toEqual([3, 1, 2]);
  });

  it.each([
    { samples: [], p: 50 },
    { samples: [1], p: -1 },
    { samples: [1], p: 101 },
    { samples: [1], p: Number.NaN },
  ])('rejects p$p of $samples.length samples', ({ samples, p }) => {
    expect(() => percentile(samples, p)).toThrow(RangeError);
  });
});

describe('percentileOrNull', () => {
  it('is the percentile of samples, and null of none', () => {
    expect(percentileOrNull([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentileOrNull([], 99)).toBeNull();
  });
});

describe('median', () => {
  it('ignores one outlying round', () => {
    expect(median([1000, 1010, 990, 120, 1005])).toBe(1000);
  });
});

describe('mean', () => {
  it('is the sum of the samples over their count', () => {
    expect(mean([1, 2, 6])).toBeCloseTo(3, 10);
    expect(mean([0.9, 0.6])).toBeCloseTo(0.75, 10);
  });

  it('refuses no samples', () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});
