/** Duplicated, delayed and undeliverable events, through the real local cloud: every invariant still holds. */
import { describe, expect, it } from 'vitest';
import { expectAllInvariantsHold, SOAK_TEST_TIMEOUT_MS, soakUnder } from './soak-support.ts';

describe('a soak under delivery faults', () => {
  it('duplicate: events delivered twice and messages redelivered after processing change nothing twice', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Act
    const report = await soakUnder({ duplicate: { probability: 0.2 } }, { orders: 40, seed: 7 });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.injected.duplicate).toBeGreaterThan(20);
    expect(report.eventCounts.get('OrderPlaced')).toBe(40);
    expect(report.deliveries.delivered).toBeGreaterThan(0);
  });

  it('delay: deliveries held up to 300 ms arrive out of order, and status only moves forward', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Act
    const report = await soakUnder({ delay: { maxDelayMs: 300 } }, { orders: 40, seed: 8 });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.injected.delay).toBeGreaterThan(100);
  });

  it('unreachableTarget: events EventBridge cannot deliver go to the target DLQ with their cause, and the redrive completes the orders', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Act: the notify-customer queue refuses every send until the faults are cleared.
    const report = await soakUnder({ unreachableTarget: { probability: 1, targets: ['notify-customer'] } }, { orders: 30, seed: 9 });
    // Assess
    expectAllInvariantsHold(report);
    expect(report.settledBeforeRedrive).toBe(0);
    const parked = report.deadLettersBeforeRedrive.filter((letter) => letter.kind === 'target');
    expect(parked.length).toBeGreaterThanOrEqual(30);
    expect(parked.every((letter) => letter.queueName.includes('NotifyCustomerTargetDeadLetterQueue'))).toBe(true);
    expect(parked[0]?.attributes).toMatchObject({ ERROR_CODE: 'ServiceUnavailable', EXHAUSTED_RETRY_CONDITION: 'MaximumRetryAttempts', RETRY_ATTEMPTS: '8' });
    expect([...report.redriven].find(([queue]) => queue.includes('NotifyCustomerTargetDeadLetterQueue'))?.[1]).toBe(parked.length);
  });
});
