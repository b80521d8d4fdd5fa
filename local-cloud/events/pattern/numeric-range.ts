/**
 * The `numeric` operator: `["=", 5]`, one bound (`[">", 0]`, `["<=", 5]`) or a lower bound
 * followed by an upper bound (`[">", 0, "<=", 5]`). It only matches JSON numbers, compared as
 * IEEE-754 doubles. The grammar and the error messages follow event-ruler's compiler.
 *
 * @see https://github.com/aws/event-ruler#numeric-matching
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';
import type { ValuePredicate } from './types.ts';

/** One side of a range: the bound and whether the bound itself is excluded. */
interface Bound {
  readonly limit: number;
  readonly open: boolean;
}

/** Bound operators and whether each excludes its bound; Maps, so `constructor` is no operator. */
const LOWER_OPERATORS: ReadonlyMap<string, boolean> = new Map([['>', true], ['>=', false]]);
const UPPER_OPERATORS: ReadonlyMap<string, boolean> = new Map([['<', true], ['<=', false]]);

/**
 * Compiles the array operand of `numeric`.
 * @throws InvalidEventPatternError naming the bad term.
 */
export function compileNumericRange(terms: readonly unknown[], where: string): ValuePredicate {
  const fail = (reason: string): never => {
    throw new InvalidEventPatternError(reason, { path: where });
  };
  const operator = terms[0];
  if (typeof operator !== 'string') {
    return fail(`Invalid member in numeric match: ${describeTerm(terms[0])}`);
  }
  if (operator === '=') {
    const value = requireNumber(terms[1], operator, fail);
    expectEnd(terms, 2, 'Too many elements in numeric expression', fail);
    return (candidate) => candidate === value;
  }
  const upperOpen = UPPER_OPERATORS.get(operator);
  if (upperOpen !== undefined) {
    const limit = requireNumber(terms[1], operator, fail);
    expectEnd(terms, 2, 'Too many elements in numeric expression', fail);
    return rangePredicate(undefined, { limit, open: upperOpen });
  }
  const lowerOpen = LOWER_OPERATORS.get(operator);
  if (lowerOpen === undefined) {
    return fail(`Unrecognized numeric range operator: ${operator}`);
  }
  const lower = { limit: requireNumber(terms[1], operator, fail), open: lowerOpen };
  return rangePredicate(lower, terms.length === 2 ? undefined : upperBound(terms, lower, fail));
}

/** The `"<", 10` half of a two-sided range. */
function upperBound(terms: readonly unknown[], lower: Bound, fail: (reason: string) => never): Bound {
  const operator = terms[2];
  if (typeof operator !== 'string') {
    return fail(`Bad value in numeric range: ${describeTerm(operator)}`);
  }
  const open = UPPER_OPERATORS.get(operator);
  if (open === undefined) {
    return fail(`Bad numeric range operator: ${operator}`);
  }
  const limit = requireNumber(terms[3], operator, fail);
  expectEnd(terms, 4, 'Too many terms in numeric range expression', fail);
  if (lower.limit >= limit) {
    fail('Bottom must be less than top');
  }
  return { limit, open };
}

function rangePredicate(lower: Bound | undefined, upper: Bound | undefined): ValuePredicate {
  const aboveLower = lower === undefined ? () => true : lower.open ? (n: number) => n > lower.limit : (n: number) => n >= lower.limit;
  const belowUpper = upper === undefined ? () => true : upper.open ? (n: number) => n < upper.limit : (n: number) => n <= upper.limit;
  return (candidate) => typeof candidate === 'number' && aboveLower(candidate) && belowUpper(candidate);
}

function requireNumber(term: unknown, operator: string, fail: (reason: string) => never): number {
  if (typeof term !== 'number') {
    return fail(`Value of ${operator} must be numeric`);
  }
  if (!Number.isFinite(term)) {
    return fail(`Cannot compare number : ${term}`);
  }
  return term;
}

function expectEnd(terms: readonly unknown[], length: number, reason: string, fail: (reason: string) => never): void {
  if (terms.length > length) {
    fail(reason);
  }
}

/** How event-ruler quotes a term in its messages: the JSON text, or `]` when the array ended. */
function describeTerm(term: unknown): string {
  return term === undefined ? ']' : String(typeof term === 'string' ? term : JSON.stringify(term));
}
