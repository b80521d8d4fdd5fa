/** The command line of `npm run bench`: `npm run bench -- --only sqs,events`. */

/** What the run is asked to do. */
export interface BenchOptions {
  /** The groups to run, in registration order. */
  readonly groups: readonly string[];
}

/**
 * Parses the arguments against the registered group names. Without `--only`, every group runs.
 * @throws Error naming the valid groups for an unknown group or argument.
 */
export function parseBenchArguments(args: readonly string[], groupNames: readonly string[]): BenchOptions {
  let only: string[] | undefined;
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] as string;
    if (arg === '--only' || arg.startsWith('--only=')) {
      const value = arg === '--only' ? args[(index += 1)] : arg.slice('--only='.length);
      if (value === undefined || value.trim() === '') throw new Error(`--only needs a comma-separated list of groups: ${groupNames.join(', ')}`);
      only = value.split(',').map((name) => name.trim()).filter((name) => name !== '');
      const unknown = only.filter((name) => !groupNames.includes(name));
      if (unknown.length > 0) throw new Error(`Unknown group ${unknown.join(', ')}; the groups are ${groupNames.join(', ')}`);
    } else {
      throw new Error(`Unknown argument ${arg}; usage: npm run bench [-- --only ${groupNames.join(',')}]`);
    }
  }
  return { groups: only === undefined ? [...groupNames] : groupNames.filter((name) => only.includes(name)) };
}
