/**
 * Synthesizing the CDK app in-process and reading back what the local cloud needs: the stack's
 * template and where each bundled asset is. The same app `cdk deploy` deploys, so a local run
 * executes exactly what ships.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildOrderPipeline } from '#infra/app';
import type { CloudFormationTemplate } from '#local/template/stack-plan';

/** A synthesized stack. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CloudFormationTemplate;
  readonly assemblyDirectory: string;
  /** S3 object key (`<hash>.zip`) -> asset directory relative to the assembly. */
  readonly assetPaths: ReadonlyMap<string, string>;
}

const synthesized = new Map<string, SynthesizedStack>();

/** Synthesizes the order pipeline into `outdir` (once per directory per process). */
export function synthesizeOrderPipeline(outdir: string): SynthesizedStack {
  const known = synthesized.get(outdir);
  if (known) return known;
  const { app, stack } = buildOrderPipeline({ app: new App({ outdir }) });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const result: SynthesizedStack = {
    stackName: stack.stackName,
    template: artifact.template as CloudFormationTemplate,
    assemblyDirectory: assembly.directory,
    assetPaths: readAssetPaths(join(assembly.directory, `${artifact.id}.assets.json`)),
  };
  synthesized.set(outdir, result);
  return result;
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
