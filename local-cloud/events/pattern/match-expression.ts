/**
 * Match expressions: the `{ "<operator>": <operand> }` objects allowed in a field's value list.
 * Each operator compiles its operand once into a predicate; operators that only make sense
 * for strings (prefix, suffix, wildcard, equals-ignore-case, cidr) never match a number,
 * boolean or null, as in event-ruler where string patterns carry their JSON quotes.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * @see https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/JsonRuleCompiler.java
 */
import { compileAnythingBut } from './anything-but.ts';
import { MatchOperator } from './constants.ts';
import { compileIgnoreCase } from './ignore-case.ts';
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import { compileCidr } from './ip-address.ts';
import { definedKeys, isPlainObject } from './json.ts';
import { compileNumericRange } from './numeric-range.ts';
import type { CompiledMatchValue, ValuePredicate } from './types.ts';
import { compileWildcard } from './wildcard.ts';

type OperatorCompiler = (operand: unknown, where: string) => CompiledMatchValue;

const ONLY_ONE_KEY = 'Only one key allowed in match expression';

/** Operators by name: a table, so adding one is adding a row; a Map, so `toString` is no operator. */
const OPERATORS: ReadonlyMap<string, OperatorCompiler> = new Map(Object.entries({
  [MatchOperator.exactly]: (operand, where) => {
    const text = requireString(operand, 'exact match pattern must be a string', where);
    return present((value) => value === text);
  },
  [MatchOperator.prefix]: (operand, where) => compileAffix(operand, 'prefix', where),
  [MatchOperator.suffix]: (operand, where) => compileAffix(operand, 'suffix', where),
  [MatchOperator.equalsIgnoreCase]: (operand, where) =>
    present(onStrings(compileIgnoreCase(requireString(operand, 'equals-ignore-case match pattern must be a string', where), 'whole'))),
  [MatchOperator.wildcard]: (operand, where) =>
    present(onStrings(compileWildcard(requireString(operand, 'wildcard match pattern must be a string', where), where))),
  [MatchOperator.anythingBut]: (operand, where) => present(compileAnythingBut(operand, where)),
  [MatchOperator.numeric]: (operand, where) => {
    if (!Array.isArray(operand)) {
      throw new InvalidEventPatternError('Value of numeric must be an array.', { path: where });
    }
    return present(compileNumericRange(operand, where));
  },
  [MatchOperator.exists]: (operand, where) => {
    if (typeof operand !== 'boolean') {
      throw new InvalidEventPatternError('exists match pattern must be either true or false.', { path: where });
    }
    // exists:true accepts any leaf value, null included; exists:false accepts no value at all.
    return operand ? present(() => true) : { kind: 'absent' };
  },
  [MatchOperator.cidr]: (operand, where) =>
    present(compileCidr(requireString(operand, 'cidr match pattern must be a string', where), where)),
} satisfies Record<string, OperatorCompiler>));

/**
 * Compiles one match expression object.
 * @throws InvalidEventPatternError for an empty object, an unknown operator, a bad operand or extra keys.
 */
export function compileMatchExpression(expression: Readonly<Record<string, unknown>>, where: string): CompiledMatchValue {
  const [name, ...extra] = definedKeys(expression);
  if (name === undefined) {
    throw new InvalidEventPatternError('Match expression name not found', { path: where });
  }
  const compile = OPERATORS.get(name);
  if (compile === undefined) {
    throw new InvalidEventPatternError(`Unrecognized match type ${name}`, { path: where });
  }
  const compiled = compile(expression[name], `${where}.${name}`);
  if (extra.length > 0) {
    const reason = name === MatchOperator.numeric ? 'Too many elements in numeric expression' : ONLY_ONE_KEY;
    throw new InvalidEventPatternError(reason, { path: where });
  }
  return compiled;
}

/** `{"prefix": "x"}` or `{"prefix": {"equals-ignore-case": "x"}}`, and the same for suffix. */
function compileAffix(operand: unknown, kind: 'prefix' | 'suffix', where: string): CompiledMatchValue {
  if (isPlainObject(operand)) {
    return present(onStrings(compileIgnoreCase(affixIgnoreCaseOperand(operand, kind, where), kind)));
  }
  const affix = requireString(operand, `${kind} match pattern must be a string`, where);
  return present(onStrings(kind === 'prefix' ? (value) => value.startsWith(affix) : (value) => value.endsWith(affix)));
}

function affixIgnoreCaseOperand(operand: Readonly<Record<string, unknown>>, kind: 'prefix' | 'suffix', where: string): string {
  const [name, ...extra] = definedKeys(operand);
  const label = kind === 'prefix' ? 'Prefix' : 'Suffix';
  if (name === undefined) {
    throw new InvalidEventPatternError(`${label} expression name not found`, { path: where });
  }
  if (name !== MatchOperator.equalsIgnoreCase) {
    throw new InvalidEventPatternError(`Unsupported ${kind} pattern: ${name}`, { path: where });
  }
  const text = requireString(operand[name], 'equals-ignore-case match pattern must be a string', `${where}.${name}`);
  if (extra.length > 0) {
    throw new InvalidEventPatternError(ONLY_ONE_KEY, { path: where });
  }
  return text;
}

function requireString(operand: unknown, reason: string, where: string): string {
  if (typeof operand !== 'string') {
    throw new InvalidEventPatternError(reason, { path: where });
  }
  return operand;
}

function onStrings(test: (value: string) => boolean): ValuePredicate {
  return (value) => typeof value === 'string' && test(value);
}

function present(test: ValuePredicate): CompiledMatchValue {
  return { kind: 'present', test };
}
