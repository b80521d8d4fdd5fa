/**
 * The pipeline's handler bundles exactly as deployed: the stack is synthesized in process
 * (CDK runs esbuild while building it) and each bundled function's code is found through the
 * template's `Code.S3Key` and the assets manifest, as the local cloud finds it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { buildOrderPipeline } from '#infra/app';
import { handlerEntry } from '#infra/function-defaults';
import { planStack, type CloudFormationTemplate } from '#cloud/template/stack-plan';
import { EnvName } from '#shared/config';

/** A deployed handler bundle. */
export interface FunctionBundle {
  /** The handler's name, its folder under `functions/` (e.g. `reserve-inventory`). */
  readonly name: string;
  /** The source entry CDK bundled, `functions/<name>/index.ts`. */
  readonly entry: string;
  /** The bundle's handler module (e.g. `<asset>/index.mjs`). */
  readonly handlerFile: string;
  /** Size of the handler module in bytes: what Lambda loads at a cold start. */
  readonly bundleBytes: number;
  /** The function's environment as the template sets it, references resolved to local names. */
  readonly environment: Readonly<Record<string, string>>;
}

/** Where the local cloud would serve the APIs; only used to resolve environment values. */
const LOCAL_ENDPOINTS = { region: 'us-east-1', accountId: '000000000000', awsEndpoint: 'http://127.0.0.1:4566', httpApiUrl: 'http://127.0.0.1:3000' } as const;

/** Lambda's module extensions, in the order its Node.js runtime tries them. */
const HANDLER_EXTENSIONS = ['.mjs', '.js', '.cjs'] as const;

/**
 * Synthesizes the pipeline into `outdir` and returns the bundle of each function CDK bundled
 * from `functions/` (CDK's own custom-resource functions ship prebuilt code and are skipped).
 */
export function synthesizeFunctionBundles(outdir: string): FunctionBundle[] {
  const { app, stack } = buildOrderPipeline({ outdir });
  const assembly = app.synth();
  const artifact = assembly.getStackByName(stack.stackName);
  const template = artifact.template as CloudFormationTemplate;
  const plan = planStack({
    stackName: stack.stackName,
    template,
    assemblyDirectory: assembly.directory,
    assetPaths: assetPathsByS3Key(path.join(assembly.directory, `${artifact.stackName}.assets.json`)),
    endpoints: LOCAL_ENDPOINTS,
  });
  return plan.functions.flatMap((fn): FunctionBundle[] => {
    if (template.Resources[fn.logicalId]?.Metadata?.['aws:asset:is-bundled'] !== true) return [];
    const name = fn.environment[EnvName.serviceName];
    if (name === undefined) throw new Error(`function ${fn.logicalId}: no ${EnvName.serviceName}, so its source folder under functions/ is unknown`);
    const entry = handlerEntry(name);
    if (!existsSync(entry)) throw new Error(`function ${fn.logicalId}: its entry ${entry} does not exist`);
    const handlerFile = handlerModule(fn.codeDirectory, fn.handler);
    return [{ name, entry, handlerFile, bundleBytes: statSync(handlerFile).size, environment: fn.environment }];
  });
}

/** S3 object key (`<hash>.zip`) -> asset directory relative to the assembly, from the assets manifest. */
function assetPathsByS3Key(manifestPath: string): Map<string, string> {
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    files?: Record<string, { source: { path: string; packaging?: string } }>;
  };
  return new Map(
    Object.entries(manifest.files ?? {})
      .filter(([, file]) => file.source.packaging === 'zip')
      .map(([hash, file]) => [`${hash}.zip`, file.source.path]),
  );
}

/** The file a handler string (`index.handler`) loads from `codeDirectory`. */
function handlerModule(codeDirectory: string, handler: string): string {
  const modulePath = handler.slice(0, handler.lastIndexOf('.'));
  const candidates = HANDLER_EXTENSIONS.map((extension) => path.join(codeDirectory, `${modulePath}${extension}`));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) throw new Error(`handler ${handler}: none of ${candidates.join(', ')} exists`);
  return found;
}
