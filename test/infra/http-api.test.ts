/**
 * The shop's HTTP API as the stack declares it, on the local cloud, with real customers' tokens:
 * `GET /orders` (backed by the Orders table's customer index, which the local cloud creates from
 * the template), place-order's own body limit, and the CORS configuration `-c allowedOrigins` gives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { ALLOWED_ORIGINS_CONTEXT_KEY } from '#infra/allowed-origins';
import { appContext, buildOrderPipeline } from '#infra/app';
import { MAX_ORDER_BODY_BYTES } from '../../functions/place-order/place-order-handler.ts';
import { customerAuthorization } from '#test/support/customers';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';

interface OrderList {
  orders: { orderId: string; status: string; placedAt: string }[];
  nextToken?: string;
}

describe("the shop's HTTP API on the local cloud", () => {
  let cloud: LocalCloud;
  let ada: string;
  let grace: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory') });
    ada = await customerAuthorization(cloud, 'customer-a');
    grace = await customerAuthorization(cloud, 'customer-b');
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  const place = async (authorization: string) => {
    const response = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(anOrder()) });
    expect(response.status).toBe(202);
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const list = async (authorization: string, query: Record<string, string> = {}) => {
    const response = await fetch(`${cloud.httpApiUrl}/orders?${new URLSearchParams(query).toString()}`, { headers: { authorization } });
    return { status: response.status, body: (await response.json()) as OrderList };
  };
  /** Every page of the customer's list, `limit` at a time, following nextToken. */
  const allPages = async (authorization: string, limit: number) => {
    const pages: OrderList[] = [];
    let nextToken: string | undefined;
    do {
      const page = await list(authorization, { limit: String(limit), ...(nextToken ? { nextToken } : {}) });
      expect(page.status).toBe(200);
      pages.push(page.body);
      nextToken = page.body.nextToken;
    } while (nextToken !== undefined && pages.length < 20);
    return pages;
  };

  it("GET /orders lists the caller's own orders only, newest first, in pages that join without duplicates", { timeout: 60_000 }, async () => {
    // Prepare: Ada places three orders one after another, Grace one.
    const adas: string[] = [];
    for (let count = 0; count < 3; count++) adas.push(await place(ada));
    const graces = [await place(grace)];
    // The index is eventually consistent: wait until it lists every order.
    await until(async () => (await list(ada)).body.orders.length === adas.length && (await list(grace)).body.orders.length === graces.length, { timeoutMs: 30_000, intervalMs: 100 });

    // Act
    const adaAll = await list(ada);
    const adaPages = await allPages(ada, 2);
    const graceAll = await list(grace);
    const graceWithAdasToken = await list(grace, { limit: '2', nextToken: adaPages[0]?.nextToken ?? '' });

    // Assess
    expect(adaAll.status).toBe(200);
    expect(adaAll.body.orders.map((order) => order.orderId)).toEqual([...adas].reverse());
    expect(adaPages.length).toBeGreaterThan(1);
    expect(adaPages.flatMap((page) => page.orders.map((order) => order.orderId))).toEqual([...adas].reverse());
    expect(graceAll.body.orders.map((order) => order.orderId)).toEqual(graces);
    expect(graceWithAdasToken.status).toBe(200);
    expect(graceWithAdasToken.body.orders.map((order) => order.orderId).filter((orderId) => adas.includes(orderId))).toEqual([]);
  });

  it('GET /orders answers 400 with the reason for a nextToken it did not give out', async () => {
    // Act
    const response = await list(ada, { nextToken: 'forged' });
    // Assess
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ issues: [{ field: 'nextToken' }] });
  });

  it('POST /orders answers 413 with a JSON reason to a body over the order limit (far below the API\'s 10 MB)', async () => {
    // Prepare
    const order = JSON.stringify(anOrder());
    const body = `${order}${' '.repeat(MAX_ORDER_BODY_BYTES + 1 - Buffer.byteLength(order))}`;
    // Act
    const response = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: ada }, body });
    // Assess
    expect(response.status).toBe(413);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ message: expect.stringContaining(`at most ${MAX_ORDER_BODY_BYTES} bytes`) });
  });
});

describe('CORS from the allowedOrigins context value, on the local cloud', () => {
  const ALLOWED = ['https://a.example', 'https://b.example'];
  let outdir: string;
  let cloud: LocalCloud;

  beforeAll(async () => {
    // The stack as `-c allowedOrigins=https://a.example,https://b.example` synthesizes it; a
    // preflight never reaches a function, so their code is not bundled.
    outdir = mkdtempSync(join(tmpdir(), 'order-pipeline-cors-'));
    const app = new App({ outdir, context: { ...appContext(), 'aws:cdk:bundling-stacks': [], [ALLOWED_ORIGINS_CONTEXT_KEY]: ALLOWED.join(',') } });
    const { stack } = buildOrderPipeline({ app });
    const assembly = app.synth();
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: assembly.directory, stackName: stack.stackName });
  }, 120_000);
  afterAll(async () => {
    await cloud?.stop();
    if (outdir) rmSync(outdir, { recursive: true, force: true });
  });

  const preflight = (origin: string) =>
    fetch(`${cloud.httpApiUrl}/orders`, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type,idempotency-key' },
    });

  it.each(ALLOWED)('answers a preflight from allowed origin %s with the CORS headers', async (origin) => {
    // Act
    const response = await preflight(origin);
    // Assess
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(origin);
    expect(response.headers.get('access-control-allow-methods')?.split(',').sort()).toEqual(['GET', 'POST']);
    expect(response.headers.get('access-control-allow-headers')?.split(',').sort()).toEqual(['authorization', 'content-type', 'idempotency-key']);
    expect(response.headers.get('access-control-max-age')).toBe('3600');
  });

  it('answers a preflight from another origin with no CORS header, so the browser refuses the call', async () => {
    // Act
    const response = await preflight('https://evil.example');
    // Assess
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });
});
