/**
 * Walks a pattern object into its branches, following event-ruler's `JsonRuleCompiler`:
 * nested objects extend the field path, arrays are value lists, and each `$or` multiplies the
 * branches built so far by its alternatives. A field written twice in one branch keeps the
 * later value list (event-ruler's default "rule overriding").
 *
 * @see https://github.com/aws/event-ruler#the-or-primitive
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 */
import { OR_KEYWORD, RESERVED_FIELD_NAMES_IN_OR } from './constants.ts';
import { compileFieldCondition } from './field-condition.ts';
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import { definedKeys, isPlainObject } from './json.ts';
import type { FieldCondition } from './types.ts';

/** A branch while it is being built: conditions by dotted field path. */
type DraftBranch = Map<string, FieldCondition>;

/** How to read `$or`. */
export interface RuleCompilerOptions {
  /**
   * Whether `$or` is the OR primitive. When false, `$or` is an ordinary field name: event-ruler
   * falls back to that reading for rules written before `$or` existed.
   */
  readonly orIsOperator: boolean;
}

/** Where the walk is: the field path so far and a readable location for error messages. */
interface Position {
  readonly steps: readonly string[];
  readonly where: string;
  readonly insideOr: boolean;
}

/**
 * Compiles a parsed pattern into branches of field conditions (the conditions of a branch are
 * not yet sorted).
 * @throws InvalidEventPatternError naming the first problem found, in document order.
 */
export function compileRule(pattern: unknown, options: RuleCompilerOptions): DraftBranch[] {
  if (!isPlainObject(pattern)) {
    throw new InvalidEventPatternError('Filter is not an object');
  }
  const branches: DraftBranch[] = [];
  walkObject(pattern, branches, { steps: [], where: '', insideOr: false }, options);
  return branches;
}

function walkObject(object: Readonly<Record<string, unknown>>, branches: DraftBranch[], position: Position, options: RuleCompilerOptions): void {
  const keys = definedKeys(object);
  if (keys.length === 0) {
    throw new InvalidEventPatternError('Empty objects are not allowed', { path: position.where });
  }
  for (const key of keys) {
    const where = position.where ? `${position.where}.${key}` : key;
    if (options.orIsOperator && key === OR_KEYWORD) {
      walkOr(object[key], branches, { ...position, where }, options);
      continue;
    }
    if (position.insideOr && RESERVED_FIELD_NAMES_IN_OR.has(key)) {
      throw new InvalidEventPatternError(`${key} is Ruler reserved fieldName which cannot be used inside $or.`, { path: where });
    }
    walkField(key, object[key], branches, { ...position, steps: [...position.steps, key], where }, options);
  }
}

function walkField(key: string, value: unknown, branches: DraftBranch[], position: Position, options: RuleCompilerOptions): void {
  if (isPlainObject(value)) {
    walkObject(value, branches, position, options);
  } else if (Array.isArray(value)) {
    // Steps are joined with "." as event-ruler joins them, so {"a": {"b": …}} and {"a.b": …} name the same field.
    const condition = compileFieldCondition(position.steps.join('.'), value, position.where);
    if (branches.length === 0) {
      branches.push(new Map());
    }
    for (const branch of branches) {
      branch.set(condition.key, condition);
    }
  } else {
    throw new InvalidEventPatternError(`"${key}" must be an object or an array`, { path: position.where });
  }
}

/** Replaces the branches built so far with one copy per `$or` alternative, each extended by it. */
function walkOr(alternatives: unknown, branches: DraftBranch[], position: Position, options: RuleCompilerOptions): void {
  if (!Array.isArray(alternatives)) {
    throw new InvalidEventPatternError('It must be an Array followed with $or.', { path: position.where });
  }
  const before = branches.splice(0, branches.length);
  alternatives.forEach((alternative, index) => {
    const where = `${position.where}[${index}]`;
    if (!isPlainObject(alternative)) {
      throw new InvalidEventPatternError('Only JSON object is allowed in array of $or relationship.', { path: where });
    }
    const forked = before.length === 0 ? [new Map<string, FieldCondition>()] : before.map((branch) => new Map(branch));
    walkObject(alternative, forked, { ...position, where, insideOr: true }, options);
    branches.push(...forked);
  });
  if (alternatives.length < 2) {
    throw new InvalidEventPatternError('There must have at least 2 Objects in $or relationship.', { path: position.where });
  }
}
