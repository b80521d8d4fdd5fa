/**
 * Warm time per record of every handler, measured in the running local cloud: orders are
 * placed through the place-order function and flow through the real pipeline (rules, queues,
 * event source mappings, every step), in the order mix, so that the compensation steps run
 * too; then each order is read back through get-order. Only warm
 * invocations count: a cold start's init is the `functions` group's other figure. One order at
 * a time: with several, the invocations would share the cores and each would measure the others.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildPayloadV2Event } from '#cloud/http-api/payload-v2-event';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import type { InvocationResult } from '#cloud/lambda/invocation-result';
import { plannedOrder } from '#local/order-mix';
import { EnvName } from '#shared/config';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';

/** Orders placed; with the steps' batching, enough warm invocations of every function. */
const ORDERS = 40;
/** How long the pipeline may take to settle every order before the measurement is abandoned. */
const SETTLE_TIMEOUT_MS = 30_000;
/** The order mix's seed: its first orders include every path, so every step runs. */
const ORDER_MIX_SEED = 1;

/** Warm invocations of one function. */
interface WarmTally {
  durationMs: number;
  records: number;
}

/**
 * Runs the synthesized assembly in `assemblyDirectory` as the local cloud and returns, per
 * handler name (its folder under `functions/`), the mean warm invocation time per record in µs.
 */
export async function measureWarmTimes(assemblyDirectory: string): Promise<Map<string, number>> {
  const tallies = new Map<string, WarmTally>();
  const tally = (functionName: string, durationMs: number, records: number) => {
    const current = tallies.get(functionName) ?? { durationMs: 0, records: 0 };
    tallies.set(functionName, { durationMs: current.durationMs + durationMs, records: current.records + records });
  };
  let ordersThroughLastStep = 0;
  const cloud = await startLocalCloud({
    assemblyDirectory,
    awsPort: 0,
    httpPort: 0,
    onBatch: (functionName, outcome) => {
      if (outcome.initDurationMs === undefined) tally(functionName, outcome.durationMs, outcome.records.length);
    },
    onEvent: (event) => {
      // A settling event: the order has left every step but the read-model projection.
      if (PIPELINE_GRAPH.isSettled([event['detail-type']])) ordersThroughLastStep += 1;
    },
  });
  try {
    const functionNamesByHandler = handlerNames(cloud);
    const invokeHttp = async (handler: string, event: unknown): Promise<{ statusCode?: number; body?: string }> => {
      const functionName = functionNamesByHandler.get(handler);
      const fn = functionName === undefined ? undefined : cloud.functions.get(functionName);
      if (fn === undefined || functionName === undefined) throw new Error(`warm time: the stack has no ${handler} function`);
      const result: InvocationResult = await fn.invoke(event);
      if (!result.ok) throw new Error(`warm time: ${handler} failed: ${result.error.errorType}: ${result.error.errorMessage}`);
      if (result.initDurationMs === undefined) tally(functionName, result.durationMs, 1);
      return result.result as { statusCode?: number; body?: string };
    };

    const orderIds: string[] = [];
    for (let index = 0; index < ORDERS; index += 1) {
      const response = await invokeHttp('place-order', httpEvent('POST', '/orders', { body: JSON.stringify(plannedOrder(index, ORDER_MIX_SEED).order) }));
      if (response.statusCode !== 202) throw new Error(`warm time: place-order answered ${response.statusCode}: ${response.body}`);
      orderIds.push((JSON.parse(response.body ?? '{}') as { orderId: string }).orderId);
      await waitUntil(() => ordersThroughLastStep > index);
    }
    await waitUntilSettled(cloud);
    for (const id of orderIds) {
      const response = await invokeHttp('get-order', httpEvent('GET', `/orders/${id}`, { pathParameters: { id } }));
      if (response.statusCode !== 200) throw new Error(`warm time: get-order answered ${response.statusCode}: ${response.body}`);
    }

    const microsecondsPerRecord = new Map<string, number>();
    for (const [handler, functionName] of functionNamesByHandler) {
      const { durationMs = 0, records = 0 } = tallies.get(functionName) ?? {};
      if (records > 0) microsecondsPerRecord.set(handler, (durationMs * 1000) / records);
    }
    return microsecondsPerRecord;
  } finally {
    await cloud.stop();
  }
}

/** Handler name (`reserve-inventory`) -> the function's name in the local cloud. */
function handlerNames(cloud: LocalCloud): Map<string, string> {
  return new Map(cloud.plan.functions.flatMap((fn) => {
    const handler = fn.environment[EnvName.serviceName];
    return handler === undefined ? [] : [[handler, fn.name] as const];
  }));
}

/** The verified claims of the bench's customer, as the API's JWT authorizer hands an ID token's to a function. */
const BENCH_CUSTOMER_CLAIMS = { sub: 'bench-customer', email: 'bench@example.com' } as const;

/**
 * The payload 2.0 event the HTTP API builds for a request of the bench's customer, past the
 * route's JWT authorizer: the handlers answer 401 to a request without its claims.
 */
function httpEvent(method: string, path: string, options: { body?: string; pathParameters?: Record<string, string> }): unknown {
  const routeKey = options.pathParameters ? `${method} /orders/{id}` : `${method} ${path}`;
  return buildPayloadV2Event(
    { method, rawPath: path, rawQueryString: '', rawHeaders: ['content-type', 'application/json', 'user-agent', 'bench'], body: Buffer.from(options.body ?? ''), sourceIp: '127.0.0.1', port: 0, protocol: 'HTTP/1.1' },
    { routeKey, pathParameters: options.pathParameters ?? {}, requestId: randomUUID(), accountId: '000000000000', apiId: 'bench', time: new Date(), authorizer: { jwt: { claims: BENCH_CUSTOMER_CLAIMS, scopes: null } } },
  );
}

/** Waits until every queue is empty with nothing in flight (the projection's last batches). */
function waitUntilSettled(cloud: LocalCloud): Promise<void> {
  const queueNames = cloud.plan.queues.map((queue) => queue.QueueName);
  return waitUntil(() =>
    queueNames.every((name) => {
      const { Attributes = {} } = cloud.services.sqs.getQueueAttributes({ QueueUrl: name, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] });
      return Attributes.ApproximateNumberOfMessages === '0' && Attributes.ApproximateNumberOfMessagesNotVisible === '0';
    }),
  );
}

/** Polls `done` until it holds. @throws Error after {@link SETTLE_TIMEOUT_MS}. */
async function waitUntil(done: () => boolean): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`warm time: the pipeline did not settle within ${SETTLE_TIMEOUT_MS} ms`);
    await sleep(5);
  }
}
