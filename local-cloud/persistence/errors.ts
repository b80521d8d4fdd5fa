/**
 * Errors of the local cloud's on-disk persistence. Each names the file it concerns, so an
 * operator can inspect or move the file aside; the underlying error is kept as `cause`.
 */

/** Options shared by the persistence errors. */
export interface PersistenceErrorOptions {
  /** The error that made the operation fail, if any. */
  readonly cause?: unknown;
}

/** Base of the persistence errors: every failure to read, write or apply persisted state. */
export class PersistenceError extends Error {
  override readonly name: string = 'PersistenceError';

  /**
   * @param message - What went wrong, naming the file.
   * @param file - Path of the file concerned.
   * @param options - The cause.
   */
  constructor(
    message: string,
    readonly file: string,
    options: PersistenceErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * A journal or snapshot that cannot be read back: a record that is not JSON before the last
 * line (only the last line can be torn by a kill), a header that is not this journal's, or a
 * journal newer than its snapshot. Starting on such a directory would silently lose state, so
 * opening fails instead.
 */
export class JournalCorruptError extends PersistenceError {
  override readonly name = 'JournalCorruptError';

  /**
   * @param file - Path of the journal or snapshot.
   * @param line - 1-based line of the bad record, when a line is to blame.
   * @param reason - What is wrong with it.
   * @param options - The parse error, if any.
   */
  constructor(
    file: string,
    readonly line: number | undefined,
    reason: string,
    options: PersistenceErrorOptions = {},
  ) {
    super(`${file}${line === undefined ? '' : `, line ${line}`}: ${reason}`, file, options);
  }
}

/**
 * A journal write that failed (disk full, file removed). The in-memory state already holds
 * the change, so the journal refuses every later write too: continuing would journal changes
 * that depend on one that is not on disk.
 */
export class JournalWriteError extends PersistenceError {
  override readonly name = 'JournalWriteError';

  /**
   * @param file - Path of the journal.
   * @param options - The I/O error.
   */
  constructor(file: string, options: PersistenceErrorOptions = {}) {
    super(`${file}: a journal write failed; the service's state is no longer persisted.`, file, options);
  }
}

/**
 * A journalled change that does not fit the state rebuilt so far (it names a queue, message
 * or rule that is not there). It means the journal and snapshot do not belong together.
 */
export class JournalReplayError extends PersistenceError {
  override readonly name = 'JournalReplayError';

  /**
   * @param file - Path of the journal.
   * @param change - The `type` of the change that could not be applied.
   * @param reason - Why it could not.
   * @param options - The {@link ChangeNotApplicableError} behind it.
   */
  constructor(
    file: string,
    readonly change: string,
    reason: string,
    options: PersistenceErrorOptions = {},
  ) {
    super(`${file}: cannot replay change "${change}": ${reason}`, file, options);
  }
}

/**
 * A change that names something the state does not hold (a queue, message, rule or archive
 * that is not there), thrown by a service's `apply`. A live operation checks before it commits,
 * so this comes from replaying a journal that does not fit its snapshot; the change log then
 * reports it as a {@link JournalReplayError} naming the file.
 */
export class ChangeNotApplicableError extends Error {
  override readonly name = 'ChangeNotApplicableError';

  /**
   * @param change - The `type` of the change.
   * @param reason - What the state lacks, e.g. `queue orders does not exist.`
   * @param options - The underlying error, if any.
   */
  constructor(
    readonly change: string,
    readonly reason: string,
    options: PersistenceErrorOptions = {},
  ) {
    super(`cannot apply change "${change}": ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
  }
}
