/** A stage's token buckets: the burst limit is the bucket's size, the rate limit its refill per second. */
import { describe, expect, it } from 'vitest';
import { StageThrottle } from '#cloud/http-api/throttling';

describe('stage throttling', () => {
  it('lets a burst through up to the burst limit, then one request per 1/rate seconds as tokens come back', () => {
    // Prepare
    let now = 0;
    const throttle = new StageThrottle({ defaultRoute: { rateLimit: 10, burstLimit: 3 } }, () => now);
    // Act
    const burst = Array.from({ length: 4 }, () => throttle.allows('GET /orders'));
    now += 100;
    const afterOneRefill = [throttle.allows('GET /orders'), throttle.allows('GET /orders')];
    now += 10_000;
    const afterALongPause = Array.from({ length: 4 }, () => throttle.allows('GET /orders'));
    // Assess
    expect(burst).toEqual([true, true, true, false]);
    expect(afterOneRefill).toEqual([true, false]);
    expect(afterALongPause).toEqual([true, true, true, false]);
  });

  it("gives each route a bucket of its own, with its RouteSettings over the stage's default, and throttles nothing without settings", () => {
    // Prepare
    const throttle = new StageThrottle({ defaultRoute: { rateLimit: 1, burstLimit: 1 }, routes: { 'POST /orders': { rateLimit: 0, burstLimit: 0 } } }, () => 0);
    const unthrottled = new StageThrottle({}, () => 0);
    // Act
    const decisions = [throttle.allows('GET /orders'), throttle.allows('GET /orders/{id}'), throttle.allows('POST /orders')];
    // Assess
    expect(decisions).toEqual([true, true, false]);
    expect(Array.from({ length: 100 }, () => unthrottled.allows('GET /orders')).every(Boolean)).toBe(true);
  });
});
