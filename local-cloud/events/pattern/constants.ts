/**
 * Keywords of the event-pattern language, as event-ruler spells them.
 *
 * @see https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/Constants.java
 */

/** The comparison operators that may appear as the single key of a match expression. */
export const MatchOperator = {
  exactly: 'exactly',
  equalsIgnoreCase: 'equals-ignore-case',
  prefix: 'prefix',
  suffix: 'suffix',
  anythingBut: 'anything-but',
  exists: 'exists',
  wildcard: 'wildcard',
  numeric: 'numeric',
  cidr: 'cidr',
} as const;

/** The key that turns an array of objects into alternatives. */
export const OR_KEYWORD = '$or';

/**
 * Field names event-ruler refuses inside a `$or` object, so that an operator put at the wrong
 * level (`{"$or": [{"prefix": …}]}`) is reported instead of silently matching a field named
 * `prefix`. Includes names it reserves for future operators.
 */
export const RESERVED_FIELD_NAMES_IN_OR: ReadonlySet<string> = new Set([
  ...Object.values(MatchOperator),
  '=', '<', '<=', '>', '>=',
  'regex', 'not-wildcard', 'not-equals-ignore-case',
  'date-after', 'date-on-or-after', 'date-before', 'date-on-or-before', 'in-date-range',
  'ip-address-in-range', 'ip-address-not-in-range',
]);
