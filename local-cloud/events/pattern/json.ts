/** Helpers for reading untyped JSON (a pattern or an event). */

/** A JSON object: not null, not an array. */
export function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The keys of an object that JSON would keep: a key whose value is `undefined` is not part of
 * the document (`JSON.stringify` drops it), so it must not count as a field.
 */
export function definedKeys(object: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(object).filter((key) => object[key] !== undefined);
}
