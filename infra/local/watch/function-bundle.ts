/**
 * How `npm start -- --watch` rebuilds a function: with esbuild, using exactly the options CDK's
 * NodejsFunction builds the deployed bundle with (`FUNCTION_BUNDLING`), translated here rather
 * than copied, so the two cannot drift. An option of `FUNCTION_BUNDLING` this translation does
 * not know stops the watch with its name instead of building something else than CDK would.
 * @see https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.aws_lambda_nodejs.BundlingOptions.html
 */
import { relative } from 'node:path';
import { App } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions } from 'esbuild';
import { buildOrderPipeline } from '#infra/app';
import { FUNCTION_BUNDLING, handlerEntry, PROJECT_ROOT } from '#infra/function-defaults';

/** An option of the functions' bundling the watch cannot reproduce. */
export class UntranslatedBundlingOptionError extends Error {
  constructor(option: string, options?: { cause?: unknown }) {
    super(`FUNCTION_BUNDLING.${option} has no translation to esbuild in infra/local/watch/function-bundle.ts: add it there, or the watch would build differently from CDK`, options);
    this.name = 'UntranslatedBundlingOptionError';
  }
}

/** Options that only say how CDK runs esbuild (in Docker or not), not what it builds. */
const HOW_CDK_RUNS_ESBUILD: ReadonlySet<string> = new Set(['forceDockerBundling']);

/**
 * The esbuild options of `bundling` as CDK's NodejsFunction passes them for a Node.js runtime:
 * a single bundle for node, `index.mjs` for ESM (`index.js` otherwise), no source map unless
 * asked, the listed modules external.
 */
export function esbuildOptionsOf(bundling: BundlingOptions = FUNCTION_BUNDLING): BuildOptions & { readonly outputFileName: string } {
  const { minify, format, target, mainFields, banner, externalModules, logLevel, ...rest } = bundling;
  for (const [option, value] of Object.entries(rest)) if (value !== undefined && !HOW_CDK_RUNS_ESBUILD.has(option)) throw new UntranslatedBundlingOptionError(option);
  const esm = format === OutputFormat.ESM;
  return {
    bundle: true,
    platform: 'node',
    minify: minify ?? false,
    format: esm ? 'esm' : 'cjs',
    ...(target === undefined ? {} : { target }),
    ...(mainFields === undefined ? {} : { mainFields }),
    ...(banner === undefined ? {} : { banner: { js: banner } }),
    // CDK's default leaves the runtime's AWS SDK out; the functions set their own list (none).
    external: externalModules ?? ['@aws-sdk/*'],
    ...(logLevel === undefined ? {} : { logLevel: logLevel as BuildOptions['logLevel'] }),
    outputFileName: esm ? 'index.mjs' : 'index.js',
  };
}

/**
 * Each function's entry file (relative to the project), by its logical id in the template: the
 * stack is built (not synthesized, nothing bundled) to read the ids its functions get.
 */
export function functionEntriesByLogicalId(): ReadonlyMap<string, string> {
  // CDK bundles assets when they are constructed unless this context names no stack.
  const { stack } = buildOrderPipeline({ app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }) });
  const byLogicalId = new Map<string, string>();
  const add = (name: string, fn: { node: { defaultChild?: unknown } }) => byLogicalId.set(stack.getLogicalId(fn.node.defaultChild as CfnFunction), relative(PROJECT_ROOT, handlerEntry(name)));
  for (const [name, step] of Object.entries(stack.steps)) add(name, step.function);
  for (const [name, fn] of Object.entries(stack.httpFunctions)) add(name, fn);
  return byLogicalId;
}
