/**
 * `npm run demo`: places the order mix (fulfilled, out of stock, declined) against a
 * running local cloud, or its own if none answers, waits for every outcome and prints a
 * summary: status counts per kind of order, DLQ depths and latency percentiles.
 * Flags: `--orders N` (default 30), `--url` (HTTP API, default http://127.0.0.1:3000),
 * `--aws-endpoint` (default http://127.0.0.1:4566).
 */
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { isSettled } from '#shared/pipeline-graph';
import type { LocalCloud } from '#cloud/local-cloud';
import { randomSeed } from '#cloud/faults/prng';
import { ORDER_KINDS, planOrders } from '#local/order-mix';
import { startOrderPipelineCloud } from '#local/order-pipeline-cloud';
import { mapConcurrently } from '#local/soak/concurrency';
import { getOrderView } from '#local/soak/order-client';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

silenceSdkNodeNotice();

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '30' },
    url: { type: 'string', default: 'http://127.0.0.1:3000' },
    'aws-endpoint': { type: 'string', default: 'http://127.0.0.1:4566' },
  },
});
const orderCount = Number(values.orders);
if (!Number.isInteger(orderCount) || orderCount < 1 || orderCount > 10_000) throw new Error(`--orders must be a whole number from 1 to 10000, got "${values.orders}"`);

const ownCloud = await runningCloudOrOwn(values.url, values['aws-endpoint']);
const httpApiUrl = ownCloud?.httpApiUrl ?? values.url;
const awsEndpoint = ownCloud?.awsEndpoint ?? values['aws-endpoint'];
console.log(ownCloud ? `No local cloud answered at ${values.url}; started one at ${httpApiUrl}.` : `Using the local cloud at ${httpApiUrl}.`);
// The demo's customers sign in to the stack's user pool; each reads only their own orders.
const clientConfig = { region: 'us-east-1', endpoint: awsEndpoint, credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } };
const tokens = ownCloud ? CustomerTokens.fromOutputs(clientConfig, ownCloud.outputs) : await CustomerTokens.discover(clientConfig);

// A new seed each run, so the Idempotency-Keys are new orders on a cloud that saw earlier runs.
const plan = planOrders(orderCount, randomSeed());
console.log(`Placing ${orderCount} orders…`);
const started = Date.now();
const results = await mapConcurrently(plan, 8, async (planned) => {
  const authorization = await tokens.authorizationOf(planned.order.customer.customerId);
  const placedAt = Date.now();
  const response = await fetch(`${httpApiUrl}/orders`, {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json', 'idempotency-key': planned.idempotencyKey },
    body: JSON.stringify(planned.order),
  });
  if (response.status !== 202) return { planned, status: `HTTP ${response.status}`, latencyMs: undefined };
  const { orderId } = (await response.json()) as { orderId: string };
  const status = await settledStatus(authorization, orderId);
  return { planned, status, latencyMs: Date.now() - placedAt };
});
const asExpected = (result: (typeof results)[number]) => result.status === result.planned.expected.status;
console.log(`All ${orderCount} orders settled in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);

console.log('Outcomes');
console.log(table(['kind', 'orders', 'outcome', 'as expected'], Object.entries(ORDER_KINDS).map(([name, kind]) => {
  const mine = results.filter((result) => result.planned.kind === name);
  const outcomes = countBy(mine.map((result) => result.status));
  return [kind.label, String(mine.length), [...outcomes].map(([status, count]) => `${status} ${count}`).join(', '), mine.every(asExpected) ? 'yes' : 'NO'];
}).filter((row) => row[1] !== '0')));

const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs])).sort((a, b) => a - b);
console.log('\nLatency from POST to final status (ms)');
console.log(table(['p50', 'p95', 'p99', 'max'], [[50, 95, 99, 100].map((p) => String(percentile(latencies, p)))]));

console.log('\nDead-letter queues');
console.log(table(['queue', 'messages'], await deadLetterDepths(awsEndpoint)));

tokens.destroy();
await ownCloud?.stop();
process.exit(results.every(asExpected) ? 0 : 1);

async function runningCloudOrOwn(url: string, awsEndpoint: string): Promise<LocalCloud | undefined> {
  // A running shop API refuses a request without a token with API Gateway's 401.
  const probe = await fetch(`${url}/orders/00000000-0000-4000-8000-000000000000`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
  if (probe?.status === 401) return undefined;
  const awsPort = await fetch(awsEndpoint, { signal: AbortSignal.timeout(500) }).then(() => 0, () => Number(new URL(awsEndpoint).port));
  return startOrderPipelineCloud({ awsPort, httpPort: 0 });
}

async function settledStatus(authorization: string, orderId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const view = await getOrderView(httpApiUrl, authorization, orderId);
    if (view !== undefined && isSettled(view.timeline)) return view.status;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return 'not settled';
}

async function deadLetterDepths(endpoint: string): Promise<string[][]> {
  const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'demo', secretAccessKey: 'demo' } });
  try {
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    const dlqs = QueueUrls.filter((url) => /DeadLetterQueue/.test(url));
    return await Promise.all(
      dlqs.map(async (url) => {
        const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }));
        return [url.split('/').pop() ?? url, Attributes?.ApproximateNumberOfMessages ?? '?'];
      }),
    );
  } finally {
    sqs.destroy();
  }
}

function countBy(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `  ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ')}`;
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
