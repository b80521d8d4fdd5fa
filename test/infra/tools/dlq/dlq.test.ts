/** The CLI itself, run as `npm run dlq` runs it: a child process, its output and exit code. */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_NAMES } from '#shared/pipeline-graph';
import { deadLetterQueue, depth, eventually, putInvalidEvent, startDlqTestCloud, type DlqTestCloud } from './dlq-test-cloud.ts';

/** Runs `npx tsx infra/tools/dlq/dlq.ts <args>` in the project root. */
function dlq(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'infra/tools/dlq/dlq.ts', ...args], { cwd: process.cwd(), timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1, stdout, stderr });
    });
  });
}

/** The tool's own lines on stderr (npm and the SDK add warnings of their own). */
const toolLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('dlq:'));

describe('npm run dlq', () => {
  let target: DlqTestCloud;
  let orderId: string;
  beforeAll(async () => {
    target = await startDlqTestCloud();
    const queue = await deadLetterQueue(target, 'reserve-inventory');
    orderId = await putInvalidEvent(target, 'OrderPlaced');
    await eventually('the record to be parked', async () => (await depth(target.clients.sqs, queue.url)).visible === 1);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('list prints every DLQ with its kind, source and depth', async () => {
    // Act
    const { code, stdout, stderr } = await dlq('list', '--endpoint', target.cloud.awsEndpoint);
    // Assess
    expect(toolLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^DLQ\s+KIND\s+SOURCE\s+VISIBLE\s+IN FLIGHT\s+OLDEST$/);
    expect(lines).toHaveLength(1 + 2 * STEP_NAMES.length);
    expect(stdout).toMatch(/^reserve-inventory\s+queue DLQ\s+ReserveInventoryQueue5F4F857F\s+1\s+0\s+\d+s$/m);
    expect(stdout).toMatch(/^reserve-inventory-target\s+rule-target DLQ\s+ReserveInventoryQueue5F4F857F\s+0\s+0\s+-$/m);
  });

  it('show --json gives the parked message and leaves it in the DLQ', async () => {
    // Act
    const { code, stdout } = await dlq('show', 'reserve-inventory', '--json', '--endpoint', target.cloud.awsEndpoint);
    // Assess
    expect(code).toBe(0);
    const shown = JSON.parse(stdout) as { visible: number; messages: { orderId: string; error: string; receiveCount: number }[] };
    expect(shown.visible).toBe(1);
    expect(shown.messages).toEqual([expect.objectContaining({ orderId, receiveCount: 1, error: expect.stringMatching(/^ValidationError: /) })]);
    expect(await depth(target.clients.sqs, (await deadLetterQueue(target, 'reserve-inventory')).url)).toEqual({ visible: 1, inFlight: 0 });
  });

  it('exits 2 with one line on a wrong command line, before calling AWS', async () => {
    // Act
    const { code, stderr } = await dlq('redrive', '--rate', '0');
    // Assess
    expect(code).toBe(2);
    expect(toolLines(stderr)).toEqual(['dlq: --rate must be a whole number from 1 to 500, got "0"']);
  });

  it('exits 1 with one line when nothing answers at the endpoint', async () => {
    // Prepare: a port that was free a moment ago
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    // Act
    const { code, stderr } = await dlq('list', '--endpoint', `http://127.0.0.1:${port}`);
    // Assess
    expect(code).toBe(1);
    expect(toolLines(stderr)).toEqual([`dlq: no AWS API answers at http://127.0.0.1:${port} (start the local cloud with npm start, or pass --endpoint)`]);
  });
});
