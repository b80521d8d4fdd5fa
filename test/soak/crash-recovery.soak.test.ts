/**
 * Crash recovery: `npm start -- --data DIR` killed with SIGKILL while orders are flowing, then
 * started again on the same directory. Clients retry their POSTs with the same
 * Idempotency-Key, as a client would; afterwards no order and no message may be missing and
 * every invariant must hold.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import type { OrderView } from '#shared/order-view';
import { isSettled, TERMINAL_STATUSES } from '#shared/pipeline-graph';
import { planOrders } from '#local/order-mix';
import { mapConcurrently } from '#local/soak/concurrency';
import { deadLetterRoutes } from '#local/soak/dead-letter-routes';
import { checkInvariants, type AcceptedOrder } from '#local/soak/invariants';
import { placeOrder } from '#local/soak/order-client';
import { readDeadLetters, readInventory, readLedger, readOrderViews } from '#local/soak/pipeline-state';
import { readSynthesizedStack } from '#cloud/template/cloud-assembly';
import { planStack } from '#cloud/template/stack-plan';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

/** Enough for every kind of the order mix (the rarest is 6%) before and after the kill, with orders in flight at it. */
const ORDERS = 60;
const KILL_AFTER_ACCEPTED = 25;

/** A free loopback port: both runs of the cloud use the same ports, so clients just retry. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Starts `npm start`'s entry point on the data directory and waits until it serves. */
async function startCloudProcess(args: readonly string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/local/start.ts', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the local cloud did not start in 60 s:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ctrl-C stops')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the local cloud exited with ${code} before serving:\n${output}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('crash recovery of the local cloud (--data)', () => {
  const dataDirectory = mkdtempSync(join(tmpdir(), 'local-cloud-data-'));
  let running: ChildProcess | undefined;
  afterAll(async () => {
    if (running && running.exitCode === null) await killed(running);
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('loses no order and no message when killed with SIGKILL mid-flow and restarted on the same directory', { timeout: 240_000 }, async () => {
    // Prepare
    const [awsPort, httpPort] = [await freePort(), await freePort()];
    const assemblyDirectory = inject('assemblyDirectory');
    const args = ['--data', dataDirectory, '--assembly', assemblyDirectory, '--aws-port', String(awsPort), '--http-port', String(httpPort), '--visibility-timeout-scale', '0.1'];
    const httpApiUrl = `http://127.0.0.1:${httpPort}`;
    const awsEndpoint = `http://127.0.0.1:${awsPort}`;
    running = await startCloudProcess(args);
    const planned = planOrders(ORDERS, 7);
    // The customers sign in before the kill; the pool's key and users are kept in the data directory, so their tokens outlive the restart.
    const config = { region: 'us-east-1', endpoint: awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
    const tokens = await CustomerTokens.discover(config);
    const authorizations = await Promise.all(planned.map((plan) => tokens.authorizationOf(plan.order.customer.customerId)));
    tokens.destroy();

    // Act: orders flow; after some were accepted the process is killed, then started again.
    let accepted = 0;
    let restarted: Promise<void> | undefined;
    const outcomes = await mapConcurrently(planned, 8, async (plan, index) => {
      const outcome = await placeOrder(httpApiUrl, authorizations[index] as string, plan.order, plan.idempotencyKey, { maxAttempts: 40, baseDelayMs: 100 });
      if (outcome.accepted && ++accepted === KILL_AFTER_ACCEPTED) {
        restarted = killed(running as ChildProcess).then(async () => {
          running = await startCloudProcess(args);
        });
      }
      return outcome;
    });
    await restarted;
    const owned = outcomes.flatMap((outcome, index) => (outcome.accepted ? [{ orderId: outcome.orderId, authorization: authorizations[index] as string }] : []));
    const orders: AcceptedOrder[] = outcomes.flatMap((outcome, index) => (outcome.accepted ? [{ orderId: outcome.orderId, items: planned[index]?.order.items ?? [], expected: planned[index]?.expected }] : []));
    const deadline = Date.now() + 90_000;
    let views = await readOrderViews(httpApiUrl, owned, 8);
    // Settled means the customer was told and the view shows the terminal status: a message the
    // projection had received when the process was killed comes back only after its visibility
    // timeout, so the view can show the notification before the cancellation it followed.
    const settled = (view: OrderView | undefined) => view !== undefined && isSettled(view.timeline) && TERMINAL_STATUSES.includes(view.status);
    while ([...views.values()].some((view) => !settled(view)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      views = await readOrderViews(httpApiUrl, owned, 8);
    }

    // Assess
    const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient(config));
    const sqs = new SQSClient(config);
    const stack = readSynthesizedStack(assemblyDirectory, ORDER_PIPELINE_STACK_NAME);
    const plan = planStack({ ...stack, endpoints: { region: 'us-east-1', accountId: '000000000000', awsEndpoint, httpApiUrl } });
    const outputs = plan.outputs;
    const deadLetters = await readDeadLetters(sqs, deadLetterRoutes(plan));
    const results = checkInvariants({
      orders,
      views,
      ledger: await readLedger(dynamodb, outputs.LedgerTableName as string),
      inventory: await readInventory(dynamodb, outputs.InventoryTableName as string),
      seededStock: new Map(DEMO_CATALOGUE.map((entry) => [entry.sku, entry.initialStock])),
      paymentIdsSeen: new Map(),
      deadLettersBeforeRedrive: deadLetters,
      deadLettersAfterRedrive: deadLetters,
      lostDeliveries: [],
    });
    dynamodb.destroy();
    sqs.destroy();
    expect(orders).toHaveLength(ORDERS);
    expect(deadLetters).toEqual([]);
    expect(results.filter((result) => !result.holds)).toEqual([]);
  });
});
