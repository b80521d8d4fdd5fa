/**
 * Where the entry points (`npm start`, `npm run soak`) take their fault settings from: a flag
 * when given, else the environment. The environment is read here and nowhere else; the local
 * cloud itself only takes options, so a test never picks up faults from the shell by accident.
 */
import { FaultSettingError } from '#cloud/faults/errors';
import { parseFaultSpec, type FaultSpec } from '#cloud/faults/fault-spec';
import { MAX_SEED, randomSeed } from '#cloud/faults/prng';

/** The environment variables of fault injection. */
export const FaultEnvName = {
  /** A fault spec, as `--faults` takes it (see fault-spec.ts), e.g. `all` or `throw=0.05@capture-payment`. */
  faults: 'LOCAL_CLOUD_FAULTS',
  /** The seed of the fault generator, an integer from 0 to 4294967295, as `--seed`. */
  seed: 'LOCAL_CLOUD_SEED',
} as const;

/** Fault settings resolved from flags and environment. */
export interface FaultSettings {
  readonly faults: FaultSpec;
  /** The seed given, or a random one (print it: it repeats the run). */
  readonly seed: number;
}

/**
 * Resolves `--faults`/`--seed` (flags win) and `LOCAL_CLOUD_FAULTS`/`LOCAL_CLOUD_SEED`.
 * @throws FaultSettingError for a spec or seed that cannot be read
 */
export function resolveFaultSettings(flags: { readonly faults?: string; readonly seed?: string }, environment: NodeJS.ProcessEnv = process.env): FaultSettings {
  const spec = flags.faults ?? environment[FaultEnvName.faults] ?? 'none';
  const seedText = flags.seed ?? environment[FaultEnvName.seed];
  return { faults: parseFaultSpec(spec), seed: seedText === undefined ? randomSeed() : parseSeed(seedText) };
}

/** Reads a seed. @throws FaultSettingError unless it is an integer from 0 to {@link MAX_SEED} */
export function parseSeed(text: string): number {
  const seed = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!(seed >= 0 && seed <= MAX_SEED)) throw new FaultSettingError('seed', text, `the seed must be an integer from 0 to ${MAX_SEED}`);
  return seed;
}
