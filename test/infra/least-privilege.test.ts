/**
 * Least privilege, proven by a run (IAM Access Analyzer's policy generation is the model): every
 * path an order can take runs on the local cloud, which authorizes and records each call a role
 * makes; then, role by role, the grants exercised must be the grants given. A grant the code
 * needs and lacks shows as a refusal; a grant it has and never uses shows as unused.
 */
import { randomUUID } from 'node:crypto';
import { DescribeArchiveCommand, DescribeEventBusCommand, DescribeReplayCommand, EventBridgeClient, PutEventsCommand, StartReplayCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { EventSourceOf, type Order } from '#shared/contracts';
import { consumedBy, isSettled, STEP_NAMES } from '#shared/pipeline-graph';
import { ORDER_KINDS } from '#local/order-mix';
import { customerAuthorization } from '#test/support/customers';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';

const ADMINISTRATOR = { accessKeyId: 'test', secretAccessKey: 'test' };
/** Long enough for every path on a loaded machine; the wait ends as soon as every grant is used. */
const EXERCISE_TIMEOUT_MS = 90_000;

describe('least privilege: along every order path, each role uses exactly the grants it has', () => {
  let cloud: LocalCloud;
  let events: EventBridgeClient;
  let authorization: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory') });
    events = new EventBridgeClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: ADMINISTRATOR });
    authorization = await customerAuthorization(cloud);
  });
  afterAll(async () => {
    events?.destroy();
    await cloud?.stop();
  });

  const post = (order: Order, headers: Record<string, string> = {}) =>
    fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization, ...headers }, body: JSON.stringify(order) });
  const settled = async (orderId: string) => {
    const response = await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization } });
    return response.status === 200 && isSettled(((await response.json()) as { timeline: { type: string }[] }).timeline);
  };

  it('refuses no call and leaves no grant unused', { timeout: EXERCISE_TIMEOUT_MS + 60_000 }, async () => {
    // Prepare: one order of every kind of the mix (each path through the pipeline), each placed
    // with an Idempotency-Key and the first placed twice, as a client's retry would.
    const from = new Date(Date.now() - 1_000);
    const orders = Object.values(ORDER_KINDS).map((kind) => ({ order: kind.build(anOrder()), key: randomUUID() }));

    // Act: every path, to its end.
    const placed = await Promise.all(orders.map(async ({ order, key }) => ((await (await post(order, { 'Idempotency-Key': key })).json()) as { orderId: string }).orderId));
    await post(orders[0]!.order, { 'Idempotency-Key': orders[0]!.key });
    await until(async () => (await Promise.all(placed.map(settled))).every(Boolean), { timeoutMs: EXERCISE_TIMEOUT_MS, intervalMs: 100 });

    // Act: every step meets a duplicate (a replay of the archive), then a poison of each event it consumes.
    const { Arn: busArn } = await events.send(new DescribeEventBusCommand({ Name: cloud.outputs.EventBusName }));
    const { ArchiveArn } = await events.send(new DescribeArchiveCommand({ ArchiveName: cloud.plan.archives[0]?.ArchiveName }));
    const replayName = `least-privilege-${randomUUID().slice(0, 8)}`;
    await events.send(new StartReplayCommand({ ReplayName: replayName, EventSourceArn: ArchiveArn, EventStartTime: from, EventEndTime: new Date(), Destination: { Arn: busArn } }));
    await until(async () => (await events.send(new DescribeReplayCommand({ ReplayName: replayName }))).State === 'COMPLETED', { timeoutMs: EXERCISE_TIMEOUT_MS, intervalMs: 100 });
    const poisons = [...new Set(STEP_NAMES.flatMap((step) => consumedBy(step)))].map((detailType) => ({
      EventBusName: cloud.outputs.EventBusName,
      Source: EventSourceOf[detailType],
      DetailType: detailType,
      Detail: JSON.stringify({ schemaVersion: 2, orderId: randomUUID() }),
    }));
    for (let start = 0; start < poisons.length; start += 10) await events.send(new PutEventsCommand({ Entries: poisons.slice(start, start + 10) }));

    // Act: the HTTP functions' log grants are for their errors: place-order's when the bus refuses
    // its event, get-order's and list-orders' when an invocation fails (Lambda's runtime logs it with the role).
    cloud.faults.set({ putEventsFailure: { probability: 1, targets: ['OrderPlaced'] } });
    const refused = await post(anOrder());
    cloud.faults.clear();
    const httpFunction = (logicalIdPrefix: string) => [...cloud.functions.values()].find((fn) => fn.functionName === cloud.plan.functions.find((candidate) => candidate.logicalId.startsWith(logicalIdPrefix))?.name);
    const failed = await httpFunction('GetOrderFunction')?.invoke(null);
    const listFailed = await httpFunction('ListOrdersFunction')?.invoke(null);

    // Act: the customer lists their orders (a Query of the customer index), two pages.
    const firstPage = (await (await fetch(`${cloud.httpApiUrl}/orders?limit=1`, { headers: { authorization } })).json()) as { orders: unknown[]; nextToken?: string };
    const secondPage = await fetch(`${cloud.httpApiUrl}/orders?limit=1&nextToken=${firstPage.nextToken ?? ''}`, { headers: { authorization } });

    // Assess: the replayed and poisoned records are still being handled; each grant's first use ends the wait.
    expect(refused.status).toBe(503);
    expect(failed?.ok).toBe(false);
    expect(listFailed?.ok).toBe(false);
    expect(firstPage.orders).toHaveLength(1);
    expect(secondPage.status).toBe(200);
    await expect.poll(() => cloud.permissions.unusedGrants(), { timeout: EXERCISE_TIMEOUT_MS, interval: 200 }).toEqual([]);
    expect(cloud.permissions.refusals()).toEqual([]);
  });
});
