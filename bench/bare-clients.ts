/**
 * The "bare clients" baseline of a handler: a bundle that only imports and constructs the AWS
 * SDK clients the handler's bundle contains, built with the handler's own esbuild options.
 * Its initialisation is what the SDK alone costs; the handler's excess over it is our code and
 * our other dependencies.
 *
 * Which clients a handler uses is detected, not listed: esbuild bundles the handler's entry
 * again with a metafile, and every SDK client package that contributes bytes to the output is
 * one the handler ships. Only how to construct each client is kept here, in one table.
 */
import path from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { FUNCTION_BUNDLING, PROJECT_ROOT } from '#infra/function-defaults';

/** How the baseline entry imports and constructs an SDK client package. */
interface ClientConstruction {
  readonly imports: string;
  readonly construct: string;
}

/** How the baseline entry imports and constructs each SDK client package. */
const CLIENT_CONSTRUCTION: Readonly<Record<string, ClientConstruction>> = {
  '@aws-sdk/client-dynamodb': { imports: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';", construct: 'new DynamoDBClient({})' },
  '@aws-sdk/client-eventbridge': { imports: "import { EventBridgeClient } from '@aws-sdk/client-eventbridge';", construct: 'new EventBridgeClient({})' },
  '@aws-sdk/client-sqs': { imports: "import { SQSClient } from '@aws-sdk/client-sqs';", construct: 'new SQSClient({})' },
};

/** A package's share of a bundle. */
export interface PackageShare {
  readonly name: string;
  readonly bytes: number;
}

/** What a handler's bundle is made of. */
export interface BundleComposition {
  /** SDK client packages in the bundle, sorted, e.g. `['@aws-sdk/client-dynamodb', …]`. */
  readonly sdkClients: readonly string[];
  /** Packages by bytes in the minified output, largest first; the project's own code is `(project)`. */
  readonly packages: readonly PackageShare[];
}

/**
 * esbuild options equal to what CDK's NodejsFunction passes for `FUNCTION_BUNDLING`
 * (`--bundle --platform=node --target --format --minify --main-fields --banner:js`).
 */
export function functionBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    format: FUNCTION_BUNDLING.format === 'esm' ? 'esm' : 'cjs',
    minify: FUNCTION_BUNDLING.minify,
    ...(FUNCTION_BUNDLING.mainFields ? { mainFields: [...FUNCTION_BUNDLING.mainFields] } : {}),
    ...(FUNCTION_BUNDLING.banner ? { banner: { js: FUNCTION_BUNDLING.banner } } : {}),
    logLevel: 'silent',
  };
}

/** The composition of each entry's bundle, in one esbuild run (entries share most modules). */
export async function bundleCompositions(entries: Readonly<Record<string, string>>): Promise<Map<string, BundleComposition>> {
  const result = await build({ ...functionBuildOptions(), entryPoints: { ...entries }, outdir: path.join(PROJECT_ROOT, 'out'), write: false, metafile: true });
  const compositions = new Map<string, BundleComposition>();
  for (const name of Object.keys(entries)) {
    const output = outputOf(result.metafile, name);
    const bytesByPackage = new Map<string, number>();
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      const packageName = packageOf(input);
      bytesByPackage.set(packageName, (bytesByPackage.get(packageName) ?? 0) + bytesInOutput);
    }
    const packages = [...bytesByPackage].map(([packageName, bytes]) => ({ name: packageName, bytes })).sort((a, b) => b.bytes - a.bytes);
    const sdkClients = packages.map((share) => share.name).filter((packageName) => /^@aws-sdk\/client-[^/]+$/.test(packageName)).sort();
    compositions.set(name, { sdkClients, packages });
  }
  return compositions;
}

/**
 * Builds the baseline bundle constructing `sdkClients` into `directory/index.mjs` and returns
 * its path, each client once. Throws for a client package the construction table does not know yet.
 */
export async function buildBareClientsBundle(sdkClients: readonly string[], directory: string): Promise<string> {
  const unknown = sdkClients.filter((client) => CLIENT_CONSTRUCTION[client] === undefined);
  if (unknown.length > 0) throw new Error(`bare clients: no construction for ${unknown.join(', ')}; add it to CLIENT_CONSTRUCTION in bench/bare-clients.ts`);
  const parts = sdkClients.map((client) => CLIENT_CONSTRUCTION[client] as ClientConstruction);
  // Exported, so minification cannot drop the clients as unused.
  const contents = `${parts.map((part) => part.imports).join('\n')}\nexport const clients = [${parts.map((part) => part.construct).join(', ')}];\n`;
  const outfile = path.join(directory, 'index.mjs');
  await build({ ...functionBuildOptions(), stdin: { contents, resolveDir: PROJECT_ROOT, sourcefile: 'bare-clients.mjs', loader: 'js' }, outfile });
  return outfile;
}

function outputOf(metafile: Metafile, entryName: string): Metafile['outputs'][string] {
  const match = Object.entries(metafile.outputs).find(([file]) => path.basename(file, path.extname(file)) === entryName);
  if (match === undefined) throw new Error(`esbuild produced no output for ${entryName}`);
  return match[1];
}

/** The npm package an esbuild input path belongs to, or `(project)` for the project's own files. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(input);
  return match?.[1] ?? '(project)';
}
