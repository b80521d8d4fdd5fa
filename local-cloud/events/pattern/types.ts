/**
 * Shapes shared by the pattern compiler and the matcher. A pattern compiles to a list of
 * branches (one per `$or` alternative); each branch is a list of field conditions that must
 * all hold, in the same order event-ruler walks them.
 */

/** A leaf value of an event, after the event is flattened: what a comparison operator looks at. */
export type EventScalar = string | number | boolean | null;

/** Whether one leaf value satisfies one comparison (exact value, prefix, numeric range…). */
export type ValuePredicate = (value: EventScalar) => boolean;

/**
 * One element of a field's value list, compiled: either a test on a present value, or
 * `exists: false`, which is satisfied by the absence of any value.
 */
export type CompiledMatchValue =
  | { readonly kind: 'present'; readonly test: ValuePredicate }
  | { readonly kind: 'absent' };

/** Everything a pattern demands of one field (a dotted path such as `detail.state`). */
export interface FieldCondition {
  /** The field's path, its steps joined with `.` as event-ruler joins them. */
  readonly key: string;
  /** True if some value of the field satisfies the pattern (the values in a pattern array are ORed). */
  readonly test: ValuePredicate;
  /** True if the pattern also accepts the field being absent (`{"exists": false}`). */
  readonly acceptsAbsence: boolean;
}

/** One way the pattern can match: every condition must hold, within consistent array elements. */
export interface PatternBranch {
  /** The conditions, sorted by key: event-ruler checks `exists: false` against the fields matched before it. */
  readonly conditions: readonly FieldCondition[];
}

/** One element of one array of the event: which array (numbered as met) and which index. */
export type ArrayPosition = readonly [arrayId: number, index: number];

/** A leaf value of the event with the array elements it sits in. */
export interface EventFieldValue {
  readonly value: EventScalar;
  /**
   * The elements (objects or nested arrays) of every array that contain this value; two
   * values are in the same element of an array only if they agree on that array's index.
   */
  readonly membership: readonly ArrayPosition[];
}

/** The event's leaf values, by dotted field path, limited to the paths a pattern names. */
export interface EventFields {
  /** Every value at the path. */
  values(key: string): readonly EventFieldValue[];
  /**
   * The values at the path that can be consistent with the array elements already chosen:
   * only those in the chosen element of a constrained array, found through an index so that
   * large arrays of objects are not scanned once per chosen element.
   */
  candidates(key: string, constraints: readonly ArrayPosition[]): readonly EventFieldValue[];
}
