import { describe, expect, it } from 'vitest';
import { FaultSettingError } from '#cloud/faults/errors';
import { ALL_FAULTS, formatFaultSpec, parseFaultSpec } from '#cloud/faults/fault-spec';
import { parseSeed, resolveFaultSettings } from '#cloud/faults/fault-settings';

describe('parseFaultSpec', () => {
  it.each([
    ['', {}],
    ['none', {}],
    ['all', ALL_FAULTS],
    ['throw=0.05', { throw: { probability: 0.05 } }],
    ['crash=1', { crash: { probability: 1 } }],
    ['duplicate=.5', { duplicate: { probability: 0.5 } }],
    ['delay=200', { delay: { maxDelayMs: 200 } }],
    ['delay=2s', { delay: { maxDelayMs: 2000 } }],
    ['putEventsFailure=0.02@PaymentCaptured', { putEventsFailure: { probability: 0.02, targets: ['PaymentCaptured'] } }],
    ['unreachableTarget=0.05', { unreachableTarget: { probability: 0.05 } }],
    ['unreachableTarget=5s@notify-customer', { unreachableTarget: { windowMs: 5000, targets: ['notify-customer'] } }],
    ['throw=0.1@capture-payment+ship-order', { throw: { probability: 0.1, targets: ['capture-payment', 'ship-order'] } }],
    [' throw=0.05 , crash=0.02 ', { throw: { probability: 0.05 }, crash: { probability: 0.02 } }],
  ])('reads "%s"', (text, expected) => {
    expect(parseFaultSpec(text)).toEqual(expected);
  });

  it('lets an item after "all" override its kind', () => {
    expect(parseFaultSpec('all,throw=0.5')).toEqual({ ...ALL_FAULTS, throw: { probability: 0.5 } });
  });

  it.each([
    ['explode=0.1', 'unknown fault kind "explode"'],
    ['throw', 'expected "all" or kind=value'],
    ['throw=1.5', '"1.5" is not a probability from 0 to 1'],
    ['throw=-0.1', 'is not a probability'],
    ['throw=abc', 'is not a probability'],
    ['delay=fast', 'is not a duration'],
    ['delay=0', 'out of range'],
    ['unreachableTarget=5m', 'is not a duration'],
    ['throw=0.1,throw=0.2', 'throw is given twice'],
    ['throw=0.1@', 'target "" must be a name'],
    ['throw=0.1@a b', 'target "a b" must be a name'],
  ])('refuses "%s" saying %s', (text, message) => {
    // Act
    const read = () => parseFaultSpec(text);
    // Assess
    expect(read).toThrow(FaultSettingError);
    expect(read).toThrow(message);
  });

  it('formats a spec so that it reads back the same', () => {
    // Prepare
    const spec = parseFaultSpec('all,unreachableTarget=3s@reserve-inventory+ship-order');
    // Act
    const text = formatFaultSpec(spec);
    // Assess
    expect(parseFaultSpec(text)).toEqual(spec);
    expect(formatFaultSpec({})).toBe('none');
  });
});

describe('resolveFaultSettings', () => {
  it('takes the flags over the environment', () => {
    // Act
    const settings = resolveFaultSettings({ faults: 'crash=0.5', seed: '9' }, { LOCAL_CLOUD_FAULTS: 'all', LOCAL_CLOUD_SEED: '1' });
    // Assess
    expect(settings).toEqual({ faults: { crash: { probability: 0.5 } }, seed: 9 });
  });

  it('falls back to LOCAL_CLOUD_FAULTS and LOCAL_CLOUD_SEED, then to no faults and a random seed', () => {
    // Act
    const fromEnvironment = resolveFaultSettings({}, { LOCAL_CLOUD_FAULTS: 'throw=0.1', LOCAL_CLOUD_SEED: '77' });
    const defaults = resolveFaultSettings({}, {});
    // Assess
    expect(fromEnvironment).toEqual({ faults: { throw: { probability: 0.1 } }, seed: 77 });
    expect(defaults.faults).toEqual({});
    expect(Number.isInteger(defaults.seed)).toBe(true);
  });

  it.each(['-1', '1.5', 'seven', '4294967296'])('refuses seed "%s"', (text) => {
    expect(() => parseSeed(text)).toThrow('invalid seed');
  });
});
