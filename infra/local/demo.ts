/**
 * `npm run demo`: places a mix of orders (fulfilled, out of stock, declined) against a
 * running local cloud, or its own if none answers, waits for every outcome and prints a
 * summary: status counts per kind of order, DLQ depths and latency percentiles.
 * Flags: `--orders N` (default 30), `--url` (HTTP API, default http://127.0.0.1:3000),
 * `--aws-endpoint` (default http://127.0.0.1:4566).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GetQueueAttributesCommand, ListQueuesCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Order } from '#shared/contracts';
import type { LocalCloud } from '#cloud/local-cloud';
import { startOrderPipelineCloud } from '#local/order-pipeline-cloud';
import { mapConcurrently } from '#local/soak/concurrency';
import { getOrderView } from '#local/soak/order-client';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';

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

/** The kinds of order the demo places, in proportion, and the outcome each should reach. */
const KINDS = [
  { kind: 'fulfilled', share: 0.6, expected: 'notified', order: (): Partial<Order> => ({ items: [{ sku: 'SKU-KEYBOARD', quantity: 1 }, { sku: 'SKU-MOUSE', quantity: 1 }] }) },
  { kind: 'out of stock', share: 0.2, expected: 'cancelled', order: (): Partial<Order> => ({ items: [{ sku: 'SKU-SOLD-OUT', quantity: 1 }] }) },
  { kind: 'declined card', share: 0.1, expected: 'cancelled', order: (): Partial<Order> => ({ paymentToken: 'tok_decline' }) },
  { kind: 'over the limit', share: 0.1, expected: 'cancelled', order: (): Partial<Order> => ({ items: [{ sku: 'SKU-LAPTOP', quantity: 6 }] }) },
] as const;

const ownCloud = await runningCloudOrOwn(values.url, values['aws-endpoint']);
const httpApiUrl = ownCloud?.httpApiUrl ?? values.url;
const awsEndpoint = ownCloud?.awsEndpoint ?? values['aws-endpoint'];
console.log(ownCloud ? `No local cloud answered at ${values.url}; started one at ${httpApiUrl}.` : `Using the local cloud at ${httpApiUrl}.`);

const plan = Array.from({ length: orderCount }, (_, index) => {
  let position = (index + 0.5) / orderCount;
  const kind = KINDS.find((candidate) => (position -= candidate.share) < 0) ?? KINDS[0];
  return kind;
});
console.log(`Placing ${orderCount} orders…`);
const started = Date.now();
const results = await mapConcurrently(plan, 8, async (kind) => {
  const placedAt = Date.now();
  const response = await fetch(`${httpApiUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
    body: JSON.stringify(demoOrder(kind.order())),
  });
  if (response.status !== 202) return { kind, status: `HTTP ${response.status}`, latencyMs: undefined };
  const { orderId } = (await response.json()) as { orderId: string };
  const status = await settledStatus(orderId);
  return { kind, status, latencyMs: Date.now() - placedAt };
});
console.log(`All ${orderCount} orders settled in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);

console.log('Outcomes');
console.log(table(['kind', 'orders', 'outcome', 'as expected'], KINDS.map((kind) => {
  const mine = results.filter((result) => result.kind === kind);
  const outcomes = countBy(mine.map((result) => result.status));
  return [kind.kind, String(mine.length), [...outcomes].map(([status, count]) => `${status} ${count}`).join(', '), mine.every((result) => result.status === kind.expected) ? 'yes' : 'NO'];
}).filter((row) => row[1] !== '0')));

const latencies = results.flatMap((result) => (result.latencyMs === undefined ? [] : [result.latencyMs])).sort((a, b) => a - b);
console.log('\nLatency from POST to final status (ms)');
console.log(table(['p50', 'p95', 'p99', 'max'], [[50, 95, 99, 100].map((p) => String(percentile(latencies, p)))]));

console.log('\nDead-letter queues');
console.log(table(['queue', 'messages'], await deadLetterDepths(awsEndpoint)));

await ownCloud?.stop();
process.exit(results.every((result) => result.status === result.kind.expected) ? 0 : 1);

function demoOrder(overrides: Partial<Order>): Order {
  return {
    customer: { customerId: 'demo-customer', email: 'demo@example.com', name: 'Demo Customer' },
    items: [{ sku: 'SKU-CABLE', quantity: 2 }],
    shippingAddress: { line1: '1 Demo Street', city: 'Berlin', postalCode: '10115', country: 'DE' },
    paymentToken: 'tok_visa',
    ...overrides,
  };
}

async function runningCloudOrOwn(url: string, awsEndpoint: string): Promise<LocalCloud | undefined> {
  const probe = await fetch(`${url}/orders/00000000-0000-4000-8000-000000000000`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
  if (probe?.status === 404) return undefined;
  const awsPort = await fetch(awsEndpoint, { signal: AbortSignal.timeout(500) }).then(() => 0, () => Number(new URL(awsEndpoint).port));
  return startOrderPipelineCloud({ awsPort, httpPort: 0 });
}

async function settledStatus(orderId: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const view = await getOrderView(httpApiUrl, orderId);
    if (view?.timeline.some((entry) => entry.type === 'CustomerNotified')) return view.status;
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
