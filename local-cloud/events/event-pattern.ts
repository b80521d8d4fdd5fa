/**
 * The EventBridge event-pattern language, as a pure module: compile a pattern once, then test
 * events against it. Semantics follow aws/event-ruler, the matcher EventBridge runs (exact
 * values, prefix/suffix, anything-but, numeric, exists, equals-ignore-case, wildcard, cidr,
 * `$or`, and array-consistent matching of arrays of objects), and invalid patterns are
 * rejected with event-ruler's reasons.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * @see https://github.com/aws/event-ruler
 */
import { matchesBranch } from './pattern/branch-matcher.ts';
import { OR_KEYWORD } from './pattern/constants.ts';
import { collectEventFields, selectFields, type FieldSelection } from './pattern/event-fields.ts';
import { InvalidEventPatternError } from './pattern/invalid-event-pattern-error.ts';
import { isPlainObject } from './pattern/json.ts';
import { compileRule } from './pattern/rule-compiler.ts';
import type { FieldCondition, PatternBranch } from './pattern/types.ts';

export { InvalidEventPatternError };

/** A validated, compiled pattern: reuse it for every event, compiling is the expensive part. */
export interface EventPattern {
  /**
   * True if the event matches. The event is the parsed JSON object (envelope with `detail`);
   * anything that is not an object matches nothing, as event-ruler refuses it.
   */
  matches(event: unknown): boolean;
}

/**
 * Parses and validates a pattern.
 * @param pattern - The pattern as a JSON string (as `PutRule` receives it) or as a parsed object.
 * @throws InvalidEventPatternError if the string is not JSON or the pattern is not valid.
 */
export function compileEventPattern(pattern: string | object): EventPattern {
  const parsed = typeof pattern === 'string' ? parseJson(pattern) : pattern;
  const branches = compileBranches(parsed);
  const selection = selectFields(branches.flatMap((branch) => branch.conditions.map((condition) => condition.key)));
  return new CompiledEventPattern(branches, selection);
}

/**
 * Compiles the pattern and tests one event. Compile once with {@link compileEventPattern}
 * when the same pattern sees many events.
 * @throws InvalidEventPatternError if the pattern is not valid.
 */
export function matchesEventPattern(pattern: string | object, event: unknown): boolean {
  return compileEventPattern(pattern).matches(event);
}

class CompiledEventPattern implements EventPattern {
  constructor(
    private readonly branches: readonly PatternBranch[],
    private readonly selection: FieldSelection,
  ) {}

  matches(event: unknown): boolean {
    if (!isPlainObject(event)) {
      return false;
    }
    const fields = collectEventFields(event, this.selection);
    return this.branches.some((branch) => matchesBranch(branch, fields));
  }
}

/**
 * Compiles with `$or` as the OR primitive; if that fails and the pattern uses `$or`, retries
 * with `$or` as a plain field name, as event-ruler keeps rules written before `$or` existed
 * working. The first error is the one reported: it explains the `$or` reading.
 *
 * @see https://github.com/aws/event-ruler#the-backward-compatibility-of-using-or-as-field-name-in-the-rule
 */
function compileBranches(pattern: unknown): PatternBranch[] {
  try {
    return sortBranches(compileRule(pattern, { orIsOperator: true }));
  } catch (error) {
    if (!(error instanceof InvalidEventPatternError) || !usesOrKeyword(pattern)) {
      throw error;
    }
    try {
      return sortBranches(compileRule(pattern, { orIsOperator: false }));
    } catch {
      // The legacy reading failed too: its error would talk about a field named "$or", so report the first.
      throw error;
    }
  }
}

/** event-ruler visits a branch's fields in key order; `exists: false` depends on that order. */
function sortBranches(branches: readonly ReadonlyMap<string, FieldCondition>[]): PatternBranch[] {
  return branches.map((branch) => ({
    // Code-unit order, as Java's String.compareTo sorts event-ruler's keys (not localeCompare).
    conditions: [...branch.values()].sort((left, right) => (left.key < right.key ? -1 : 1)),
  }));
}

function usesOrKeyword(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(usesOrKeyword);
  }
  return isPlainObject(value) && Object.entries(value).some(([key, child]) => key === OR_KEYWORD || usesOrKeyword(child));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InvalidEventPatternError(`Malformed JSON: ${(error as Error).message}`, { cause: error });
  }
}
