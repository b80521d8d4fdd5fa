/**
 * Decides whether an event satisfies one branch, with event-ruler's array consistency: the
 * values chosen for the branch's fields may not come from different elements of the same
 * array. Conditions are tried in key order, backtracking over the candidate values, which is
 * the search event-ruler's state machine performs; like it, `exists: false` holds when no value
 * of the field is consistent with the elements chosen by the conditions before it.
 *
 * @see https://github.com/aws/event-ruler#json-array-matching
 * @see https://github.com/aws/event-ruler/blob/main/src/main/software/amazon/event/ruler/ArrayMembership.java
 */
import type { ArrayPosition, EventFields, FieldCondition, PatternBranch } from './types.ts';

/** The array elements the values chosen so far sit in. */
type Constraints = readonly ArrayPosition[];

const NO_CONSTRAINTS: Constraints = [];

/** True if the event's fields satisfy every condition of the branch within consistent array elements. */
export function matchesBranch(branch: PatternBranch, fields: EventFields): boolean {
  return matchFrom(branch.conditions, 0, fields, NO_CONSTRAINTS);
}

function matchFrom(conditions: readonly FieldCondition[], index: number, fields: EventFields, constraints: Constraints): boolean {
  const condition = conditions[index];
  if (condition === undefined) {
    return true;
  }
  const values = fields.candidates(condition.key, constraints);
  for (const candidate of values) {
    const merged = mergeMembership(constraints, candidate.membership);
    if (merged && condition.test(candidate.value) && matchFrom(conditions, index + 1, fields, merged)) {
      return true;
    }
  }
  return (
    condition.acceptsAbsence &&
    !values.some((candidate) => mergeMembership(constraints, candidate.membership) !== undefined) &&
    matchFrom(conditions, index + 1, fields, constraints)
  );
}

/**
 * Adds a value's array elements to the constraints.
 * @returns undefined if the value sits in another element of an array already constrained.
 */
function mergeMembership(constraints: Constraints, membership: readonly ArrayPosition[]): Constraints | undefined {
  if (membership.length === 0) {
    return constraints;
  }
  let merged: ArrayPosition[] | undefined;
  for (const position of membership) {
    const [arrayId, index] = position;
    const chosen = constraints.find(([constrainedId]) => constrainedId === arrayId);
    if (chosen === undefined) {
      merged ??= [...constraints];
      merged.push(position);
    } else if (chosen[1] !== index) {
      return undefined;
    }
  }
  return merged ?? constraints;
}
