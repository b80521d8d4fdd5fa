/**
 * `npm start -- --watch`: rebuilds the functions whose sources changed and swaps their code in
 * the running local cloud (`LocalFunction.replaceCode`): queues, tables, in-flight messages and
 * the console's history stay; an invocation running during the swap finishes on the old code,
 * the next ones get the new. Each function has its own esbuild context (incremental rebuilds)
 * whose metafile says which source files it is made of, so an edit rebuilds only the functions
 * that include the edited file.
 * @see https://esbuild.github.io/api/#incremental
 */
import { watch, type FSWatcher } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { context, type BuildContext, type BuildResult } from 'esbuild';
import type { LocalCloud } from '#cloud/local-cloud';
import { esbuildOptionsOf } from '#local/watch/function-bundle';

/** Options of {@link watchFunctions}. */
export interface FunctionWatchOptions {
  readonly cloud: Pick<LocalCloud, 'plan' | 'functions'>;
  /** Each function's entry file relative to `projectRoot`, by its logical id (see `functionEntriesByLogicalId`). */
  readonly entries: ReadonlyMap<string, string>;
  /** Where the sources are: what is watched and what entries are relative to. */
  readonly projectRoot: string;
  /** Where the rebuilt bundles are written, one directory per function and version. */
  readonly outputDirectory: string;
  /** Told of each swap. */
  readonly onReload?: (reload: FunctionReload) => void;
  /** Told of a build that failed (the function keeps its code). */
  readonly onError?: (functionName: string, error: unknown) => void;
}

/** A function's code swapped. */
export interface FunctionReload {
  readonly functionName: string;
  readonly codeVersion: number;
  /** The file whose change caused it. */
  readonly changed: string;
  /** From the change being noticed to the new code being in place, in ms. */
  readonly reloadMs: number;
}

/** A running watch. */
export interface FunctionWatch {
  /** Stops watching and disposes of the builds. */
  close(): Promise<void>;
}

/** Editors write a file in several steps (truncate, write, rename): one rebuild for them all. */
const SETTLE_MS = 30;

interface WatchedFunction {
  readonly name: string;
  readonly build: BuildContext<{ metafile: true; write: false }>;
  inputs: ReadonlySet<string>;
  /** A rebuild running, and whether another was asked for meanwhile. */
  rebuilding?: Promise<void>;
  again?: string;
}

/** Builds every function once (to learn its sources) and watches `projectRoot` for changes. */
export async function watchFunctions(options: FunctionWatchOptions): Promise<FunctionWatch> {
  const { outputFileName, ...esbuildOptions } = esbuildOptionsOf();
  const projectRoot = resolve(options.projectRoot);
  const watched: WatchedFunction[] = [];
  for (const fn of options.cloud.plan.functions) {
    const entry = options.entries.get(fn.logicalId);
    if (entry === undefined || !options.cloud.functions.has(fn.name)) continue;
    const build = await context({ ...esbuildOptions, entryPoints: [join(projectRoot, entry)], absWorkingDir: projectRoot, outfile: outputFileName, metafile: true, write: false });
    const result = await build.rebuild();
    watched.push({ name: fn.name, build, inputs: inputsOf(result, projectRoot) });
  }

  const rebuild = async (fn: WatchedFunction, changed: string, noticedAt: number): Promise<void> => {
    const result = await fn.build.rebuild();
    fn.inputs = inputsOf(result, projectRoot);
    const local = options.cloud.functions.get(fn.name);
    if (local === undefined) return;
    const directory = join(options.outputDirectory, fn.name, `v${local.codeVersion + 1}`);
    await mkdir(directory, { recursive: true });
    for (const file of result.outputFiles) await writeFile(join(directory, file.path.endsWith('.map') ? `${outputFileName}.map` : outputFileName), file.contents);
    const codeVersion = local.replaceCode(directory);
    options.onReload?.({ functionName: fn.name, codeVersion, changed, reloadMs: Date.now() - noticedAt });
  };
  const schedule = (fn: WatchedFunction, changed: string, noticedAt: number): void => {
    if (fn.rebuilding !== undefined) {
      fn.again = changed;
      return;
    }
    fn.rebuilding = rebuild(fn, changed, noticedAt)
      .catch((error: unknown) => (options.onError ?? defaultOnError)(fn.name, error))
      .finally(() => {
        fn.rebuilding = undefined;
        const next = fn.again;
        fn.again = undefined;
        if (next !== undefined) schedule(fn, next, Date.now());
      });
  };

  const pending = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    for (const [file, noticedAt] of pending) for (const fn of watched) if (fn.inputs.has(file)) schedule(fn, file, noticedAt);
    pending.clear();
  };
  const watchers: FSWatcher[] = [...new Set(watched.flatMap((fn) => [...fn.inputs].map((input) => topDirectory(input))))].map((directory) =>
    watch(join(projectRoot, directory), { recursive: true, persistent: false }, (_event, file) => {
      if (file === null) return;
      const changed = join(directory, file.toString());
      if (!pending.has(changed)) pending.set(changed, Date.now());
      timer ??= setTimeout(flush, SETTLE_MS);
    }),
  );

  return {
    close: async () => {
      for (const watcher of watchers) watcher.close();
      if (timer !== undefined) clearTimeout(timer);
      await Promise.all(watched.flatMap((fn) => (fn.rebuilding === undefined ? [] : [fn.rebuilding])));
      await Promise.all(watched.map((fn) => fn.build.dispose()));
    },
  };
}

/** The project's source files a build read (node_modules left out: `npm ci` does not happen while watching). */
function inputsOf(result: BuildResult<{ metafile: true }>, projectRoot: string): ReadonlySet<string> {
  return new Set(Object.keys(result.metafile.inputs).filter((input) => !input.startsWith('node_modules/') && !input.startsWith('..') && !input.startsWith('/') && resolve(projectRoot, input).startsWith(projectRoot)));
}

/** `functions/shared/x.ts` -> `functions`: the directories watched are those the sources are in. */
function topDirectory(input: string): string {
  return input.split('/')[0] ?? input;
}

function defaultOnError(functionName: string, error: unknown): void {
  console.error(`watch: ${functionName} was not rebuilt, it keeps its code: ${error instanceof Error ? error.message : String(error)}`);
}
