/**
 * `equals-ignore-case` and its prefix/suffix forms. event-ruler accepts, for each character
 * of the pattern, exactly its lower-case or its upper-case form (each taken alone, with the
 * root locale): `ß` matches `ß` or `SS`, and the Kelvin sign does not match `k`. A regular
 * expression of per-character alternatives reproduces that; it is built once per pattern.
 *
 * @see https://github.com/aws/event-ruler#equals-ignore-case-matching
 * @see https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/input/EqualsIgnoreCaseParser.java
 */

/** Which part of the value the pattern must cover. */
export type IgnoreCaseAnchor = 'whole' | 'prefix' | 'suffix';

/** Compiles an ignore-case comparison into a test on strings. */
export function compileIgnoreCase(pattern: string, anchor: IgnoreCaseAnchor): (value: string) => boolean {
  const body = Array.from({ length: pattern.length }, (_, i) => characterAlternatives(pattern.charAt(i))).join('');
  const source = `${anchor === 'suffix' ? '' : '^'}${body}${anchor === 'prefix' ? '' : '$'}`;
  // No `u` flag: like Java, the pattern is read one UTF-16 code unit at a time.
  const expression = new RegExp(source);
  return (value) => expression.test(value);
}

function characterAlternatives(char: string): string {
  const lower = char.toLowerCase();
  const upper = char.toUpperCase();
  return lower === upper ? escapeRegExp(lower) : `(?:${escapeRegExp(lower)}|${escapeRegExp(upper)})`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
