import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Fresh data directories for persistence tests, removed by `removeAll`. */
export class DataDirectories {
  readonly #created: string[] = [];

  /** A new empty directory under the OS temp directory. */
  create(): string {
    const directory = mkdtempSync(join(tmpdir(), 'local-cloud-data-'));
    this.#created.push(directory);
    return directory;
  }

  /** Removes every directory created so far. */
  removeAll(): void {
    for (const directory of this.#created.splice(0)) rmSync(directory, { recursive: true, force: true });
  }
}
