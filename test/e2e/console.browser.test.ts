/**
 * The local cloud's console in a real browser (Debian's Chromium driven by playwright-core):
 * orders placed through the HTTP API show on the live graph, in the event stream and in their
 * trace (a delivery retried while a fault was switched on from the page, a poison parked with
 * its cause and log line), a DLQ redriven from the page moves its message back, and a replay
 * started from the page marks its events.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { ORDER_FLOW_CORRELATION } from '#local/order-flow-correlation';
import { customerAuthorization } from '#test/support/customers';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';

/** Debian's package; a tool's own browser download is never used. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the background-networking switches Chromium's own connections are refused here and it stalls. */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LIVE_MS = 20_000;

const chromiumMissing = existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
if (chromiumMissing !== undefined) console.info(`console in a browser: skipped, ${chromiumMissing}`);

// Each test waits on the whole pipeline and a browser, on a loaded 2-core machine.
describe.skipIf(chromiumMissing !== undefined)('the console in a browser', { timeout: 60_000 }, () => {
  let cloud: LocalCloud;
  let authorization: string;
  let browser: Browser;
  let page: Page;
  let logDirectory: string;
  let events: EventBridgeClient;

  beforeAll(async () => {
    logDirectory = mkdtempSync(join(tmpdir(), 'console-'));
    cloud = await startLocalCloud({
      awsPort: 0,
      httpPort: 0,
      assemblyDirectory: inject('assemblyDirectory'),
      // A file, as `npm start` logs: the console reads the functions' lines back from it.
      functionLogs: { file: join(logDirectory, 'functions.log') },
      console: { correlation: ORDER_FLOW_CORRELATION, flowName: 'order' },
    });
    authorization = await customerAuthorization(cloud);
    events = new EventBridgeClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    // `launch` gives the browser a fresh profile directory of its own each time.
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(cloud.consoleUrl ?? '');
    await page.getByTestId('connection').filter({ hasText: 'live' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    events?.destroy();
    await cloud?.stop();
    rmSync(logDirectory, { recursive: true, force: true });
  });

  const place = async (): Promise<string> => {
    const response = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(anOrder()) });
    expect(response.status).toBe(202);
    return ((await response.json()) as { orderId: string }).orderId;
  };
  const functionNamed = (fragment: string) => cloud.plan.functions.find((fn) => fn.name.includes(fragment))?.name ?? '';
  const queueFeeding = (fragment: string) => cloud.plan.eventSourceMappings.find((mapping) => mapping.functionName.includes(fragment))?.queueName ?? '';
  /** The count an edge of the graph shows (the graph is a canvas: read from its Cytoscape instance). */
  const edgeCount = (id: string) => page.evaluate((edge) => Number((window as unknown as { consoleGraph: { getElementById(id: string): { data(key: string): unknown } } }).consoleGraph.getElementById(edge).data('count') ?? 0), id);
  const queueLabel = (name: string) => page.evaluate((node) => String((window as unknown as { consoleGraph: { getElementById(id: string): { data(key: string): unknown } } }).consoleGraph.getElementById(node).data('label')), `queue:${name}`);
  const openTrace = async (orderId: string) => {
    await page.locator('#tabs button[data-tab=trace]').click();
    await page.getByTestId('trace-flow').fill(orderId);
    await page.getByTestId('trace-flow').press('Enter');
  };

  it('counts what crossed each edge of the graph and lists the orders’ events in the stream, live', async () => {
    // Prepare
    const orderIds = [await place(), await place(), await place()];
    const placeOrder = functionNamed('PlaceOrder');
    const reserveInventory = functionNamed('ReserveInventory');
    const reserveQueue = queueFeeding('ReserveInventory');

    // Act: nothing but watching the page
    await until(async () => (await edgeCount(`polls|queue:${reserveQueue}|function:${reserveInventory}`)) >= 3, { timeoutMs: LIVE_MS, intervalMs: 100 });

    // Assess
    expect(await edgeCount(`request|route:POST /orders|function:${placeOrder}`)).toBe(3);
    expect(await queueLabel(reserveQueue)).toMatch(/\d+ visible · \d+ in flight/);
    for (const orderId of orderIds) await page.locator(`#stream tr[data-flow-id="${orderId}"]`, { hasText: 'OrderPlaced' }).waitFor({ timeout: LIVE_MS });
    await page.getByTestId('filter-flow').fill(orderIds[0] ?? '');
    await until(async () => (await page.locator('#stream tbody tr').count()) > 0 && (await page.locator(`#stream tbody tr:not([data-flow-id="${orderIds[0]}"])`).count()) === 0, { timeoutMs: LIVE_MS });
    await page.locator('#stream tbody tr', { hasText: 'OrderPlaced' }).click();
    await expect.poll(() => page.getByTestId('event-detail').textContent(), { timeout: LIVE_MS }).toMatch(new RegExp(`Delivered to.*${reserveQueue}.*delivered`, 's'));
    await page.getByTestId('filter-flow').fill('');
  });

  it("traces an order through a delivery retried while a fault was switched on from the page", async () => {
    // Prepare: target queues of reserve-inventory refuse sends for 3 s (EventBridge retries after 0.1, 0.3, 0.7, 1.5, 3.1 s)
    await page.locator('#tabs button[data-tab=faults]').click();
    await page.locator('input[name=unreachableTarget-value]').fill('3s');
    await page.locator('input[name=unreachableTarget-targets]').fill('reserve-inventory');
    await page.locator('input[data-fault=unreachableTarget]').check();
    await expect.poll(() => page.getByTestId('fault-spec').textContent(), { timeout: LIVE_MS }).toContain('unreachableTarget=3000ms@reserve-inventory');

    // Act
    const orderId = await place();
    await page.locator('input[data-fault=unreachableTarget]').uncheck();
    await openTrace(orderId);

    // Assess
    const trace = page.getByTestId('trace');
    await trace.getByText('finished in').waitFor({ timeout: LIVE_MS });
    await expect.poll(() => trace.locator('.row[data-kind=delivery]', { hasText: /retr(y|ies)/ }).count(), { timeout: LIVE_MS }).toBeGreaterThan(0);
    expect(await trace.locator('.row[data-kind=invocation]', { hasText: 'PlaceOrder' }).count()).toBe(1);
    expect(await trace.locator('.row[data-kind=event]', { hasText: 'CustomerNotified' }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('fault-spec').textContent()).toContain('none');
  });

  it('traces a parked poison with its cause and log line, and redrives its DLQ from the page by moving it back', async () => {
    // Prepare: an OrderPlaced the handler cannot parse
    const poisonId = randomUUID();
    await events.send(new PutEventsCommand({ Entries: [{ EventBusName: cloud.plan.buses[0], Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ schemaVersion: 2, orderId: poisonId, order: { items: 'none' } }) }] }));
    const deadLetterQueue = cloud.plan.queues.find((queue) => queue.QueueName === queueFeeding('ReserveInventory'))?.deadLetterQueueName ?? '';
    await openTrace(poisonId);
    const trace = page.getByTestId('trace');
    // The projection parks it too, in its own DLQ: the rows of reserve-inventory's are counted.
    const parkedInDeadLetterQueue = trace.locator('.row[data-kind=parking]', { hasText: `parked in ${deadLetterQueue}` });
    await parkedInDeadLetterQueue.first().waitFor({ timeout: LIVE_MS });
    expect(await parkedInDeadLetterQueue.count()).toBe(1);
    expect(await parkedInDeadLetterQueue.first().getAttribute('title')).toContain('ValidationError');
    await expect.poll(() => trace.getByTestId('invocation-logs').allTextContents(), { timeout: LIVE_MS }).toEqual(expect.arrayContaining([expect.stringContaining('record parked in the dead-letter queue')]));

    // Act
    await page.locator('#tabs button[data-tab=queues]').click();
    await page.locator(`#queues tr[data-queue="${deadLetterQueue}"] button[data-action=redrive]`).click();

    // Assess: moved back to its queue, the poison fails again and is parked a second time
    await expect.poll(() => page.getByTestId('redrive-result').textContent(), { timeout: LIVE_MS }).toMatch(/message-move-task.*1 message/);
    await openTrace(poisonId);
    await expect.poll(() => parkedInDeadLetterQueue.count(), { timeout: LIVE_MS }).toBe(2);
  });

  it('replays a window of the archive from the page, and marks the replayed events in the stream', async () => {
    // Prepare
    await page.locator('#tabs button[data-tab=replay]').click();
    await expect.poll(() => page.getByTestId('replay-archive').locator('option').count(), { timeout: LIVE_MS }).toBeGreaterThan(0);

    // Act: the default window, the last five minutes up to now
    await page.getByTestId('replay-start').click();

    // Assess
    await page.getByTestId('replays').locator('tbody tr', { hasText: 'console-' }).waitFor({ timeout: LIVE_MS });
    await page.locator('#tabs button[data-tab=stream]').click();
    await page.locator('#stream tbody tr', { hasText: 'replay console-' }).first().waitFor({ timeout: LIVE_MS });
  });
});
