/**
 * Group `functions`: per handler, the deployed bundle's size (minified, as CDK builds it), its
 * module-initialisation time as a ratio to a bundle of only the SDK clients it uses, and the
 * warm time per record in the running local cloud.
 *
 * Init times are medians of fresh-process samples taken round-robin (each round imports every
 * handler and every baseline once), so machine load drifts over all of them alike.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { buildBareClientsBundle, bundleCompositions, type PackageShare } from './bare-clients.ts';
import { verdict, type BenchmarkGroup, type GroupFigures } from './benchmark.ts';
import { synthesizeFunctionBundles } from './function-bundles.ts';
import { measureModuleInit } from './module-init.ts';
import { median } from './statistics.ts';
import { measureWarmTimes } from './warm-invocations.ts';

/** Issue targets: a handler bundle of at most 600 KiB minified, init at most 1.3x its bare clients. */
const MAX_BUNDLE_BYTES = 600 * 1024;
const MAX_INIT_RATIO = 1.3;

/** Fresh-process samples per bundle; the median is reported. */
const INIT_SAMPLES = 15;

/** How many of a bundle's largest packages the figures name, to show what a size is made of. */
const LARGEST_PACKAGES_SHOWN = 2;

/** The figures of one handler. */
interface FunctionFigures {
  readonly name: string;
  readonly bundleBytes: number;
  readonly largestPackages: string;
  readonly sdkClients: readonly string[];
  readonly initCpuMs: number;
  readonly bareClientsInitCpuMs: number;
  readonly initRatio: number;
  readonly warmUsPerRecord: number | null;
  readonly [key: string]: number | string | null | readonly string[];
}

/** The `functions` benchmark group. */
export const functionsBenchmark: BenchmarkGroup = {
  name: 'functions',
  async run(context) {
    context.log('functions: synthesizing the stack (CDK bundles every handler)');
    const assemblyDirectory = path.join(context.workDirectory, 'cdk.out');
    const bundles = synthesizeFunctionBundles(assemblyDirectory);
    const compositions = await bundleCompositions(Object.fromEntries(bundles.map((bundle) => [bundle.name, bundle.entry])));

    // One baseline per distinct set of clients (most steps ship the same four), imported with
    // the environment of the first handler that ships that set.
    const baselines = new Map<string, { readonly file: string; readonly environment: Readonly<Record<string, string>> }>();
    const baselineKeyOf = (name: string): string => compositions.get(name)?.sdkClients.join('+') ?? '';
    for (const bundle of bundles) {
      const key = baselineKeyOf(bundle.name);
      if (baselines.has(key)) continue;
      const directory = path.join(context.workDirectory, 'bare-clients', String(baselines.size));
      await mkdir(directory, { recursive: true });
      baselines.set(key, { file: await buildBareClientsBundle(compositions.get(bundle.name)?.sdkClients ?? [], directory), environment: bundle.environment });
    }

    context.log(`functions: ${INIT_SAMPLES} init samples of ${bundles.length} handlers and ${baselines.size} bare-clients bundles`);
    const samples = new Map<string, number[]>();
    const sample = async (key: string, file: string, environment: Readonly<Record<string, string>>): Promise<void> => {
      const taken = samples.get(key) ?? [];
      taken.push(await measureModuleInit(file, environment));
      samples.set(key, taken);
    };
    for (let round = 0; round < INIT_SAMPLES; round += 1) {
      for (const bundle of bundles) await sample(`handler:${bundle.name}`, bundle.handlerFile, bundle.environment);
      for (const [key, baseline] of baselines) await sample(`baseline:${key}`, baseline.file, baseline.environment);
    }

    context.log('functions: warm time per record, orders through the local cloud');
    const warmMicroseconds = await measureWarmTimes(assemblyDirectory);

    const functions = bundles.map((bundle): FunctionFigures => {
      const composition = compositions.get(bundle.name);
      const initCpuMs = median(samples.get(`handler:${bundle.name}`) ?? []);
      const bareClientsInitCpuMs = median(samples.get(`baseline:${baselineKeyOf(bundle.name)}`) ?? []);
      const warmUsPerRecord = warmMicroseconds.get(bundle.name) ?? null;
      if (warmUsPerRecord === null) context.note(`functions: ${bundle.name} had no warm invocation, so its warmUsPerRecord is null`);
      return {
        name: bundle.name,
        bundleBytes: bundle.bundleBytes,
        largestPackages: describeLargest(composition?.packages ?? []),
        // Short names in the figures: every client is an `@aws-sdk/` package.
        sdkClients: (composition?.sdkClients ?? []).map((client) => client.replace(/^@aws-sdk\//, '')),
        initCpuMs,
        bareClientsInitCpuMs,
        initRatio: initCpuMs / bareClientsInitCpuMs,
        warmUsPerRecord,
      };
    });
    return { functions };
  },
  targets: (figures: GroupFigures) =>
    (figures.functions as readonly FunctionFigures[]).flatMap((fn) => [
      verdict(`functions[${fn.name}].bundleBytes <= ${MAX_BUNDLE_BYTES}`, fn.bundleBytes, { atMost: MAX_BUNDLE_BYTES }),
      verdict(`functions[${fn.name}].initRatio <= ${MAX_INIT_RATIO}`, fn.initRatio, { atMost: MAX_INIT_RATIO }),
    ]),
};

/** E.g. `zod 443 KiB, @smithy/core 131 KiB`. */
function describeLargest(packages: readonly PackageShare[]): string {
  return packages
    .slice(0, LARGEST_PACKAGES_SHOWN)
    .map((share) => `${share.name} ${Math.round(share.bytes / 1024)} KiB`)
    .join(', ');
}
