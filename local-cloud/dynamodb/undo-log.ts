/**
 * The before-images of the transaction being applied, kept in a file while it is applied: the
 * local DynamoDB applies a transaction's actions one by one, so a process killed in between
 * would leave half of it on disk. The next start puts the images back and the transaction is
 * as if it never ran (its caller never got an answer, so it retries).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

/** One item as it was before the transaction: `Item` absent means it did not exist. */
export interface BeforeImage {
  readonly TableName: string;
  readonly Key: Record<string, unknown>;
  readonly Item?: Record<string, unknown>;
}

/** The undo log of one local DynamoDB's transactions (they run one at a time). */
export class UndoLog {
  constructor(private readonly path: string) {}

  /** Keeps `images` before the first action is applied. */
  record(images: readonly BeforeImage[]): void {
    writeFileSync(this.path, JSON.stringify(images));
  }

  /** The transaction is whole (committed or rolled back): nothing to undo any more. */
  clear(): void {
    rmSync(this.path, { force: true });
  }

  /**
   * The images of a transaction a crash interrupted, if any. A log cut short was being
   * written when the process died, before any action was applied: nothing to undo.
   */
  interrupted(): readonly BeforeImage[] {
    if (!existsSync(this.path)) return [];
    try {
      return JSON.parse(readFileSync(this.path, 'utf8')) as BeforeImage[];
    } catch {
      return [];
    }
  }
}
