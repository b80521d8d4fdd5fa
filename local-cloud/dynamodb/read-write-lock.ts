/**
 * An async readers-writer lock. Hand-written because it is a dozen lines and the npm packages
 * for it are unmaintained; it lets ordinary DynamoDB requests run together while a transaction
 * runs alone, which is what makes our transactions atomic and isolated over dynalite.
 */
interface Waiter {
  readonly exclusive: boolean;
  readonly grant: () => void;
}

/** Many shared holders or one exclusive holder at a time, granted in arrival order. */
export class ReadWriteLock {
  #readers = 0;
  #writing = false;
  readonly #waiting: Waiter[] = [];

  /** Runs `work` alongside other shared holders, never during an exclusive one. */
  async shared<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire(false);
    try {
      return await work();
    } finally {
      this.#readers -= 1;
      this.#wake();
    }
  }

  /** Runs `work` alone. */
  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.#acquire(true);
    try {
      return await work();
    } finally {
      this.#writing = false;
      this.#wake();
    }
  }

  #acquire(exclusive: boolean): Promise<void> {
    // Queue behind any waiter so a stream of readers cannot starve a writer.
    if (this.#waiting.length === 0 && this.#canGrant(exclusive)) {
      this.#take(exclusive);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#waiting.push({ exclusive, grant: () => resolve() }));
  }

  #canGrant(exclusive: boolean): boolean {
    return exclusive ? !this.#writing && this.#readers === 0 : !this.#writing;
  }

  #take(exclusive: boolean): void {
    if (exclusive) this.#writing = true;
    else this.#readers += 1;
  }

  #wake(): void {
    while (this.#waiting.length > 0) {
      const next = this.#waiting[0] as Waiter;
      if (!this.#canGrant(next.exclusive)) return;
      this.#waiting.shift();
      this.#take(next.exclusive);
      next.grant();
      if (next.exclusive) return;
    }
  }
}
