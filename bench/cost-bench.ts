/**
 * Group `cost`: what a million orders cost on AWS, priced from the `e2e` group's figures: the
 * design it read from the synthesized template (memory, architecture, batch sizes, windows) and
 * the usage per order it observed (events, SQS requests, invocations and billed durations,
 * DynamoDB units, log bytes). Beside it, the naive baseline computed the same way.
 *
 * It needs the e2e figures: `npm run bench -- --only e2e,cost` measures and prices in one run
 * (the runner writes each group's figures as soon as the group ends); `--only cost` alone
 * prices the last e2e figures in `bench-results.json` and says when they were measured.
 */
import { verdict, type BenchmarkGroup, type GroupFigures } from './benchmark.ts';
import { costPerMillionOrders, naiveScenario, savingVersusNaive, type CostAssumptions, type CostBreakdown, type OrderUsage, type PipelineDesign } from './cost-model.ts';
import { PRICES, PRICES_REGION, PRICES_TAKEN_ON } from './prices.ts';
import { readResults } from './report.ts';
import { RESULTS_FILE } from './results-file.ts';

/** Issue targets: at most $10 per million orders, and at least 50% below the naive baseline. */
const MAX_USD_PER_MILLION = 10;
const MIN_SAVING = 0.5;
const SECONDS_PER_MONTH = 30 * 24 * 3600;

/** The `cost` benchmark group. */
export const costBenchmark: BenchmarkGroup = {
  name: 'cost',
  async run(context) {
    const e2e = (await readResults(RESULTS_FILE)).e2e;
    const usage = e2e?.usage as unknown as OrderUsage | undefined;
    const design = e2e?.design as unknown as PipelineDesign | undefined;
    if (e2e === undefined || usage === undefined || design === undefined) {
      throw new Error(`cost: no e2e usage in ${RESULTS_FILE}; run \`npm run bench -- --only e2e,cost\``);
    }
    context.note(`cost: priced from the e2e figures measured at ${String(e2e.measuredAt ?? 'an unknown time')}, at ${PRICES_REGION} prices of ${PRICES_TAKEN_ON} (bench/prices.ts)`);
    const ordersPerSecond = Number(e2e.ordersPerSecond);
    // The counts were observed at this rate; the fixed monthly costs (idle pollers, alarms, keys) are spread over a month of it.
    const assumptions: CostAssumptions = { ordersPerMonth: ordersPerSecond * SECONDS_PER_MONTH };
    const tuned = costPerMillionOrders(design, usage, PRICES, assumptions);
    const naive = naiveScenario(design, usage);
    const naiveCost = costPerMillionOrders(naive.design, naive.usage, PRICES, assumptions);
    context.note('cost: Lambda durations are those of the local cloud, whose AWS calls are slower than AWS\'s under load, so duration cost is an upper bound; `warmMsPerInvocation` in the e2e functions table shows them');
    context.note("cost: naive = x86_64, 128 MB, batch size 1 (a receive and a delete per message), durations x2 (CPU in proportion to memory), twice the write units, Lambda's default Text logs (START, END and REPORT for every invocation); events, deliveries, reads, HTTP requests and the functions' own log lines as observed");
    context.note('cost: HTTP requests are the POSTs only (the client does not poll GET); the idle long polls assume 5 pollers per queue, 20 s each, spread over a month at the observed rate');
    context.note(`cost: ${design.alarms ?? 0} alarms and ${design.kmsKeys ?? 0} KMS key(s) are priced by the month, spread the same way; alarm notifications (SNS, KMS requests) happen only when an alarm changes state and are left out`);
    return {
      perMillionOrders: tuned.total,
      naivePerMillionOrders: naiveCost.total,
      savingVersusNaive: savingVersusNaive(tuned, naiveCost),
      ordersPerMonthAssumed: assumptions.ordersPerMonth,
      idlePollingUsdPerMonth: (tuned.sqsIdlePolling * assumptions.ordersPerMonth) / 1_000_000,
      monitoringUsdPerMonth: (tuned.monitoring * assumptions.ordersPerMonth) / 1_000_000,
      pricesTakenOn: PRICES_TAKEN_ON,
      breakdown: breakdownRows(tuned, naiveCost),
    };
  },
  targets: (figures: GroupFigures) => [
    verdict(`cost.perMillionOrders <= ${MAX_USD_PER_MILLION}`, figures.perMillionOrders as number, { atMost: MAX_USD_PER_MILLION }),
    verdict(`cost.savingVersusNaive >= ${MIN_SAVING}`, figures.savingVersusNaive as number, { atLeast: MIN_SAVING }),
  ],
};

/** One row per service: USD per million orders, the pipeline's and the naive baseline's. */
function breakdownRows(tuned: CostBreakdown, naive: CostBreakdown): GroupFigures[] {
  return (Object.keys(tuned) as (keyof CostBreakdown)[]).map((service) => ({ service, usdPerMillion: tuned[service], naiveUsdPerMillion: naive[service] }));
}
