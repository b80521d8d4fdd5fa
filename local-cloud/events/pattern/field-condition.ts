/**
 * A field's value list (`"state": ["running", {"prefix": "stop"}]`) compiled into one
 * condition. The values are alternatives: the field matches if any value of the event
 * satisfies any of them. Plain values are looked up in a Set, so a long list of exact values
 * costs one lookup per event value.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://github.com/aws/event-ruler#json-text-matching
 */
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import { compileIpLiteral } from './ip-address.ts';
import { isPlainObject } from './json.ts';
import { compileMatchExpression } from './match-expression.ts';
import type { EventScalar, FieldCondition, ValuePredicate } from './types.ts';

/**
 * Compiles the array a pattern gives for one field.
 * @throws InvalidEventPatternError for an empty array or a value that is not a JSON scalar or match expression.
 */
export function compileFieldCondition(key: string, values: readonly unknown[], where: string): FieldCondition {
  if (values.length === 0) {
    throw new InvalidEventPatternError('Empty arrays are not allowed', { path: where });
  }
  // Exact values compare by type and value, as a Set does: "300" never equals 300, nor "true" true.
  const exactValues = new Set<EventScalar>();
  const predicates: ValuePredicate[] = [];
  let acceptsAbsence = false;
  values.forEach((value, index) => {
    const at = `${where}[${index}]`;
    if (isPlainObject(value)) {
      const compiled = compileMatchExpression(value, at);
      if (compiled.kind === 'absent') {
        acceptsAbsence = true;
      } else {
        predicates.push(compiled.test);
      }
      return;
    }
    const ipLiteral = typeof value === 'string' ? compileIpLiteral(value) : undefined;
    if (ipLiteral) {
      predicates.push(ipLiteral);
      return;
    }
    exactValues.add(requireScalar(value, at));
  });
  return { key, test: anyOf(exactValues, predicates), acceptsAbsence };
}

function requireScalar(value: unknown, where: string): EventScalar {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw new InvalidEventPatternError(`Cannot compare number : ${value}`, { path: where });
  }
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return value;
  }
  throw new InvalidEventPatternError('Match value must be String, number, true, false, or null', { path: where });
}

function anyOf(exactValues: ReadonlySet<EventScalar>, predicates: readonly ValuePredicate[]): ValuePredicate {
  const [onlyPredicate] = predicates;
  if (onlyPredicate === undefined) {
    return (value) => exactValues.has(value);
  }
  if (exactValues.size === 0 && predicates.length === 1) {
    return onlyPredicate;
  }
  return (value) => exactValues.has(value) || predicates.some((test) => test(value));
}
