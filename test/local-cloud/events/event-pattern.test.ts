import { describe, expect, it } from 'vitest';
import { compileEventPattern, InvalidEventPatternError, matchesEventPattern } from '#cloud/events/event-pattern';
import type { InvalidPatternCase, MatchCase } from './event-pattern-cases/corpus.ts';
import { emulatorGapCases } from './event-pattern-cases/emulator-gap-cases.ts';
import { anythingButCases, cidrCases, numericCases } from './event-pattern-cases/exclusion-and-range-cases.ts';
import { cidrErrorCases, numericErrorCases, operatorErrorCases, orErrorCases, structureErrorCases } from './event-pattern-cases/invalid-pattern-cases.ts';
import { equalsIgnoreCaseCases, prefixSuffixCases, wildcardCases } from './event-pattern-cases/string-operator-cases.ts';
import { arrayConsistencyCases, existsCases, fieldPathCases, orCases } from './event-pattern-cases/structure-cases.ts';
import { exactValueCases, nullAndEmptyCases, typeCases, valueArrayCases } from './event-pattern-cases/value-cases.ts';

const matchGroups: readonly (readonly [string, readonly MatchCase[]])[] = [
  ['exact values', exactValueCases],
  ['JSON types', typeCases],
  ['null and empty strings', nullAndEmptyCases],
  ['arrays of values', valueArrayCases],
  ['prefix and suffix', prefixSuffixCases],
  ['equals-ignore-case', equalsIgnoreCaseCases],
  ['wildcard', wildcardCases],
  ['anything-but', anythingButCases],
  ['numeric', numericCases],
  ['cidr and IP literals', cidrCases],
  ['exists', existsCases],
  ['$or', orCases],
  ['array consistency', arrayConsistencyCases],
  ['field paths', fieldPathCases],
  ['known emulator gaps', emulatorGapCases],
];

const invalidGroups: readonly (readonly [string, readonly InvalidPatternCase[]])[] = [
  ['structure', structureErrorCases],
  ['operators', operatorErrorCases],
  ['numeric', numericErrorCases],
  ['cidr', cidrErrorCases],
  ['$or', orErrorCases],
];

describe('event pattern matching', () => {
  describe.each(matchGroups)('%s', (_group, cases) => {
    it.each(cases)('$name', ({ pattern, event, expected }) => {
      // Prepare
      const compiled = compileEventPattern(pattern);

      // Act
      const matched = compiled.matches(event);

      // Assess
      expect(matched).toBe(expected);
    });
  });
});

describe('invalid event patterns', () => {
  describe.each(invalidGroups)('%s', (_group, cases) => {
    it.each(cases)('$name', ({ pattern, reason }) => {
      // Act
      const compile = (): unknown => compileEventPattern(pattern as string | object);

      // Assess
      expect(compile).toThrowError(InvalidEventPatternError);
      expect(compile).toThrowError(reason);
    });
  });
});

describe('the corpus', () => {
  const allMatchCases = matchGroups.flatMap(([, cases]) => cases);
  const allInvalidCases = invalidGroups.flatMap(([, cases]) => cases);

  it('has at least 170 match cases, positive and negative', () => {
    expect(allMatchCases.length).toBeGreaterThanOrEqual(170);
    expect(allMatchCases.some((testCase) => testCase.expected)).toBe(true);
    expect(allMatchCases.some((testCase) => !testCase.expected)).toBe(true);
  });

  it('gives every case a unique name and a source', () => {
    const names = [...allMatchCases, ...allInvalidCases].map((testCase) => testCase.name);
    expect(new Set(names).size).toBe(names.length);
    for (const testCase of [...allMatchCases, ...allInvalidCases]) {
      expect(testCase.source).toMatch(/^https:\/\/(docs\.aws\.amazon\.com|github\.com\/aws\/event-ruler)/);
    }
  });
});

describe('InvalidEventPatternError', () => {
  it('carries the AWS code, the reason and where the problem is', () => {
    // Act
    const error = captureError(() => compileEventPattern({ detail: { count: [{ numeric: ['>', 10, '<', 1] }] } }));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect(error).toMatchObject({
      name: 'InvalidEventPatternError',
      code: 'InvalidEventPatternException',
      reason: 'Bottom must be less than top',
      path: 'detail.count[0].numeric',
      message: 'Event pattern is not valid. Reason: Bottom must be less than top at detail.count[0].numeric',
    });
  });

  it('keeps the JSON parser error as its cause', () => {
    // Act
    const error = captureError(() => compileEventPattern('{"source": ['));

    // Assess
    expect(error).toBeInstanceOf(InvalidEventPatternError);
    expect((error as Error).cause).toBeInstanceOf(SyntaxError);
  });
});

describe('compiled patterns', () => {
  it('are reusable across many events', () => {
    // Prepare
    const pattern = compileEventPattern({ source: ['com.example.orders'], detail: { total: [{ numeric: ['>', 100] }] } });
    const events = [50, 150, 99, 101].map((total) => ({ source: 'com.example.orders', detail: { total } }));

    // Act
    const results = events.map((event) => pattern.matches(event));

    // Assess
    expect(results).toEqual([false, true, false, true]);
  });

  it('do not match an event that is not a JSON object', () => {
    // Prepare
    const pattern = compileEventPattern({ source: [{ exists: false }] });

    // Act
    const results = [null, 'text', 42, [{ source: 'x' }]].map((event) => pattern.matches(event));

    // Assess
    expect(results).toEqual([false, false, false, false]);
  });

  it('treat an undefined property as a missing field, as JSON does', () => {
    // Act
    const matched = matchesEventPattern({ detail: { coupon: [{ exists: false }] } }, { detail: { coupon: undefined } });

    // Assess
    expect(matched).toBe(true);
  });

  it.each([
    ['the match is in the last element', { sku: [{ prefix: 'SKU-' }], status: ['backordered'] }, true],
    ['every element matches one field and none the other', { sku: [{ prefix: 'SKU-' }], status: ['cancelled'] }, false],
  ])('stay linear on large arrays of objects when %s', (_case, linePattern, expected) => {
    // Prepare
    const pattern = compileEventPattern({ detail: { lines: linePattern } });
    const lines = Array.from({ length: 20_000 }, (_, index) => ({ sku: `SKU-${index}`, status: index === 19_999 ? 'backordered' : 'reserved' }));

    // Act
    const started = performance.now();
    const matched = pattern.matches({ detail: { lines } });
    const elapsedMs = performance.now() - started;

    // Assess
    expect(matched).toBe(expected);
    expect(elapsedMs).toBeLessThan(1000);
  });
});

function captureError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}
