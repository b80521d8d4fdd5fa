/**
 * The bridge between a service's models and its journal: models report each state change as
 * it happens, and the log writes it before the operation answers.
 */
import type { Journal } from '#cloud/persistence/journal';

/**
 * Where a model reports its state changes. A model calls `record` right after it changes its
 * state, never before: a compaction triggered by the record snapshots the state as it is, and
 * a change made but not yet recorded would end up both in that snapshot and in the journal.
 */
export interface ChangeRecorder<C> {
  /** Reports one change, already made in memory. */
  record(change: C): void;
  /**
   * Runs `run`, writing the changes it records as one journal line at the end: a batch
   * operation costs one write, and a kill leaves either all of its changes or none.
   * `run` must be synchronous, so no client sees a change before its line is written.
   */
  batch<T>(run: () => T): T;
}

/**
 * A {@link ChangeRecorder} writing to a journal whose records are arrays of changes, and
 * compacting it (with the state `snapshot` returns) when it has grown too large.
 */
export class ChangeLog<C> implements ChangeRecorder<C> {
  readonly #journal: Journal<readonly C[]>;
  readonly #snapshot: () => unknown;
  #pending: C[] | undefined;

  /**
   * @param journal - The open journal.
   * @param snapshot - The service's whole state as plain data, for compaction.
   */
  constructor(journal: Journal<readonly C[]>, snapshot: () => unknown) {
    this.#journal = journal;
    this.#snapshot = snapshot;
  }

  /** Writes the change now, or at the end of the enclosing batch. */
  record(change: C): void {
    if (this.#pending !== undefined) this.#pending.push(change);
    else this.#write([change]);
  }

  /** Runs `run` as one batch; nested batches join the outer one. */
  batch<T>(run: () => T): T {
    if (this.#pending !== undefined) return run();
    const pending: C[] = [];
    this.#pending = pending;
    try {
      return run();
    } finally {
      // Written even when `run` throws: whatever it changed before failing is in memory now.
      this.#pending = undefined;
      if (pending.length > 0) this.#write(pending);
    }
  }

  /** Writes a snapshot of the current state and empties the journal. */
  compact(): void {
    this.#journal.compact(this.#snapshot());
  }

  /** Closes the journal. */
  close(): void {
    this.#journal.close();
  }

  #write(changes: readonly C[]): void {
    this.#journal.append(changes);
    if (this.#journal.needsCompaction) this.compact();
  }
}
