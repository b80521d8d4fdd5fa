/** Writes tiny handler bundles (plain `.mjs`/`.cjs` files) into temp dirs, as CDK writes `cdk.out/asset.*`. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A set of bundle directories created by one test file, removed together. */
export class HandlerBundles {
  readonly #directories: string[] = [];

  /** Creates a directory holding `files` (name -> source) and returns its path. */
  async write(files: Readonly<Record<string, string>>): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), 'local-lambda-'));
    this.#directories.push(directory);
    await Promise.all(Object.entries(files).map(([name, source]) => writeFile(join(directory, name), source)));
    return directory;
  }

  /** A directory with `index.mjs` whose `handler` export is `handlerSource` (an expression). */
  async handler(handlerSource: string, preamble = ''): Promise<string> {
    return this.write({ 'index.mjs': `${preamble}\nexport const handler = ${handlerSource};\n` });
  }

  /** Removes every directory written. */
  async removeAll(): Promise<void> {
    await Promise.all(this.#directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
  }
}
