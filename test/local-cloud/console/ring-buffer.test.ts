import { describe, expect, it } from 'vitest';
import { RingBuffer } from '#cloud/console/ring-buffer';

describe('RingBuffer', () => {
  it('keeps the newest items, oldest first, and tells of each one pushed out', () => {
    // Prepare
    const evicted: number[] = [];
    const buffer = new RingBuffer<number>(3, (item) => evicted.push(item));

    // Act
    for (const item of [1, 2, 3, 4, 5]) buffer.push(item);

    // Assess
    expect(buffer.toArray()).toEqual([3, 4, 5]);
    expect(evicted).toEqual([1, 2]);
    expect(buffer.size).toBe(3);
  });

  it('removes the items a predicate holds for and keeps the order of the rest', () => {
    // Prepare
    const buffer = new RingBuffer<number>(4);
    for (const item of [1, 2, 3, 4, 5, 6]) buffer.push(item);

    // Act
    buffer.removeWhere((item) => item % 2 === 1);
    buffer.push(7);

    // Assess
    expect(buffer.toArray()).toEqual([4, 6, 7]);
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
