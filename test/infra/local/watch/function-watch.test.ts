/**
 * `npm start -- --watch` on a copy of the sources: an edit to one step's code is rebuilt with the
 * deployed bundle's esbuild options and swapped in the running cloud, only for that step, while
 * orders flow; every order placed before, during and after the swap settles.
 */
import { appendFile, cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { PROJECT_ROOT } from '#infra/function-defaults';
import { esbuildOptionsOf, functionEntriesByLogicalId, UntranslatedBundlingOptionError } from '#local/watch/function-bundle';
import { watchFunctions, type FunctionReload, type FunctionWatch } from '#local/watch/function-watch';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';
import { customerAuthorization } from '#test/support/customers';
import { anOrder } from '#test/support/factories';
import { until } from '#test/support/until';

const EDIT_MARKER = 'ship-order edited while running';

describe('esbuildOptionsOf', () => {
  it("translates the functions' bundling as CDK passes it to esbuild", () => {
    expect(esbuildOptionsOf()).toMatchObject({ bundle: true, platform: 'node', format: 'esm', minify: true, external: [], outputFileName: 'index.mjs' });
  });

  it('refuses a bundling option it has no translation for, naming it', () => {
    expect(() => esbuildOptionsOf({ sourceMap: true })).toThrow(UntranslatedBundlingOptionError);
    expect(() => esbuildOptionsOf({ sourceMap: true })).toThrow(/sourceMap/);
  });
});

describe('watching the functions of a running local cloud', () => {
  let projectRoot: string;
  let cloud: LocalCloud;
  let authorization: string;
  let functionWatch: FunctionWatch;
  const reloads: FunctionReload[] = [];
  const logLines: string[] = [];
  const settled = new Set<string>();
  const shipOrderVersions: number[] = [];

  beforeAll(async () => {
    // Prepare: a copy of the sources to edit, resolving its imports and packages as the project does
    projectRoot = await mkdtemp(join(tmpdir(), 'watch-'));
    await cp(join(PROJECT_ROOT, 'functions'), join(projectRoot, 'functions'), { recursive: true });
    await cp(join(PROJECT_ROOT, 'package.json'), join(projectRoot, 'package.json'));
    await symlink(join(PROJECT_ROOT, 'node_modules'), join(projectRoot, 'node_modules'));
    cloud = await startLocalCloud({
      awsPort: 0,
      httpPort: 0,
      assemblyDirectory: inject('assemblyDirectory'),
      functionLogs: (line) => logLines.push(line),
      onEvent: (event) => {
        const orderId = (event.detail as { orderId?: string }).orderId;
        if (orderId !== undefined && PIPELINE_GRAPH.isSettled([event['detail-type']])) settled.add(orderId);
      },
      onBatch: (functionName, outcome) => {
        if (functionName.includes('ShipOrder') && outcome.codeVersion !== undefined) shipOrderVersions.push(outcome.codeVersion);
      },
    });
    authorization = await customerAuthorization(cloud);
    functionWatch = await watchFunctions({ cloud, entries: functionEntriesByLogicalId(), projectRoot, outputDirectory: join(projectRoot, 'out'), onReload: (reload) => reloads.push(reload) });
  });

  afterAll(async () => {
    await functionWatch?.close();
    await cloud?.stop();
    await rm(projectRoot, { recursive: true, force: true });
  });

  const place = async (): Promise<string> => {
    const response = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify(anOrder()) });
    expect(response.status).toBe(202);
    return ((await response.json()) as { orderId: string }).orderId;
  };

  // Three phases of orders through the whole pipeline, on a loaded 2-core machine.
  it('swaps the edited step’s code in place, only that step’s, and loses no order placed before, during or after', { timeout: 90_000 }, async () => {
    // Prepare
    const before = await Promise.all([place(), place(), place()]);
    await until(() => before.every((orderId) => settled.has(orderId)), { timeoutMs: 20_000 });

    // Act: save an edit while orders are in flight
    const during = [place(), place(), place()];
    await appendFile(join(projectRoot, 'functions/ship-order/index.ts'), `\nconsole.log(JSON.stringify({ message: '${EDIT_MARKER}' }));\n`);
    await until(() => reloads.length > 0, { timeoutMs: 20_000 });
    const after = [place(), place(), place()];
    const orderIds = [...before, ...(await Promise.all(during)), ...(await Promise.all(after))];

    // Assess
    await until(() => orderIds.every((orderId) => settled.has(orderId)), { timeoutMs: 20_000 });
    expect(reloads).toEqual([expect.objectContaining({ functionName: expect.stringContaining('ShipOrder'), codeVersion: 2, changed: 'functions/ship-order/index.ts' })]);
    await until(() => shipOrderVersions.includes(2), { timeoutMs: 20_000 });
    expect(logLines.some((line) => line.includes(EDIT_MARKER))).toBe(true);
    expect(cloud.functions.get(reloads[0]?.functionName ?? '')?.codeVersion).toBe(2);
  });
});
