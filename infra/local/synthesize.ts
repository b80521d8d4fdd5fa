/**
 * Synthesizing the CDK app in-process and reading back what the local cloud needs: the stack's
 * template and where each bundled asset is. The same app `cdk deploy` deploys, so a local run
 * executes exactly what ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { appContext, buildOrderPipeline } from '#infra/app';
import type { CloudFormationTemplate } from '#local/template/stack-plan';

/** A synthesized stack. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CloudFormationTemplate;
  readonly assemblyDirectory: string;
  /** S3 object key (`<hash>.zip`) -> asset directory relative to the assembly. */
  readonly assetPaths: ReadonlyMap<string, string>;
}

/**
 * Synthesizes the order pipeline into `outdir`, with `context` over the app's own context as
 * `cdk synth -c key=value` would put it, e.g. `{ logLevel: 'INFO' }`.
 */
export function synthesizeOrderPipeline(outdir: string, context: Readonly<Record<string, unknown>> = {}): SynthesizedStack {
  const { app, stack } = buildOrderPipeline({ app: new App({ outdir, context: { ...appContext(), ...context } }) });
  const assembly = app.synth();
  return readSynthesizedStack(assembly.directory, stack.stackName);
}

/** Reads a stack from an assembly synthesized earlier (by `cdk synth` or {@link synthesizeOrderPipeline}). */
export function readSynthesizedStack(assemblyDirectory: string, stackName: string): SynthesizedStack {
  return {
    stackName,
    template: JSON.parse(readFileSync(join(assemblyDirectory, `${stackName}.template.json`), 'utf8')) as CloudFormationTemplate,
    assemblyDirectory,
    assetPaths: readAssetPaths(join(assemblyDirectory, `${stackName}.assets.json`)),
  };
}

/** Maps each file asset's object key to its directory, from the assets manifest CDK writes. */
function readAssetPaths(manifestPath: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files?: Record<string, { source: { path: string }; destinations: Record<string, { objectKey: string }> }>;
  };
  const paths = new Map<string, string>();
  for (const asset of Object.values(manifest.files ?? {})) {
    for (const destination of Object.values(asset.destinations)) paths.set(destination.objectKey, asset.source.path);
  }
  return paths;
}
