/** `npm run token` run as a child process against a local cloud: the token it prints is one the API accepts, as that customer. */
import { execFile } from 'node:child_process';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { anOrder } from '#test/support/factories';

/**
 * Runs `infra/tools/token/token.ts <args>` with tsx in the project root, as `npm run token` does.
 * Node itself, not `npx`: npx's start costs seconds on a loaded machine. No kill timer: the
 * test's timeout bounds the run, and a timer that kills a slow but correct run races the machine.
 */
function token(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'infra/tools/token/token.ts', ...args], { cwd: process.cwd() }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

describe('npm run token', () => {
  let cloud: LocalCloud;
  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory') });
  });
  afterAll(async () => {
    await cloud?.stop();
  });

  it("prints a token the running cloud's API accepts; the order placed with it is that customer's", { timeout: 60_000 }, async () => {
    // Act
    const { code, stdout } = await token('--customer', 'c-1', '--endpoint', cloud.awsEndpoint);
    const idToken = stdout.trim();
    const placed = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { authorization: `Bearer ${idToken}`, 'content-type': 'application/json' }, body: JSON.stringify(anOrder()) });
    const { orderId } = (await placed.json()) as { orderId: string };
    const view = await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization: `Bearer ${idToken}` } });
    // Assess
    expect(code).toBe(0);
    expect(placed.status).toBe(202);
    expect(((await view.json()) as { order: { customerId: unknown } }).order.customerId).toBe(decodeJwt(idToken).sub);
  });

  it('exits 2 without --customer, and 1 when no stack answers', { timeout: 60_000 }, async () => {
    // Act
    const usage = await token('--endpoint', cloud.awsEndpoint);
    const unreachable = await token('--customer', 'c-1', '--endpoint', 'http://127.0.0.1:9');
    // Assess
    expect([usage.code, usage.stderr]).toEqual([2, expect.stringContaining('--customer is required')]);
    expect([unreachable.code, unreachable.stdout]).toEqual([1, '']);
  });
});
