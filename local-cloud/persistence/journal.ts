/**
 * An append-only journal of JSON lines with snapshots: the write-ahead log under each local
 * service's persisted state.
 *
 * Why synchronous writes: the local cloud promises that a change it has acknowledged survives
 * the process being killed (SIGKILL included). `fs.writeSync` hands the bytes to the kernel
 * before it returns, and the kernel keeps them in its page cache and writes them out even if
 * the process dies the next instant; only an OS crash or power loss could lose them, which
 * would need an fsync per change, far too slow for thousands of operations a second and not
 * something a local development cloud must survive. So a service appends a change's line
 * before it answers, and nothing is buffered in the process.
 *
 * On disk, for a journal named `sqs` in DIR:
 * - `DIR/sqs.journal`: a header line `{"journal":"sqs","generation":G}`, then one record per
 *   line. A record counts once its newline is on disk.
 * - `DIR/sqs.snapshot`: `{"journal":"sqs","generation":G,"state":…}`, the state the journal's
 *   records of the same generation apply to. It is written to a temporary file and renamed
 *   over the old one, so it is always whole.
 *
 * Compaction writes a snapshot of generation G+1, then replaces the journal with an empty one
 * of generation G+1 (also by rename). A kill between the two leaves a journal of generation G
 * next to a snapshot of G+1: its records are already in the snapshot, and opening skips them.
 */
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { JournalCorruptError, JournalWriteError } from '#cloud/persistence/errors';

/** Options of {@link Journal.open}. */
export interface JournalOptions {
  /** Directory of the journal and its snapshot; created if missing. */
  readonly directory: string;
  /** File stem, e.g. `sqs` for `sqs.journal` and `sqs.snapshot`. */
  readonly name: string;
  /**
   * Size past which {@link Journal.needsCompaction} turns true, so the owner writes a snapshot
   * and the journal starts over: this bounds both the disk used and the time a restart spends
   * replaying.
   * @default 64 MiB
   */
  readonly compactAfterBytes?: number;
}

/** The default of {@link JournalOptions.compactAfterBytes}. */
export const DEFAULT_COMPACT_AFTER_BYTES = 64 * 1024 * 1024;

const NEWLINE = 0x0a;

/**
 * A journal of records of type `R`, each one JSON line, written synchronously.
 *
 * @example
 * const journal = Journal.open<Change>({ directory: dataDir, name: 'sqs' });
 * let state = journal.loadSnapshot() ?? emptyState();
 * for (const change of journal.replay()) apply(state, change);
 * journal.compact(state);
 * journal.append(change); // before acknowledging the operation
 */
export class Journal<R> {
  /** Path of the journal file. */
  readonly file: string;
  readonly #snapshotFile: string;
  readonly #name: string;
  readonly #compactAfterBytes: number;
  #generation: number;
  #fd: number | undefined;
  #size: number;
  #failure: JournalWriteError | undefined;

  private constructor(options: JournalOptions, generation: number, fd: number, size: number) {
    this.#name = options.name;
    this.file = join(options.directory, `${options.name}.journal`);
    this.#snapshotFile = join(options.directory, `${options.name}.snapshot`);
    this.#compactAfterBytes = options.compactAfterBytes ?? DEFAULT_COMPACT_AFTER_BYTES;
    this.#generation = generation;
    this.#fd = fd;
    this.#size = size;
  }

  /**
   * Opens the journal in `options.directory`, creating it (and the directory) if needed. A
   * torn last line, the trace of a kill in the middle of a write, is cut off here, before
   * anything is appended after it.
   *
   * @throws {@link JournalCorruptError} when the snapshot or the journal header cannot be read,
   * or when the journal is newer than the snapshot (the snapshot was lost).
   */
  static open<R>(options: JournalOptions): Journal<R> {
    mkdirSync(options.directory, { recursive: true });
    const file = join(options.directory, `${options.name}.journal`);
    const snapshotGeneration = readSnapshot(join(options.directory, `${options.name}.snapshot`), options.name)?.generation ?? 0;
    const contents = existsSync(file) ? readFileSync(file) : Buffer.alloc(0);
    const header = readHeader(file, contents, options.name);
    if (header !== undefined && header.generation > snapshotGeneration) {
      throw new JournalCorruptError(file, 1, `the journal is generation ${header.generation} but its snapshot is generation ${snapshotGeneration}; the snapshot is missing or stale.`);
    }
    if (header === undefined || header.generation < snapshotGeneration) {
      // A new journal, or one whose records are already in the snapshot (a kill between the
      // two steps of compaction): start an empty one of the snapshot's generation.
      const fresh = headerLine(options.name, snapshotGeneration);
      writeAtomically(file, fresh);
      return new Journal<R>(options, snapshotGeneration, openSync(file, 'a'), Buffer.byteLength(fresh));
    }
    const size = committedLength(contents);
    // A torn tail must go: the next record would otherwise be glued to it and turn into a
    // corrupt line in the middle of the journal, which replay rightly refuses.
    if (size < contents.length) truncateSync(file, size);
    return new Journal<R>(options, header.generation, openSync(file, 'a'), size);
  }

  /** Bytes in the journal file. */
  get sizeBytes(): number {
    return this.#size;
  }

