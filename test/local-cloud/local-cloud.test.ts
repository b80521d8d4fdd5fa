import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { isSettled } from '#shared/pipeline-graph';
import { customerAuthorization } from '#test/support/customers';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';

describe("local cloud: function logs at the template's log level, and the test accelerators' bounds", () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'local-cloud-logs-'));
  const logFile = join(logDirectory, 'functions.log');
  let cloud: LocalCloud;
  let authorization: string;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory'), functionLogs: { file: logFile }, visibilityTimeoutScale: 0.05 });
    authorization = await customerAuthorization(cloud);
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(logDirectory, { recursive: true, force: true });
  });

  it("writes no line per record of a fulfilled order, only its metrics, at the stack's INFO", async () => {
    // Prepare
    const placed = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(anOrder()) });
    const { orderId } = (await placed.json()) as { orderId: string };

    // Act: the order settles once notify-customer has run; every step before it has written its lines.
    await until(
      async () => {
        const view = (await (await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization } })).json()) as { status?: string; timeline?: { type: string }[] };
        return view.status === 'notified' && isSettled(view.timeline ?? []);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );

    // Assess: the steps ran and wrote their metric lines, but neither the success of each record
    // nor the acceptance of the order, which the handlers log at DEBUG, nor the SDK's notice
    // about Node.js 20 (plain text), which Lambda's Node.js 24 would not print.
    const lines = jsonLines(readFileSync(logFile, 'utf8'));
    expect(lines.filter((line) => line.RecordsProcessed !== undefined).length).toBeGreaterThanOrEqual(4);
    expect(lines.filter((line) => line.level !== undefined)).toEqual([]);
    expect(placed.status).toBe(202);
  });

  it("scales visibility timeouts, but never below the consuming function's timeout plus its batching window", async () => {
    // Prepare
    const sqs = new SQSClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const visibilityOf = async (fragment: string) => {
      const queue = cloud.plan.queues.find((candidate) => candidate.QueueName.includes(fragment));
      const QueueUrl = cloud.services.sqs.queueUrl(queue?.QueueName ?? fragment);
      const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
      return { template: Number(queue?.Attributes.VisibilityTimeout), local: Number(Attributes?.VisibilityTimeout) };
    };

    // Act
    const [shipOrder, projection] = await Promise.all([visibilityOf('ShipOrderQueue'), visibilityOf('ProjectOrderQueue')]);
    sqs.destroy();

    // Assess: 0.05 of 60 s would be 3 s, less than ship-order's 10 s timeout.
    expect(shipOrder).toEqual({ template: 60, local: 10 });
    expect(projection).toEqual({ template: 61, local: 11 });
  });
});

/** `text`'s lines, each parsed as JSON: a plain-text line (a Node.js warning, say) fails the test. */
function jsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
