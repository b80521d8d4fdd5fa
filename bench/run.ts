/**
 * `npm run bench [-- --only sqs,events]`: runs the benchmark groups one after another (never
 * in parallel: they would measure each other), merges their figures into `bench-results.json`
 * by group and prints them with the targets they meet or miss. Not part of `npm test`: the
 * figures depend on the machine; the ratios to same-run baselines are what to compare.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchmarkGroup, GroupFigures, TargetVerdict } from './benchmark.ts';
import { parseBenchArguments } from './cli-options.ts';
import { costBenchmark } from './cost-bench.ts';
import { e2eBenchmark } from './e2e-bench.ts';
import { eventsBenchmark } from './events-bench.ts';
import { functionsBenchmark } from './functions-bench.ts';
import { LoadAverageSampler } from './load-average.ts';
import { formatTable, formatVerdicts, mergeResults, readResults, writeResults } from './report.ts';
import { RESULTS_FILE } from './results-file.ts';
import { sqsBenchmark } from './sqs-bench.ts';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';

/**
 * Every benchmark group, in the order they run. Register a new group here. `cost` prices the
 * figures `e2e` wrote, so it comes after it.
 */
const GROUPS: readonly BenchmarkGroup[] = [sqsBenchmark, eventsBenchmark, functionsBenchmark, e2eBenchmark, costBenchmark];

async function main(): Promise<void> {
  silenceSdkNodeNotice();
  const options = parseBenchArguments(process.argv.slice(2), GROUPS.map((group) => group.name));
  const workDirectory = await mkdtemp(path.join(tmpdir(), 'order-pipeline-bench-'));
  const fresh: Record<string, GroupFigures> = {};
  const verdicts: TargetVerdict[] = [];
  const notes: string[] = [];
  const failures: string[] = [];
  try {
    for (const group of GROUPS.filter((candidate) => options.groups.includes(candidate.name))) {
      const groupDirectory = path.join(workDirectory, group.name);
      await mkdir(groupDirectory);
      const started = performance.now();
      const loadAverage = LoadAverageSampler.during(availableParallelism());
      try {
        const figures = await group.run({
          workDirectory: groupDirectory,
          log: (message) => process.stderr.write(`${message}\n`),
          note: (message) => notes.push(message),
        });
        fresh[group.name] = { ...figures, measuredAt: new Date().toISOString(), durationSeconds: (performance.now() - started) / 1000, loadAverage: { ...loadAverage() } };
        // Written at once, so a later group can read it (cost reads e2e) and a failed run keeps it.
        await writeResults(RESULTS_FILE, mergeResults(await readResults(RESULTS_FILE), { [group.name]: fresh[group.name] as GroupFigures }));
        verdicts.push(...(group.targets?.(figures) ?? []));
      } catch (error) {
        loadAverage();
        // The other groups still run; a failed group keeps its previous figures in the file.
        failures.push(`${group.name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
  } finally {
    await rm(workDirectory, { recursive: true, force: true });
  }

  await writeResults(RESULTS_FILE, mergeResults(await readResults(RESULTS_FILE), fresh));
  const sections = [formatTable(fresh, Object.keys(fresh))];
  if (verdicts.length > 0) sections.push(`== targets\n${formatVerdicts(verdicts)}`);
  if (notes.length > 0) sections.push(`== notes\n${notes.map((note) => `- ${note}`).join('\n')}`);
  sections.push(`Figures written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
  process.stdout.write(`\n${sections.join('\n\n')}\n`);
  if (failures.length > 0) {
    process.stderr.write(`\nFailed groups:\n${failures.join('\n')}\n`);
    process.exitCode = 1;
  }
}

await main();
