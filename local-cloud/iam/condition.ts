/**
 * A policy statement's `Condition` block, compiled once into a predicate over the request's
 * context keys. Operators are ANDed, so are the keys under one operator; the values of one key
 * are ORed (NORed for a negated operator). A key absent from the request fails a positive
 * operator and satisfies a negated one; `...IfExists` is satisfied by an absent key; `Null`
 * tests presence. `ForAnyValue:` and `ForAllValues:` compare a multivalued key value by value.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
 */
import { compileArnPattern } from '#cloud/iam/arn-pattern';
import { compileWildcard, type ValueMatcher } from '#cloud/iam/wildcard';

/** A context key's value in a request: one string, or several for a multivalued key. */
export type ContextValue = string | readonly string[];

/** Looks a context key up by its lower-cased name; undefined when the request lacks it. */
export type ContextLookup = (lowerCaseKey: string) => ContextValue | undefined;

/** A compiled condition block. */
export interface CompiledCondition {
  /** The (lower-cased) keys the block tests. */
  readonly keys: readonly string[];
  /** Whether the block holds for the request. */
  holds(context: ContextLookup): boolean;
  /** The (lower-cased) keys whose test failed for the request. */
  failedKeys(context: ContextLookup): string[];
}

/** A condition the local cloud does not evaluate; the policy is refused rather than misread. */
export class UnsupportedConditionError extends Error {
  override readonly name = 'UnsupportedConditionError';
}

/** How one base operator compares a context value with one of the policy's values. */
interface OperatorDefinition {
  readonly compile: (policyValue: string) => ValueMatcher;
  /** A negated operator (`StringNotEquals`...) holds when no policy value matches. */
  readonly negated: boolean;
}

const exact = (value: string): ValueMatcher => (candidate) => candidate === value;
const ignoringCase = (value: string): ValueMatcher => {
  const lower = value.toLowerCase();
  return (candidate) => candidate.toLowerCase() === lower;
};
const numeric =
  (compare: (candidate: number, bound: number) => boolean) =>
  (value: string): ValueMatcher => {
    const bound = Number(value);
    return (candidate) => candidate.trim() !== '' && compare(Number(candidate), bound);
  };
const like = (value: string): ValueMatcher => compileWildcard(value);

/** The base operators, by lower-cased name. */
const OPERATORS: ReadonlyMap<string, OperatorDefinition> = new Map(
  Object.entries({
    StringEquals: { compile: exact, negated: false },
    StringNotEquals: { compile: exact, negated: true },
    StringEqualsIgnoreCase: { compile: ignoringCase, negated: false },
    StringNotEqualsIgnoreCase: { compile: ignoringCase, negated: true },
    StringLike: { compile: like, negated: false },
    StringNotLike: { compile: like, negated: true },
    ArnEquals: { compile: compileArnPattern, negated: false },
    ArnLike: { compile: compileArnPattern, negated: false },
    ArnNotEquals: { compile: compileArnPattern, negated: true },
    ArnNotLike: { compile: compileArnPattern, negated: true },
    Bool: { compile: ignoringCase, negated: false },
    NumericEquals: { compile: numeric((a, b) => a === b), negated: false },
    NumericNotEquals: { compile: numeric((a, b) => a === b), negated: true },
    NumericLessThan: { compile: numeric((a, b) => a < b), negated: false },
    NumericLessThanEquals: { compile: numeric((a, b) => a <= b), negated: false },
    NumericGreaterThan: { compile: numeric((a, b) => a > b), negated: false },
    NumericGreaterThanEquals: { compile: numeric((a, b) => a >= b), negated: false },
  }).map(([name, definition]) => [name.toLowerCase(), definition]),
);
const IF_EXISTS = 'ifexists';

/** The test of one key under one operator. */
interface KeyTest {
  readonly key: string;
  readonly holds: (context: ContextLookup) => boolean;
}

/**
 * Compiles a `Condition` element.
 * @throws UnsupportedConditionError for an operator the local cloud does not evaluate (dates, IP
 *   addresses, binary), or a policy variable (`${...}`) in a value.
 */
export function compileCondition(block: Readonly<Record<string, unknown>>): CompiledCondition {
  const tests: KeyTest[] = [];
  for (const [operator, keys] of Object.entries(block)) {
    if (typeof keys !== 'object' || keys === null || Array.isArray(keys)) {
      throw new UnsupportedConditionError(`condition operator ${operator} must map keys to values, got ${JSON.stringify(keys)}`);
    }
    for (const [key, values] of Object.entries(keys as Record<string, unknown>)) {
      const lowerKey = key.toLowerCase();
      tests.push({ key: lowerKey, holds: compileKeyTest(operator, lowerKey, policyValues(operator, key, values)) });
    }
  }
  return {
    keys: [...new Set(tests.map((test) => test.key))],
    holds: (context) => tests.every((test) => test.holds(context)),
    failedKeys: (context) => tests.filter((test) => !test.holds(context)).map((test) => test.key),
  };
}

function policyValues(operator: string, key: string, raw: unknown): string[] {
  const values = (Array.isArray(raw) ? raw : [raw]).map((value: unknown) => {
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number') {
      throw new UnsupportedConditionError(`${operator} ${key}: a value must be a string, number or boolean, got ${JSON.stringify(value)}`);
    }
    return String(value);
  });
  const variable = values.find((value) => value.includes('${'));
  if (variable !== undefined) throw new UnsupportedConditionError(`${operator} ${key}: policy variables such as ${variable} are not evaluated by the local cloud`);
  return values;
}

/** The test of `key` under `operator` (set operator prefix and IfExists suffix included). */
function compileKeyTest(operator: string, key: string, values: readonly string[]): (context: ContextLookup) => boolean {
  const separator = operator.indexOf(':');
  const setOperator = separator < 0 ? undefined : operator.slice(0, separator).toLowerCase();
  const base = (separator < 0 ? operator : operator.slice(separator + 1)).toLowerCase();
  if (base === 'null') {
    if (setOperator !== undefined) throw new UnsupportedConditionError(`${operator}: Null takes no set operator`);
    const wantsAbsent = values.some((value) => value.toLowerCase() === 'true');
    return (context) => (context(key) === undefined) === wantsAbsent;
  }
  const ifExists = base.endsWith(IF_EXISTS);
  const definition = OPERATORS.get(ifExists ? base.slice(0, -IF_EXISTS.length) : base);
  if (definition === undefined) {
    throw new UnsupportedConditionError(
      `condition operator ${operator} is not evaluated by the local cloud (it evaluates ${[...OPERATORS.keys()].join(', ')} and null, with ...IfExists, ForAnyValue: and ForAllValues:)`,
    );
  }
  const matchers = values.map((value) => definition.compile(value));
  /** One context value against the policy's values: some matches (none, when negated). */
  const satisfies = (value: string) => matchers.some((matches) => matches(value)) !== definition.negated;
  const listOf = (value: ContextValue | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);
  switch (setOperator) {
    case undefined:
      return (context) => {
        const value = context(key);
        // An absent key fails a positive operator and satisfies a negated one, unless IfExists.
        if (value === undefined) return ifExists || definition.negated;
        return typeof value === 'string' ? satisfies(value) : value.some(satisfies);
      };
    case 'foranyvalue':
      return (context) => listOf(context(key)).some(satisfies);
    case 'forallvalues':
      return (context) => listOf(context(key)).every(satisfies);
    default:
      throw new UnsupportedConditionError(`condition operator ${operator}: unknown set operator ${operator.slice(0, separator)}`);
  }
}
