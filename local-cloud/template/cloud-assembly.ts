/**
 * Reading a stack from a synthesized cloud assembly (what `cdk synth` writes): its template and
 * where each bundled asset is. The local cloud runs whatever stack an assembly holds.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudFormationTemplate } from '#cloud/template/stack-plan';

/** A synthesized stack. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: CloudFormationTemplate;
  readonly assemblyDirectory: string;
  /** S3 object key (`<hash>.zip`) -> asset directory relative to the assembly. */
  readonly assetPaths: ReadonlyMap<string, string>;
}

/** An assembly the local cloud cannot run as asked. */
export class CloudAssemblyError extends Error {
  override readonly name = 'CloudAssemblyError';
}

/**
 * Reads `stackName` from the assembly in `assemblyDirectory`, or its only stack when no name is
 * given.
 * @throws CloudAssemblyError when no name is given and the assembly holds other than one stack
 */
export function readSynthesizedStack(assemblyDirectory: string, stackName: string = onlyStackOf(assemblyDirectory)): SynthesizedStack {
  return {
    stackName,
    template: JSON.parse(readFileSync(join(assemblyDirectory, `${stackName}.template.json`), 'utf8')) as CloudFormationTemplate,
    assemblyDirectory,
    assetPaths: readAssetPaths(join(assemblyDirectory, `${stackName}.assets.json`)),
  };
}

/** The name of the one CloudFormation stack the assembly's manifest lists. */
function onlyStackOf(assemblyDirectory: string): string {
  const manifest = JSON.parse(readFileSync(join(assemblyDirectory, 'manifest.json'), 'utf8')) as {
    artifacts?: Record<string, { type?: string; properties?: { stackName?: string } }>;
  };
  const stacks = Object.entries(manifest.artifacts ?? {})
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id, artifact]) => artifact.properties?.stackName ?? id);
  if (stacks.length !== 1) {
    throw new CloudAssemblyError(`the assembly in ${assemblyDirectory} holds ${stacks.length} stacks (${stacks.join(', ') || 'none'}); name the one to run`);
  }
  return stacks[0] as string;
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