  /** Whether the journal has grown past `compactAfterBytes` and a snapshot should be written. */
  get needsCompaction(): boolean {
    return this.#size > this.#compactAfterBytes;
  }

  /** The state of the last {@link compact}, or undefined if there has been none. */
  loadSnapshot(): unknown {
    return readSnapshot(this.#snapshotFile, this.#name)?.state;
  }

  /**
   * The records appended since the last snapshot, in order, read from disk. Records are
   * parsed as they are iterated, so a large journal is never held parsed in memory at once.
   *
   * @throws {@link JournalCorruptError} for a line that is not JSON, naming file and line.
   */
  *replay(): Iterable<R> {
    const contents = readFileSync(this.file);
    let start = contents.indexOf(NEWLINE) + 1;
    let line = 2;
    while (start > 0 && start < contents.length) {
      const end = contents.indexOf(NEWLINE, start);
      // open() cut any torn tail and appends end in a newline, so every line is whole.
      if (end < 0) throw new JournalCorruptError(this.file, line, 'the last record has no newline; was the file written by another process?');
      yield parseLine(contents.toString('utf8', start, end), this.file, line) as R;
      start = end + 1;
      line += 1;
    }
  }

  /**
   * Appends a record as one line, synchronously: when this returns, the record survives the
   * process being killed. A batch of changes should be one record, so it is one write.
   *
   * @throws {@link JournalWriteError} when the write fails; every later append fails too.
   */
  append(record: R): void {
    if (this.#failure !== undefined) throw this.#failure;
    const fd = this.#openFd();
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`, 'utf8');
    let written = 0;
    try {
      // writeSync may write less than asked (it does not loop); a record must go whole.
      while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    } catch (error) {
      this.#failure = new JournalWriteError(this.file, { cause: error });
      throw this.#failure;
    }
    this.#size += bytes.length;
  }

  /**
   * Writes `snapshot` as the new snapshot and empties the journal: the records so far are
   * in the snapshot now. Both files are replaced by rename, so a kill at any point leaves
   * either the old pair or the new one readable.
   */
  compact(snapshot: unknown): void {
    const fd = this.#openFd();
    const generation = this.#generation + 1;
    writeAtomically(this.#snapshotFile, JSON.stringify({ journal: this.#name, generation, state: snapshot }));
    const header = headerLine(this.#name, generation);
    writeAtomically(this.file, header);
    closeSync(fd);
    this.#fd = openSync(this.file, 'a');
    this.#generation = generation;
    this.#size = Buffer.byteLength(header);
  }

  /** Closes the file; appends fail afterwards. Nothing is flushed here, nothing needs to be. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }

  #openFd(): number {
    if (this.#fd === undefined) throw new JournalWriteError(this.file, { cause: new Error('the journal is closed') });
    return this.#fd;
  }
}

function headerLine(name: string, generation: number): string {
  return `${JSON.stringify({ journal: name, generation })}\n`;
}

/** Writes a whole file under a temporary name and renames it into place (atomic on POSIX). */
function writeAtomically(file: string, contents: string): void {
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, file);
}

function readSnapshot(file: string, name: string): { generation: number; state: unknown } | undefined {
  if (!existsSync(file)) return undefined;
  const parsed = parseLine(readFileSync(file, 'utf8'), file, undefined) as { journal?: unknown; generation?: unknown; state?: unknown } | null;
  if (parsed?.journal !== name || typeof parsed.generation !== 'number') {
    throw new JournalCorruptError(file, undefined, `not a snapshot of journal "${name}".`);
  }
  return { generation: parsed.generation, state: parsed.state };
}

/** The header of the journal; undefined when the file holds no complete first line. */
function readHeader(file: string, contents: Buffer, name: string): { generation: number } | undefined {
  const end = contents.indexOf(NEWLINE);
  if (end < 0) return undefined;
  const parsed = parseLine(contents.toString('utf8', 0, end), file, 1) as { journal?: unknown; generation?: unknown } | null;
  if (parsed?.journal !== name || typeof parsed.generation !== 'number') {
    throw new JournalCorruptError(file, 1, `not the header of journal "${name}".`);
  }
  return { generation: parsed.generation };
}

/**
 * Length of the journal without its torn tail. A kill can cut only the write in progress, and
 * every write is one whole line, so only the last line can be incomplete: text after the last
 * newline, or else a last line that does not parse. Either was never acknowledged (an append
 * returns only once its newline is written), and is dropped. An earlier line that does not
 * parse is real corruption, left for replay to report.
 */
function committedLength(contents: Buffer): number {
  const headerEnd = contents.indexOf(NEWLINE) + 1;
  const lastNewline = contents.lastIndexOf(NEWLINE);
  if (lastNewline + 1 < contents.length) return lastNewline + 1;
  if (lastNewline + 1 === headerEnd) return headerEnd;
  const lastLineStart = contents.lastIndexOf(NEWLINE, lastNewline - 1) + 1;
  try {
    JSON.parse(contents.toString('utf8', lastLineStart, lastNewline));
    return contents.length;
  } catch {
    return lastLineStart;
  }
}

function parseLine(text: string, file: string, line: number | undefined): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new JournalCorruptError(file, line, `not a JSON record (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
}
