/** Throwing and crashing functions, through the real local cloud: every invariant still holds. */
import { describe, expect, it } from 'vitest';
import { aSeedStriking, expectAllInvariantsHold, recordsOf, SOAK_TEST_TIMEOUT_MS, soakUnder } from './soak-support.ts';

describe('a soak under function faults', () => {
  it('throw: batches that fail as a whole are retried after their visibility timeout, and every order settles', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Prepare
    const seed = aSeedStriking(0.03, { draws: 200, firstWithin: 3, atMost: 3 });
    // Act
    const report = await soakUnder({ throw: { probability: 0.03, targets: ['capture-payment', 'reserve-inventory'] } }, { orders: 40, seed });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.injected.throw).toBeGreaterThan(0);
    const failed = recordsOf(report, 'CapturePayment').failed + recordsOf(report, 'ReserveInventory').failed;
    const redelivered = recordsOf(report, 'CapturePayment').redelivered + recordsOf(report, 'ReserveInventory').redelivered;
    expect(failed).toBeGreaterThan(0);
    expect(redelivered).toBeGreaterThanOrEqual(failed);
  });

  it('crash: a worker dying after the handler wrote (before the delete) causes redeliveries, never a second effect', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Prepare
    const seed = aSeedStriking(0.03, { draws: 200, firstWithin: 3, atMost: 3 });
    // Act
    const report = await soakUnder({ crash: { probability: 0.03, targets: ['reserve-inventory', 'ship-order'] } }, { orders: 40, seed });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.injected.crash).toBeGreaterThan(0);
    const crashes = (recordsOf(report, 'ReserveInventory').invocationErrors['Runtime.ExitError'] ?? 0) + (recordsOf(report, 'ShipOrder').invocationErrors['Runtime.ExitError'] ?? 0);
    expect(crashes).toBe(report.injected.crash);
  });
});
