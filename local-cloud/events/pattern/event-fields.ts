/**
 * Flattens an event into its leaf values by dotted path, the way event-ruler reads an event:
 * strings, numbers, booleans and null are leaves; an object's fields extend the path; an
 * array's elements all sit at the array's path. Each value remembers which element of which
 * array of objects (or of arrays) holds it, for array-consistent matching.
 *
 * Only paths a pattern names are visited, so the cost follows the pattern, not the event.
 *
 * @see https://github.com/aws/event-ruler#json-array-matching
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns-arrays.html
 */
import { isPlainObject } from './json.ts';
import type { ArrayPosition, EventFieldValue, EventFields, EventScalar } from './types.ts';

/** The paths a compiled pattern reads, computed once per pattern. */
export interface FieldSelection {
  /** Paths whose leaf values are compared. */
  readonly fieldKeys: ReadonlySet<string>;
  /** Every dotted prefix of those paths: where the walk has to go down into objects and arrays. */
  readonly prefixes: ReadonlySet<string>;
}

const NO_MEMBERSHIP: readonly ArrayPosition[] = [];
const NO_VALUES: readonly EventFieldValue[] = [];

/** Precomputes what {@link collectEventFields} must visit for these field paths. */
export function selectFields(keys: Iterable<string>): FieldSelection {
  const fieldKeys = new Set(keys);
  const prefixes = new Set<string>();
  for (const key of fieldKeys) {
    for (let dot = key.indexOf('.'); dot >= 0; dot = key.indexOf('.', dot + 1)) {
      prefixes.add(key.slice(0, dot));
    }
  }
  return { fieldKeys, prefixes };
}

/** Collects the event's leaf values at the selected paths. */
export function collectEventFields(event: Readonly<Record<string, unknown>>, selection: FieldSelection): EventFields {
  const walk = new EventWalk(selection);
  walk.object(event, '', NO_MEMBERSHIP);
  return walk.fields;
}

/** One traversal of one event; array ids are numbered in visiting order, as event-ruler numbers them. */
class EventWalk {
  readonly fields = new CollectedFields();
  private nextArrayId = 0;

  constructor(private readonly selection: FieldSelection) {}

  object(object: Readonly<Record<string, unknown>>, path: string, membership: readonly ArrayPosition[]): void {
    // An undefined property is ignored further down, as JSON would drop it.
    for (const key of Object.keys(object)) {
      const childPath = path === '' ? key : `${path}.${key}`;
      if (this.selection.fieldKeys.has(childPath) || this.selection.prefixes.has(childPath)) {
        this.value(object[key], childPath, membership);
      }
    }
  }

  private value(value: unknown, path: string, membership: readonly ArrayPosition[]): void {
    if (Array.isArray(value)) {
      this.array(value, path, membership);
    } else if (isPlainObject(value)) {
      this.object(value, path, membership);
    } else if (isScalar(value) && this.selection.fieldKeys.has(path)) {
      this.fields.add(path, { value, membership });
    }
  }

  /** Scalars in an array belong to no element; objects and nested arrays belong to their element. */
  private array(elements: readonly unknown[], path: string, membership: readonly ArrayPosition[]): void {
    const arrayId = this.nextArrayId++;
    elements.forEach((element, index) => {
      const isContainer = typeof element === 'object' && element !== null;
      this.value(element, path, isContainer ? [...membership, [arrayId, index]] : membership);
    });
  }
}

/** Values by path, with a per-path index by array element built only when a match needs it. */
class CollectedFields implements EventFields {
  private readonly byKey = new Map<string, EventFieldValue[]>();
  private readonly byElement = new Map<string, ElementIndex>();

  add(key: string, fieldValue: EventFieldValue): void {
    const values = this.byKey.get(key);
    if (values) {
      values.push(fieldValue);
    } else {
      this.byKey.set(key, [fieldValue]);
    }
  }

  values(key: string): readonly EventFieldValue[] {
    return this.byKey.get(key) ?? NO_VALUES;
  }

  candidates(key: string, constraints: readonly ArrayPosition[]): readonly EventFieldValue[] {
    if (constraints.length === 0) {
      return this.values(key);
    }
    const index = this.elementIndex(key);
    for (const [arrayId, elementIndex] of constraints) {
      const elements = index.get(arrayId);
      if (elements) {
        return elements.get(elementIndex) ?? NO_VALUES;
      }
    }
    return this.values(key);
  }

  private elementIndex(key: string): ElementIndex {
    let index = this.byElement.get(key);
    if (index === undefined) {
      index = indexByElement(this.values(key));
      this.byElement.set(key, index);
    }
    return index;
  }
}

/** Values by array id, then by element index. */
type ElementIndex = ReadonlyMap<number, ReadonlyMap<number, readonly EventFieldValue[]>>;

function indexByElement(values: readonly EventFieldValue[]): ElementIndex {
  const index = new Map<number, Map<number, EventFieldValue[]>>();
  for (const fieldValue of values) {
    for (const [arrayId, elementIndex] of fieldValue.membership) {
      const elements = index.get(arrayId) ?? new Map<number, EventFieldValue[]>();
      index.set(arrayId, elements);
      const inElement = elements.get(elementIndex);
      if (inElement) {
        inElement.push(fieldValue);
      } else {
        elements.set(elementIndex, [fieldValue]);
      }
    }
  }
  return index;
}

function isScalar(value: unknown): value is EventScalar {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}
