import { describe, expect, it } from 'vitest';
import { FaultInjector, appliesTo } from '#cloud/faults/fault-injector';

describe('FaultInjector', () => {
  it('makes the same decisions for the same seed', () => {
    // Prepare
    const decide = (injector: FaultInjector) => Array.from({ length: 200 }, (_, index) => injector.strikes('throw', `fn-${index % 3}`));
    // Act
    const first = decide(new FaultInjector({ seed: 11, spec: { throw: { probability: 0.3 } } }));
    const second = decide(new FaultInjector({ seed: 11, spec: { throw: { probability: 0.3 } } }));
    // Assess
    expect(first).toEqual(second);
    expect(first.filter(Boolean).length).toBeGreaterThan(30);
  });

  it('strikes only the targets named, and counts what it injected', () => {
    // Prepare
    const injector = new FaultInjector({ seed: 1, spec: { crash: { probability: 1, targets: ['capture-payment'] } } });
    // Act
    const onTarget = injector.strikes('crash', 'OrderPipeline-CapturePaymentFunctionB1BCB66E');
    const elsewhere = injector.strikes('crash', 'OrderPipeline-ShipOrderFunctionE83CA20D');
    // Assess
    expect([onTarget, elsewhere]).toEqual([true, false]);
    expect(injector.injected()).toMatchObject({ crash: 1, throw: 0 });
  });

  it('makes a target unreachable during its window after the faults were set, then reachable again', () => {
    // Prepare
    let now = 1_000;
    const injector = new FaultInjector({ seed: 1, spec: { unreachableTarget: { windowMs: 500 } }, now: () => now });
    // Act
    const during = injector.unreachable('queue');
    now += 600;
    const after = injector.unreachable('queue');
    // Assess
    expect([during, after]).toEqual([true, false]);
  });

  it('injects nothing once cleared, and again once set', () => {
    // Prepare
    const injector = new FaultInjector({ seed: 3, spec: { duplicate: { probability: 1 }, delay: { maxDelayMs: 50 } } });
    // Act
    injector.clear();
    const cleared = [injector.strikes('duplicate', 'q'), injector.delayMs('q')];
    injector.set({ duplicate: { probability: 1 } });
    // Assess
    expect(cleared).toEqual([false, 0]);
    expect(injector.spec).toEqual({ duplicate: { probability: 1 } });
    expect(injector.strikes('duplicate', 'q')).toBe(true);
  });

  it('delays by at most the maximum', () => {
    // Prepare
    const injector = new FaultInjector({ seed: 8, spec: { delay: { maxDelayMs: 20 } } });
    // Act
    const delays = Array.from({ length: 500 }, () => injector.delayMs('q'));
    // Assess
    expect(Math.max(...delays)).toBeLessThanOrEqual(20);
    expect(new Set(delays).size).toBeGreaterThan(10);
  });
});

describe('appliesTo', () => {
  it.each([
    [undefined, 'anything', true],
    [['capture-payment'], 'OrderPipeline-CapturePaymentQueueAE8481DB', true],
    [['CAPTURE_PAYMENT'], 'OrderPipeline-CapturePaymentFunctionB1BCB66E', true],
    [['ship-order', 'notify'], 'OrderPipeline-NotifyCustomerQueue4782B876', true],
    [['ship-order'], 'OrderPipeline-CapturePaymentQueueAE8481DB', false],
  ])('targets %j match %s: %s', (targets, name, expected) => {
    expect(appliesTo(targets === undefined ? {} : { targets }, [name])).toBe(expected);
  });
});
