/**
 * The `anything-but` operator. It matches every present value except those it names, whatever
 * their type: `{"anything-but": "x"}` matches `5`, `null` and `"y"`, never a missing field.
 * The operand is a string, a number, a list of all strings or all numbers, or an object
 * applying `prefix`, `suffix`, `equals-ignore-case` or `wildcard` to a string or list of strings.
 *
 * @see https://github.com/aws/event-ruler#anything-but-matching
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { compileIgnoreCase } from './ignore-case.ts';
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import { definedKeys, isPlainObject } from './json.ts';
import type { ValuePredicate } from './types.ts';
import { compileWildcard } from './wildcard.ts';

/** A test on the strings an `anything-but` object names: true for a string it excludes. */
type StringTestFactory = (operand: string, where: string) => (value: string) => boolean;

/** What `anything-but` can be applied to: what each operator excludes and its type error. */
interface StringOperator {
  readonly excludes: StringTestFactory;
  readonly notAString: string;
}

/** A Map, not an object literal, so that `toString` or `constructor` are not operators. */
const STRING_OPERATORS: ReadonlyMap<string, StringOperator> = new Map([
  ['prefix', {
    excludes: (prefix, where) => {
      requireNonEmpty(prefix, where);
      return (value) => value.startsWith(prefix);
    },
    notAString: 'prefix/suffix match pattern must be a string',
  }],
  ['suffix', {
    excludes: (suffix, where) => {
      requireNonEmpty(suffix, where);
      return (value) => value.endsWith(suffix);
    },
    notAString: 'prefix/suffix match pattern must be a string',
  }],
  ['equals-ignore-case', {
    excludes: (text) => compileIgnoreCase(text, 'whole'),
    notAString: 'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
  }],
  ['wildcard', {
    excludes: (pattern, where) => compileWildcard(pattern, where),
    notAString: 'wildcard match pattern must be a string',
  }],
]);

const BAD_OPERAND = 'Value of anything-but must be an array or single string/number value.';
const MIXED_LIST = 'Inside anything but list, either all values are number or string, mixed type is not supported';

/**
 * Compiles the operand of `anything-but`.
 * @throws InvalidEventPatternError when the operand has a type or operator event-ruler rejects.
 */
export function compileAnythingBut(operand: unknown, where: string): ValuePredicate {
  if (isPlainObject(operand)) {
    return compileAnythingButOperator(operand, where);
  }
  if (Array.isArray(operand)) {
    return excludeValues(listOfValues(operand, where));
  }
  if (typeof operand === 'string' || typeof operand === 'number') {
    return excludeValues([requireComparable(operand, where)]);
  }
  throw new InvalidEventPatternError(BAD_OPERAND, { path: where });
}

/** `{"anything-but": {"prefix": …}}` and its siblings. */
function compileAnythingButOperator(operand: Readonly<Record<string, unknown>>, where: string): ValuePredicate {
  const [name, ...extra] = definedKeys(operand);
  if (name === undefined) {
    throw new InvalidEventPatternError('Anything-But expression name not found', { path: where });
  }
  const operator = STRING_OPERATORS.get(name);
  if (operator === undefined) {
    throw new InvalidEventPatternError(`Unsupported anything-but pattern: ${name}`, { path: where });
  }
  const at = `${where}.${name}`;
  const texts = operatorStrings(operand[name], operator.notAString, at);
  if (extra.length > 0) {
    throw new InvalidEventPatternError('Only one key allowed in match expression', { path: where });
  }
  const excluded = texts.map((text) => operator.excludes(text, at));
  // Only strings can be excluded: a number, boolean or null is "anything but" a string pattern.
  return (value) => typeof value !== 'string' || !excluded.some((excludes) => excludes(value));
}

function operatorStrings(operand: unknown, notAString: string, where: string): readonly string[] {
  const values = Array.isArray(operand) ? operand : [operand];
  if (!Array.isArray(operand) && typeof operand !== 'string' && typeof operand !== 'number') {
    throw new InvalidEventPatternError(BAD_OPERAND, { path: where });
  }
  if (values.length === 0) {
    // event-ruler accepts an empty list here but then fails on every event; refuse it up front.
    throw new InvalidEventPatternError('Empty arrays are not allowed', { path: where });
  }
  return values.map((value, index) => {
    if (typeof value !== 'string') {
      throw new InvalidEventPatternError(notAString, { path: Array.isArray(operand) ? `${where}[${index}]` : where });
    }
    return value;
  });
}

function listOfValues(list: readonly unknown[], where: string): readonly (string | number)[] {
  const values = list.map((value, index) => {
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new InvalidEventPatternError('Inside anything but list, start|null|boolean is not supported.', { path: `${where}[${index}]` });
    }
    return requireComparable(value, where);
  });
  const strings = values.filter((value) => typeof value === 'string').length;
  // An empty list has neither all strings nor all numbers: event-ruler words it the same way.
  if (values.length === 0 || (strings !== 0 && strings !== values.length)) {
    throw new InvalidEventPatternError(MIXED_LIST, { path: where });
  }
  return values;
}

function excludeValues(values: readonly (string | number)[]): ValuePredicate {
  // A Set compares by type and value, so the string "5" never excludes the number 5.
  const excluded = new Set<unknown>(values);
  return (value) => !excluded.has(value);
}

function requireComparable<T extends string | number>(value: T, where: string): T {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InvalidEventPatternError(`Cannot compare number : ${value}`, { path: where });
  }
  return value;
}

function requireNonEmpty(text: string, where: string): void {
  if (text === '') {
    throw new InvalidEventPatternError('Null prefix/suffix not allowed', { path: where });
  }
}
