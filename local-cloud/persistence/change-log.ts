/**
 * A service's state, changed only by applying changes, with the journal those changes are
 * written to: the one path both a live operation and the replay of the journal take, so a
 * state change is written once (STYLE rule 12). A service describes its state changes as data
 * and gives one `apply(state, change)`; it changes its state by {@link ChangeLog.commit}, which
 * applies the change and journals it. Generic: it knows nothing of the services using it.
 */
import { ChangeNotApplicableError, JournalReplayError } from '#cloud/persistence/errors';
import { Journal } from '#cloud/persistence/journal';

/**
 * `T` with nothing in it writable: what a service reads its state as, so that the compiler, not
 * only review, keeps every change going through {@link ChangeLog.commit}.
 */
export type DeepReadonly<T> = T extends (...args: never[]) => unknown
  ? T
  : T extends ReadonlyMap<infer K, infer V>
    ? ReadonlyMap<K, DeepReadonly<V>>
    : T extends readonly (infer E)[]
      ? readonly DeepReadonly<E>[]
      : T extends object
        ? { readonly [P in keyof T]: DeepReadonly<T[P]> }
        : T;

/** What every change carries: its kind, named in replay errors. */
export interface Change {
  readonly type: string;
}

/** How a service's state is kept: built, changed, and written out as plain data. */
export interface StateModel<S, C extends Change> {
  /** The journal's file stem in a data directory, e.g. `sqs` for `sqs.journal` and `sqs.snapshot`. */
  readonly journalName: string;
  /**
   * The state a snapshot holds, or the empty state when there is no snapshot (`undefined`).
   * What it returns belongs to the log from then on.
   */
  restore(snapshot: unknown): S;
  /**
   * Applies one change to the state: the only code that changes it, for the live operation and
   * for the replay of the journal alike. It must depend on nothing but the state and the change
   * (no clock, no random ids: the change carries those), so replay rebuilds the same state.
   *
   * @throws {@link ChangeNotApplicableError} when the change names something the state lacks.
   */
  apply(state: S, change: C): void;
  /** The whole state as plain JSON data, for a snapshot; {@link restore} reads it back. */
  snapshot(state: S): unknown;
}

/** Where changes are committed: what a model of the state needs from its {@link ChangeLog}. */
export interface ChangeSink<C extends Change> {
  /** Applies the change to the state, then journals it (or at the end of the enclosing batch). */
  commit(change: C): void;
  /**
   * Runs `run`, journalling the changes it commits as one line at the end: a batch operation
   * costs one write, and a kill leaves either all of its changes or none. `run` must be
   * synchronous, so no client sees a change before its line is written.
   */
  batch<T>(run: () => T): T;
}

/** Options of {@link ChangeLog.open}. */
export interface ChangeLogOptions<C extends Change> {
  /**
   * Where the journal and its snapshot live: a directory (the journal is opened there, named
   * after the model's `journalName`), or a journal opened by the caller. The log owns the
   * journal from then on and closes it in {@link ChangeLog.close}.
   * @default in memory only: changes are applied and not written anywhere
   */
  readonly persistence?: string | Journal<readonly C[]>;
}

/**
 * The state of one service and the journal of its changes. With persistence, opening reads the
 * snapshot, replays the journal through the model's `apply`, and compacts, so a restart is fast
 * whatever the previous run journalled; every commit is written before the operation answers,
 * so the state survives the process being killed.
 */
export class ChangeLog<S, C extends Change> implements ChangeSink<C> {
  readonly #state: S;
  readonly #model: StateModel<S, C>;
  readonly #journal: Journal<readonly C[]> | undefined;
  #pending: C[] | undefined;

  private constructor(model: StateModel<S, C>, state: S, journal: Journal<readonly C[]> | undefined) {
    this.#model = model;
    this.#state = state;
    this.#journal = journal;
  }

  /** The state, to read: it changes only through {@link commit}. */
  get state(): DeepReadonly<S> {
    return this.#state as DeepReadonly<S>;
  }

  /**
   * The state as the data directory holds it (snapshot, then the journal replayed), or the
   * empty state in memory.
   *
   * @throws {@link JournalReplayError} when a journalled change does not fit the state rebuilt so far.
   */
  static open<S, C extends Change>(model: StateModel<S, C>, options: ChangeLogOptions<C> = {}): ChangeLog<S, C> {
    const journal =
      typeof options.persistence === 'string'
        ? Journal.open<readonly C[]>({ directory: options.persistence, name: model.journalName })
        : options.persistence;
    if (journal === undefined) return new ChangeLog(model, model.restore(undefined), undefined);
    const state = model.restore(journal.loadSnapshot());
    for (const changes of journal.replay()) {
      for (const change of changes) {
        try {
          model.apply(state, change);
        } catch (error) {
          if (error instanceof ChangeNotApplicableError) throw new JournalReplayError(journal.file, change.type, error.reason, { cause: error });
          throw error;
        }
      }
    }
    const log = new ChangeLog(model, state, journal);
    log.compact();
    return log;
  }

  /** Whether the changes go to a journal, rather than only to memory. */
  get persistent(): boolean {
    return this.#journal !== undefined;
  }

  /**
   * Applies the change, then writes it (now, or at the end of the enclosing batch). Applied
   * first: a compaction the write triggers snapshots the state with the change in it, and the
   * journal it empties then has nothing the snapshot lacks.
   */
  commit(change: C): void {
    this.#model.apply(this.#state, change);
    if (this.#journal === undefined) return;
    if (this.#pending !== undefined) this.#pending.push(change);
    else this.#write([change]);
  }

  /** Runs `run` as one batch; nested batches join the outer one. */
  batch<T>(run: () => T): T {
    if (this.#journal === undefined || this.#pending !== undefined) return run();
    const pending: C[] = [];
    this.#pending = pending;
    try {
      return run();
    } finally {
      // Written even when `run` throws: whatever it committed before failing is applied already.
      this.#pending = undefined;
      if (pending.length > 0) this.#write(pending);
    }
  }

  /** Writes a snapshot of the current state and empties the journal. */
  compact(): void {
    this.#journal?.compact(this.#model.snapshot(this.#state));
  }

  /** Closes the journal; commits fail afterwards (in memory, they still apply). */
  close(): void {
    this.#journal?.close();
  }

  #write(changes: readonly C[]): void {
    if (this.#journal === undefined) return;
    this.#journal.append(changes);
    if (this.#journal.needsCompaction) this.compact();
  }
}
