/**
 * `npm run soak -- --orders 2000 --faults all [--seed N] [--concurrency N] [--visibility-timeout-scale 0.1]`:
 * runs a soak on its own local cloud (free ports) and prints its report; exits with 1 when an
 * invariant is violated, 2 when the soak could not run. `--faults`/`--seed` default to
 * `LOCAL_CLOUD_FAULTS`/`LOCAL_CLOUD_SEED`, then to no faults and a random (printed) seed.
 */
import { parseArgs } from 'node:util';
import { resolveFaultSettings } from '#cloud/faults/fault-settings';
import { formatSoakReport } from '#local/soak/soak-report';
import { runSoak } from '#local/soak/soak-run';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';

silenceSdkNodeNotice();

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '500' },
    faults: { type: 'string' },
    seed: { type: 'string' },
    concurrency: { type: 'string', default: '20' },
    'visibility-timeout-scale': { type: 'string', default: '0.1' },
  },
});

const integer = (name: 'orders' | 'concurrency', min: number, max: number): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`--${name} must be an integer from ${min} to ${max}, got "${values[name]}"`);
  return value;
};

try {
  const { faults, seed } = resolveFaultSettings({ faults: values.faults, seed: values.seed });
  const report = await runSoak({
    orders: integer('orders', 1, 1_000_000),
    concurrency: integer('concurrency', 1, 500),
    faults,
    seed,
    visibilityTimeoutScale: Number(values['visibility-timeout-scale']),
    onProgress: (line) => console.log(`${new Date().toISOString().slice(11, 19)}  ${line}`),
  });
  console.log(formatSoakReport(report));
  process.exitCode = report.passed ? 0 : 1;
} catch (error) {
  console.error(error instanceof Error ? `soak failed: ${error.message}` : error);
  process.exitCode = 2;
}
