import { describe, expect, it } from 'vitest';
import { LoadAverageSampler } from '../../bench/load-average.ts';

describe('LoadAverageSampler', () => {
  it('reports the load average at the start, at the end and the highest in between', () => {
    // Prepare
    const readings = [1.234, 9.5, 3, 2.001];
    const sampler = new LoadAverageSampler(2, () => readings.shift() ?? 0);

    // Act
    sampler.sample();
    sampler.sample();
    const figures = sampler.finish();

    // Assess
    expect(figures).toEqual({ start: 1.23, end: 2, max: 9.5, cores: 2 });
  });
});
