/**
 * A bounded history: the newest `capacity` items, the oldest dropped as new ones come, so a
 * console's memory stays flat however long the cloud runs. Hand-written: a dozen lines over an
 * array, which no dependency would make shorter.
 */
export class RingBuffer<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;

  /** @param onEvict - told of each item dropped to make room, to drop what indexes it */
  constructor(
    readonly capacity: number,
    private readonly onEvict?: (item: T) => void,
  ) {
    if (!(Number.isInteger(capacity) && capacity > 0)) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  /** Adds `item`, dropping the oldest one when full. */
  push(item: T): void {
    const evicted = this.#items[this.#next];
    if (this.#size === this.capacity && evicted !== undefined) this.onEvict?.(evicted);
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  /** The items, oldest first. */
  toArray(): T[] {
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    const items: T[] = [];
    for (let index = 0; index < this.#size; index += 1) items.push(this.#items[(start + index) % this.capacity] as T);
    return items;
  }

  /** Drops the items `predicate` holds for (without telling `onEvict`: they are taken, not pushed out). */
  removeWhere(predicate: (item: T) => boolean): void {
    const kept = this.toArray().filter((item) => !predicate(item));
    if (kept.length === this.#size) return;
    this.#items.fill(undefined);
    kept.forEach((item, index) => (this.#items[index] = item));
    this.#size = kept.length;
    this.#next = kept.length % this.capacity;
  }

  get size(): number {
    return this.#size;
  }
}
