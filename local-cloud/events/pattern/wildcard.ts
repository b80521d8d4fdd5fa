/**
 * The `wildcard` operator: `*` stands for any run of characters (possibly empty), `\*` for a
 * literal asterisk and `\\` for a literal backslash. Any other escape and two consecutive
 * `*` are rejected, as event-ruler rejects them.
 *
 * Matching walks the literal segments left to right (greedy, leftmost), which is exact for
 * `*`-only globs and linear in the value, unlike a backtracking regular expression.
 *
 * @see https://github.com/aws/event-ruler#wildcard-matching
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 */
import { InvalidEventPatternError } from './invalid-event-pattern-error.ts';

/** A compiled wildcard: true if the whole string matches. */
export type WildcardMatcher = (value: string) => boolean;

/**
 * Parses a wildcard operand.
 * @throws InvalidEventPatternError on `**` or an unsupported escape, with event-ruler's position.
 */
export function compileWildcard(pattern: string, where: string): WildcardMatcher {
  return segmentMatcher(splitSegments(pattern, where));
}

/** The literal texts between the `*`s: `a*b` is `["a", "b"]`, `*a` is `["", "a"]`. */
function splitSegments(pattern: string, where: string): string[] {
  const segments: string[] = [];
  let literal = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    const next = pattern[i + 1];
    if (char === '*') {
      if (next === '*') {
        throw new InvalidEventPatternError(`Consecutive wildcard characters at pos ${rulerPosition(pattern, i)}`, { path: where });
      }
      segments.push(literal);
      literal = '';
    } else if (char === '\\') {
      if (next !== '*' && next !== '\\') {
        throw new InvalidEventPatternError(`Invalid escape character at pos ${rulerPosition(pattern, i)}`, { path: where });
      }
      literal += next;
      i++;
    } else {
      literal += char;
    }
  }
  segments.push(literal);
  return segments;
}

/** event-ruler reports the UTF-8 byte offset in the value wrapped in quotes (hence the `+ 1`). */
function rulerPosition(pattern: string, index: number): number {
  return Buffer.byteLength(pattern.slice(0, index)) + 1;
}

function segmentMatcher(segments: readonly string[]): WildcardMatcher {
  const first = segments[0] ?? '';
  if (segments.length === 1) {
    return (value) => value === first;
  }
  const last = segments[segments.length - 1] ?? '';
  const middle = segments.slice(1, -1).filter((segment) => segment !== '');
  const minimumLength = first.length + last.length;
  return (value) => {
    if (value.length < minimumLength || !value.startsWith(first) || !value.endsWith(last)) {
      return false;
    }
    const end = value.length - last.length;
    let position = first.length;
    for (const segment of middle) {
      const found = value.indexOf(segment, position);
      if (found < 0 || found + segment.length > end) {
        return false;
      }
      position = found + segment.length;
    }
    return true;
  };
}
