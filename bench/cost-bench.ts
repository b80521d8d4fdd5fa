/**
 * Group `cost`: what a million orders cost on AWS, priced from the `e2e` group's figures: the
 * design it read from the synthesized template (memory, architecture, batch sizes, windows) and
 * the usage per order it observed (events, SQS requests, invocations and billed durations,
 * DynamoDB units, log bytes). Beside it, the naive baseline computed the same way. Then the
 * curve (`cost-curve.ts`): both priced at 1, 10, 100 and 1,000 orders a second, batches filled
 * as the mappings would fill them at each rate, written to `curve` and drawn in
 * `cost-curve.svg` beside the results file. The targets are read from the curve at 100 orders/s,
 * the share of the naive cost twice: with the projection's writes the run measured, and with one
 * write per event, their upper bound on AWS.
 *
 * It needs the e2e figures: `npm run bench -- --only e2e,cost` measures and prices in one run
 * (the runner writes each group's figures as soon as the group ends); `--only cost` alone
 * prices the last e2e figures in `bench-results.json` and says when they were measured.
 */
import { verdict, type BenchmarkGroup, type GroupFigures } from './benchmark.ts';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { costCurveSvg } from './cost-chart.ts';
import { costCurve, priceAtRate } from './cost-curve.ts';
import { costPerMillionOrders, naiveScenario, savingVersusNaive, SECONDS_PER_MONTH, type CostAssumptions, type CostBreakdown, type OrderUsage, type PipelineDesign } from './cost-model.ts';
import { PRICES, PRICES_REGION, PRICES_TAKEN_ON } from './prices.ts';
import { readResults } from './report.ts';
import { COST_CURVE_CHART_FILE, RESULTS_FILE } from './results-file.ts';

/**
 * Issue targets, at {@link TARGET_ORDERS_PER_SECOND} on the curve: at most $10 per million
 * orders, and at most half the naive design's cost.
 */
const MAX_USD_PER_MILLION = 10;
const MAX_SHARE_OF_NAIVE = 0.5;
const TARGET_ORDERS_PER_SECOND = 100;

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
    if (usage.unitsProjectingEachEventAlone === undefined) {
      throw new Error(`cost: the e2e usage in ${RESULTS_FILE} predates the naive design's projection of each event alone; run \`npm run bench -- --only e2e,cost\``);
    }
    context.note(`cost: priced from the e2e figures measured at ${String(e2e.measuredAt ?? 'an unknown time')}, at ${PRICES_REGION} prices of ${PRICES_TAKEN_ON} (bench/prices.ts)`);
    const ordersPerSecond = Number(e2e.ordersPerSecond);
    // The counts were observed at this rate; the fixed monthly costs (idle pollers, alarms, keys) are spread over a month of it.
    const assumptions: CostAssumptions = { ordersPerMonth: ordersPerSecond * SECONDS_PER_MONTH };
    const tuned = costPerMillionOrders(design, usage, PRICES, assumptions);
    const naive = naiveScenario(design, usage);
    const naiveCost = costPerMillionOrders(naive.design, naive.usage, PRICES, assumptions);
    context.note('cost: Lambda durations are those of the local cloud, whose AWS calls are slower than AWS\'s under load, so duration cost is an upper bound; `warmMsPerInvocation` in the e2e functions table shows them');
    context.note("cost: naive = x86_64, 128 MB, batch size 1 (a receive and a delete per message), durations x2 (CPU in proportion to memory), a read model that applies each event on its own (a read and a write of the view per event), twice the write units, Lambda's default Text logs (START, END and REPORT for every invocation); events, deliveries, the steps' reads, HTTP requests and the functions' own log lines as observed");
    context.note('cost: HTTP requests are the POSTs only (the client does not poll GET); empty receives assume 5 pollers per queue long-polling 20 s, on random arrivals at each rate (bench/sqs-polling.ts)');
    context.note('cost: the curve keeps the run\'s counts per order and recomputes records per invocation, receives, deletes, empty receives and billed ms at each rate from the mappings\' batch sizes and windows; the projection\'s writes per order stay as measured');
    const curve = costCurve(design, usage, PRICES);
    const atTarget = priceAtRate(design, usage, PRICES, TARGET_ORDERS_PER_SECOND);
    // The local cloud runs one poller per mapping, so an order's events share the projection's
    // batches more than on AWS, where five pollers split the queue: the run's projection writes
    // are a lower bound of AWS's. One write per event, the naive design's, is the upper bound.
    const atTargetEachEventAlone = priceAtRate(design, { ...usage, ...usage.unitsProjectingEachEventAlone }, PRICES, TARGET_ORDERS_PER_SECOND);
    context.note("cost: the projection's writes per order are the local run's (one poller per mapping); on AWS five pollers split an order's events over more batches, so `shareOfNaiveAt100IfEachEventProjectedAlone` prices the upper bound, one write per event");
    await writeFile(COST_CURVE_CHART_FILE, await costCurveSvg(curve));
    context.note(`cost: the curve is drawn in ${path.basename(COST_CURVE_CHART_FILE)}, beside ${path.basename(RESULTS_FILE)}`);
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
      curve: curve.map((point) => ({ ...point })),
      perMillionOrdersAt100: atTarget.perMillionOrders,
      shareOfNaiveAt100: atTarget.perMillionOrders / atTarget.naivePerMillionOrders,
      shareOfNaiveAt100IfEachEventProjectedAlone: atTargetEachEventAlone.perMillionOrders / atTargetEachEventAlone.naivePerMillionOrders,
      breakdownAt100: breakdownRows(atTarget.breakdown, atTarget.naiveBreakdown),
    };
  },
  targets: (figures: GroupFigures) => [
    verdict(`cost.perMillionOrdersAt100 <= ${MAX_USD_PER_MILLION}`, figures.perMillionOrdersAt100 as number, { atMost: MAX_USD_PER_MILLION }),
    verdict(`cost.shareOfNaiveAt100 <= ${MAX_SHARE_OF_NAIVE}`, figures.shareOfNaiveAt100 as number, { atMost: MAX_SHARE_OF_NAIVE }),
    verdict(`cost.shareOfNaiveAt100IfEachEventProjectedAlone <= ${MAX_SHARE_OF_NAIVE}`, figures.shareOfNaiveAt100IfEachEventProjectedAlone as number, { atMost: MAX_SHARE_OF_NAIVE }),
  ],
};

/** One row per service: USD per million orders, the pipeline's and the naive baseline's. */
function breakdownRows(tuned: CostBreakdown, naive: CostBreakdown): GroupFigures[] {
  return (Object.keys(tuned) as (keyof CostBreakdown)[]).map((service) => ({ service, usdPerMillion: tuned[service], naiveUsdPerMillion: naive[service] }));
}
