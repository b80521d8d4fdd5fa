/**
 * IAM's wildcard matching: `*` matches any run of characters (none included), `?` exactly one.
 * Action names match without regard to case; resource ARNs and condition values with it.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_String
 */

/** Tests one value against a compiled pattern. */
export type ValueMatcher = (value: string) => boolean;

/** Options of {@link compileWildcard}. */
export interface WildcardOptions {
  /** Match without regard to case (action names, `StringEqualsIgnoreCase`). @default false */
  readonly ignoreCase?: boolean;
}

const MATCH_ANYTHING: ValueMatcher = () => true;

/**
 * Compiles `pattern` once into a matcher: a bare `*` matches everything, a pattern without
 * wildcards is a string comparison, anything else an anchored regular expression.
 */
export function compileWildcard(pattern: string, options: WildcardOptions = {}): ValueMatcher {
  if (pattern === '*') return MATCH_ANYTHING;
  const ignoreCase = options.ignoreCase ?? false;
  if (!pattern.includes('*') && !pattern.includes('?')) {
    if (!ignoreCase) return (value) => value === pattern;
    const lower = pattern.toLowerCase();
    return (value) => value.length === lower.length && value.toLowerCase() === lower;
  }
  const source = Array.from(pattern, (character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  const expression = new RegExp(`^${source}$`, ignoreCase ? 'is' : 's');
  return (value) => expression.test(value);
}

/** Whether `text` holds a wildcard character. */
export function hasWildcard(text: string): boolean {
  return text.includes('*') || text.includes('?');
}
