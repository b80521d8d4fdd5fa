/**
 * Module initialisation time of a bundle, as a cold start pays it: a fresh `node` process
 * imports the bundle once and reports what `import()` took (loading, compiling and running the
 * module's top level, which builds the SDK clients and adapters). Process start-up is outside
 * the measured span, so only the bundle's own cost is counted.
 *
 * The time is the process's CPU time (all its threads), not the wall-clock time: on a machine
 * shared with other work the wall clock also counts time spent waiting for a core, while the
 * CPU time is the work itself, which is what a Lambda function's CPU share has to get through.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Region Lambda always sets; SDK clients read it when they are constructed. */
const LAMBDA_REGION = 'us-east-1';

/**
 * Imports `moduleFile` in a new Node.js process with exactly `environment` (plus PATH and the
 * region) and returns the CPU milliseconds `import()` took. The parent's NODE_OPTIONS (tsx's
 * loader) is deliberately not passed on: Lambda loads the bundle with plain Node.js.
 */
export async function measureModuleInit(moduleFile: string, environment: Readonly<Record<string, string>>): Promise<number> {
  const script = [
    'const start = process.cpuUsage();',
    `await import(${JSON.stringify(pathToFileURL(moduleFile).href)});`,
    'const used = process.cpuUsage(start);',
    'process.stdout.write(String((used.user + used.system) / 1000));',
    // The module may hold handles open (keep-alive agents); the measurement is done.
    'process.exit(0);',
  ].join('\n');
  const { stdout } = await execFileAsync(process.execPath, ['--no-warnings', '--input-type=module', '--eval', script], {
    env: { PATH: process.env.PATH ?? '', AWS_REGION: LAMBDA_REGION, ...environment },
    timeout: 30_000,
  });
  const milliseconds = Number(stdout);
  if (!Number.isFinite(milliseconds)) throw new Error(`module init of ${moduleFile}: unexpected output ${JSON.stringify(stdout)}`);
  return milliseconds;
}
