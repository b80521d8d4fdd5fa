import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ExecutionEnvironmentBudget } from '#cloud/lambda/environment-budget';
import { LocalFunctionClosedError, LocalFunctionConfigError } from '#cloud/lambda/errors';
import type { InvocationResult } from '#cloud/lambda/invocation-result';
import { loggingConfigFromTemplate } from '#cloud/lambda/logging-config';
import { LocalFunction, type LocalFunctionProps } from '#cloud/lambda/local-function';
import type { LogLineSource } from '#cloud/lambda/log-sink';
import { until } from '#test/support/until';
import { HandlerBundles } from './handler-bundles.ts';

const bundles = new HandlerBundles();

/** The project's Powertools logger, for a bundle in a temporary directory (outside node_modules' reach). */
const POWERTOOLS_LOGGER_URL = pathToFileURL(createRequire(import.meta.url).resolve('@aws-lambda-powertools/logger')).href;
const functions: LocalFunction[] = [];

/** A function over `codeDirectory` whose logs are dropped unless a sink is given; closed after each test. */
function aFunction(codeDirectory: string, props: Partial<LocalFunctionProps> = {}): LocalFunction {
  const fn = new LocalFunction({ functionName: 'test-fn', codeDirectory, handler: 'index.handler', logSink: () => {}, ...props });
  functions.push(fn);
  return fn;
}

function expectSuccess(result: InvocationResult): unknown {
  if (!result.ok) throw new Error(`expected success, got ${JSON.stringify(result.error)}`);
  return result.result;
}

function expectFailure(result: InvocationResult) {
  if (result.ok) throw new Error(`expected failure, got ${JSON.stringify(result.result)}`);
  return result.error;
}

/** Most spans running at the same instant; a span ending at t does not overlap one starting at t. */
function mostAtOnce(spans: ReadonlyArray<{ start: number; end: number }>): number {
  const edges = spans.flatMap((span) => [{ at: span.start, delta: 1 }, { at: span.end, delta: -1 }]);
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let running = 0;
  let most = 0;
  for (const edge of edges) {
    running += edge.delta;
    most = Math.max(most, running);
  }
  return most;
}

/** What a latched handler returns: its environment's thread, and when that environment's init ran. */
interface LatchedResult {
  readonly threadId: number;
  readonly initStart: number;
  readonly initEnd: number;
}

/**
 * A handler whose init takes 100 ms and whose invocations each mark that they run, then wait
 * until their latch (a directory named by the event) is released.
 */
function latchedHandler(): Promise<string> {
  return bundles.handler(
    `async (event) => {
      writeFileSync(join(event.latch, \`running-\${threadId}-\${randomUUID()}\`), '');
      while (!existsSync(join(event.latch, 'released'))) await new Promise((resolve) => setTimeout(resolve, 10));
      return { threadId, initStart, initEnd };
    }`,
    `import { threadId } from 'node:worker_threads';
     import { existsSync, writeFileSync } from 'node:fs';
     import { join } from 'node:path';
     import { randomUUID } from 'node:crypto';
     const initStart = Date.now();
     await new Promise((resolve) => setTimeout(resolve, 100));
     const initEnd = Date.now();`,
  );
}

/** A latch for {@link latchedHandler}: how many invocations run, and the release. */
function aLatch(): { readonly directory: string; running(): number; release(): void } {
  const directory = mkdtempSync(join(tmpdir(), 'latch-'));
  return {
    directory,
    running: () => readdirSync(directory).filter((name) => name.startsWith('running-')).length,
    release: () => writeFileSync(join(directory, 'released'), ''),
  };
}

afterEach(async () => {
  await Promise.all(functions.splice(0).map((fn) => fn.close()));
});
afterAll(() => bundles.removeAll());

describe('LocalFunction', () => {
  it('returns the handler result after a JSON round trip', async () => {
    // Prepare
    const fn = aFunction(await bundles.handler('async (event) => ({ echo: event, at: new Date(0), missing: undefined })'));

    // Act
    const result = await fn.invoke({ orderId: 'o-1' });

    // Assess
    expect(expectSuccess(result)).toEqual({ echo: { orderId: 'o-1' }, at: '1970-01-01T00:00:00.000Z' });
  });

  it('returns null when the handler returns nothing', async () => {
    const fn = aFunction(await bundles.handler('async () => {}'));

    const result = await fn.invoke({});

    expect(expectSuccess(result)).toBeNull();
  });

  it('runs a CommonJS bundle and a callback-style handler', async () => {
    const directory = await bundles.write({
      'app.cjs': 'exports.main = (event, context, callback) => callback(null, { doubled: event.n * 2 });',
    });
    const fn = aFunction(directory, { handler: 'app.main' });

    const result = await fn.invoke({ n: 21 });

    expect(expectSuccess(result)).toEqual({ doubled: 42 });
  });

  it('gives each function exactly its own environment and leaves the host environment alone', async () => {
    // Prepare
    const directory = await bundles.handler('async () => ({ table: process.env.TABLE_NAME, home: process.env.HOME ?? null })');
    const orders = aFunction(directory, { functionName: 'orders', environment: { TABLE_NAME: 'Orders' } });
    const payments = aFunction(directory, { functionName: 'payments', environment: { TABLE_NAME: 'Payments' } });
    const hostTableName = process.env.TABLE_NAME;

    // Act
    const [fromOrders, fromPayments] = await Promise.all([orders.invoke({}), payments.invoke({})]);

    // Assess
    expect(expectSuccess(fromOrders)).toEqual({ table: 'Orders', home: null });
    expect(expectSuccess(fromPayments)).toEqual({ table: 'Payments', home: null });
    expect(process.env.TABLE_NAME).toBe(hostTableName);
  });

  it("sets Lambda's reserved variables over the function's own, next to what the host passes", async () => {
    // Prepare
    const directory = await bundles.handler('async () => ({ ...process.env })');
    const fn = aFunction(directory, {
      functionName: 'reserve-inventory',
      memorySize: 256,
      region: 'eu-west-1',
      environment: { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_ACCESS_KEY_ID: 'test', AWS_REGION: 'mars-1' },
    });

    // Act
    const env = expectSuccess(await fn.invoke({}));

    // Assess
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_LAMBDA_FUNCTION_NAME: 'reserve-inventory',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/reserve-inventory',
      LAMBDA_TASK_ROOT: directory,
      TZ: ':UTC',
      _HANDLER: 'index.handler',
    });
  });

  it("hands the function its JSON log format and application log level, as Lambda's variables", async () => {
    // Prepare
    const directory = await bundles.handler('async () => ({ ...process.env })');
    const atWarn = aFunction(directory, { logging: loggingConfigFromTemplate({ LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'WARN' }) });
    const byDefault = aFunction(directory);

    // Act
    const [warnEnv, defaultEnv] = [expectSuccess(await atWarn.invoke({})), expectSuccess(await byDefault.invoke({}))];

    // Assess
    expect(warnEnv).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'WARN' });
    expect(defaultEnv).toMatchObject({ AWS_LAMBDA_LOG_FORMAT: 'Text' });
    expect(defaultEnv).not.toHaveProperty('AWS_LAMBDA_LOG_LEVEL');
  });

  it.each([
    { applicationLogLevel: 'WARN', written: ['WARN'] },
    { applicationLogLevel: 'INFO', written: ['INFO', 'WARN'] },
  ])("writes to the function log only the Powertools lines at or above the template's $applicationLogLevel", async ({ applicationLogLevel, written }) => {
    // Prepare: the function's own thread writes the log file before the invocation returns.
    const logFile = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'functions.log');
    const fn = aFunction(
      await bundles.handler(
        'async () => { logger.debug("record details"); logger.info("record processed"); logger.warn("record failed; it will be retried"); return 1; }',
        `import { Logger } from ${JSON.stringify(POWERTOOLS_LOGGER_URL)};\nconst logger = new Logger({ serviceName: 'ship-order' });`,
      ),
      { logging: loggingConfigFromTemplate({ LogFormat: 'JSON', ApplicationLogLevel: applicationLogLevel, SystemLogLevel: 'WARN' }), logFile },
    );

    // Act
    expectSuccess(await fn.invoke({}));

    // Assess
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual(written);
  });

  it('passes a context describing the function and the time left', async () => {
    // Prepare
    const fn = aFunction(
      await bundles.handler(
        'async (event, context) => ({ ...context, remaining: context.getRemainingTimeInMillis(), hasGetter: typeof context.getRemainingTimeInMillis })',
      ),
      { functionName: 'ship-order', timeoutSeconds: 5, memorySize: 512 },
    );

    // Act
    const context = expectSuccess(await fn.invoke({})) as Record<string, unknown>;

    // Assess
    expect(context).toMatchObject({
      functionName: 'ship-order',
      functionVersion: '$LATEST',
      memoryLimitInMB: '512',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:ship-order',
      logGroupName: '/aws/lambda/ship-order',
      hasGetter: 'function',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(context.remaining).toBeGreaterThan(4000);
    expect(context.remaining).toBeLessThanOrEqual(5000);
  });

  it('fails an invocation that runs past the timeout and replaces its environment', async () => {
    // Prepare
    const fn = aFunction(
      await bundles.handler('async (event) => { if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return "done"; }'),
      { timeoutSeconds: 0.2 },
    );
    await fn.invoke({});

    // Act
    const timedOut = await fn.invoke({ hang: true });
    const next = await fn.invoke({});

    // Assess
    expect(expectFailure(timedOut)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: \S+ Error: Task timed out after 0\.20 seconds$/),
    });
    expect(expectSuccess(next)).toBe('done');
    expect(next.ok && next.initDurationMs).toBeGreaterThan(0);
  });

  it("reports a thrown error in Lambda's shape and keeps serving", async () => {
    // Prepare
    const fn = aFunction(
      await bundles.handler(
        'async (event) => { if (event.fail) throw new OrderNotFoundError("order o-9 not found"); return "ok"; }',
        'class OrderNotFoundError extends Error { name = "OrderNotFoundError"; }',
      ),
    );

    // Act
    const failed = await fn.invoke({ fail: true });
    const next = await fn.invoke({});

    // Assess
    const error = expectFailure(failed);
    expect(error.errorType).toBe('OrderNotFoundError');
    expect(error.errorMessage).toBe('order o-9 not found');
    expect(error.trace?.[0]).toBe('OrderNotFoundError: order o-9 not found');
    expect(expectSuccess(next)).toBe('ok');
    expect(fn.environmentCount).toBe(1);
  });

  it.each([
    { logging: { LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN' }, format: 'JSON' },
    { logging: undefined, format: 'Text' },
  ])("writes the runtime's Invoke Error line to the function log when an invocation fails ($format)", async ({ logging }) => {
    // Prepare
    const logFile = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'functions.log');
    const fn = aFunction(await bundles.handler('async () => { throw new RangeError("no such order"); }'), {
      logFile,
      ...(logging === undefined ? {} : { logging: loggingConfigFromTemplate(logging) }),
    });

    // Act
    expectFailure(await fn.invoke({}));

    // Assess
    const [line] = readFileSync(logFile, 'utf8').trimEnd().split('\n');
    const document = logging === undefined ? JSON.parse(line?.split('\t').pop() ?? '') : (JSON.parse(line ?? '') as { level: string; message: unknown }).message;
    expect(document).toMatchObject({ errorType: 'RangeError', errorMessage: 'no such order', stackTrace: expect.arrayContaining(['RangeError: no such order']) });
    if (logging === undefined) expect(line?.split('\t').slice(2, 4)).toEqual(['ERROR', 'Invoke Error ']);
    else expect(JSON.parse(line ?? '')).toMatchObject({ level: 'ERROR', requestId: expect.any(String) });
  });

  it("writes no Invoke Error line when the function's log level is above ERROR", async () => {
    // Prepare
    const logFile = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'functions.log');
    const fn = aFunction(await bundles.handler('async () => { throw new Error("boom"); }'), {
      logFile,
      logging: loggingConfigFromTemplate({ LogFormat: 'JSON', ApplicationLogLevel: 'FATAL', SystemLogLevel: 'WARN' }),
    });

    // Act
    expectFailure(await fn.invoke({}));

    // Assess
    expect(existsSync(logFile) ? readFileSync(logFile, 'utf8') : '').toBe('');
  });

  it('survives a handler that exits the process, failing only that invocation', async () => {
    const fn = aFunction(await bundles.handler('async (event) => { if (event.exit) process.exit(7); return "alive"; }'));

    const exited = await fn.invoke({ exit: true });
    const next = await fn.invoke({});

    expect(expectFailure(exited)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringMatching(/Runtime exited with error: exit status 7$/),
    });
    expect(expectSuccess(next)).toBe('alive');
  });

  it('fails the invocation on an unhandled rejection and replaces the environment', async () => {
    const fn = aFunction(
      await bundles.handler(
        'async (event) => { if (event.leak) { Promise.reject(new Error("leaked")); await new Promise(() => setInterval(() => {}, 1000)); } return "fresh"; }',
      ),
    );

    const leaked = await fn.invoke({ leak: true });
    const next = await fn.invoke({});

    expect(expectFailure(leaked)).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: leaked' });
    expect(expectSuccess(next)).toBe('fresh');
    expect(next.ok && next.initDurationMs).toBeGreaterThan(0);
  });

  it('reports the init duration only on the first invocation of an environment', async () => {
    const fn = aFunction(await bundles.handler('async () => "warm"'));

    const cold = await fn.invoke({});
    const warm = await fn.invoke({});

    expect(cold.ok && cold.initDurationMs).toBeGreaterThan(0);
    expect(warm).not.toHaveProperty('initDurationMs');
  });

  it('grows the pool on demand and never runs more invocations at once than maxConcurrency', async () => {
    // Prepare
    const fn = aFunction(
      await bundles.handler(
        'async () => { const start = Date.now(); await new Promise((r) => setTimeout(r, 80)); return { threadId, start, end: Date.now() }; }',
        'import { threadId } from "node:worker_threads";',
      ),
      { maxConcurrency: 2, scaleOutAfterMs: 0 },
    );

    // Act
    const spans = (await Promise.all(Array.from({ length: 6 }, () => fn.invoke({})))).map(
      (result) => expectSuccess(result) as { threadId: number; start: number; end: number },
    );

    // Assess
    expect(mostAtOnce(spans)).toBe(2);
    expect(new Set(spans.map((span) => span.threadId)).size).toBe(2);
    expect(fn.environmentCount).toBe(2);
  });

  it('serves a burst with one environment when no invocation waits long enough to need another', async () => {
    // Prepare
    const fn = aFunction(await bundles.handler('async () => threadId', 'import { threadId } from "node:worker_threads";'), {
      maxConcurrency: 5,
      scaleOutAfterMs: 60_000,
    });

    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => fn.invoke({})));

    // Assess
    expect(new Set(results.map(expectSuccess)).size).toBe(1);
    expect(fn.environmentCount).toBe(1);
    expect(fn.coldStarts).toBe(1);
  });

  it('adds an environment for an invocation that waited, one cold start at a time', async () => {
    // Prepare
    const fn = aFunction(await latchedHandler(), { maxConcurrency: 3, scaleOutAfterMs: 0 });
    const latch = aLatch();

    // Act
    const results = Array.from({ length: 3 }, () => fn.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 3, { timeoutMs: 10_000 });
    latch.release();
    const outcomes = (await Promise.all(results)).map((result) => expectSuccess(result) as LatchedResult);

    // Assess
    expect(new Set(outcomes.map((outcome) => outcome.threadId)).size).toBe(3);
    expect(mostAtOnce(outcomes.map((outcome) => ({ start: outcome.initStart, end: outcome.initEnd })))).toBe(1);
    expect(fn.coldStarts).toBe(3);
  });

  it('retires environments idle for the idle timeout, keeping the last one warm', async () => {
    // Prepare
    const fn = aFunction(await latchedHandler(), { maxConcurrency: 3, scaleOutAfterMs: 0, idleTimeoutSeconds: 0.2 });
    const latch = aLatch();
    const busy = Array.from({ length: 3 }, () => fn.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 3, { timeoutMs: 10_000 });
    latch.release();
    await Promise.all(busy);

    // Act
    await until(() => fn.environmentCount === 1);
    const next = await fn.invoke({ latch: latch.directory });

    // Assess
    expect(expectSuccess(next)).toBeDefined();
    expect(next.ok && next.initDurationMs).toBe(undefined);
    expect(fn.environmentCount).toBe(1);
  });

  it('keeps the environments of all functions within their shared budget', async () => {
    // Prepare
    const budget = new ExecutionEnvironmentBudget(2);
    const code = await latchedHandler();
    const first = aFunction(code, { functionName: 'first', maxConcurrency: 3, scaleOutAfterMs: 0, budget });
    const second = aFunction(code, { functionName: 'second', maxConcurrency: 3, scaleOutAfterMs: 0, budget });
    const latch = aLatch();

    // Act: four invocations of the first function, then one of the second once the first is idle
    const firstResults = Array.from({ length: 4 }, () => first.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 2, { timeoutMs: 10_000 });
    const environmentsWhileBusy = first.environmentCount;
    latch.release();
    const firstOutcomes = await Promise.all(firstResults);
    const secondOutcome = await second.invoke({ latch: latch.directory });

    // Assess: the first function scaled to the budget, and gave an idle environment to the second, which had none
    expect(environmentsWhileBusy).toBe(2);
    expect(firstOutcomes.every((result) => result.ok)).toBe(true);
    expect(secondOutcome.ok).toBe(true);
    expect(budget.peak).toBe(2);
    expect(first.environmentCount).toBe(1);
    expect(second.environmentCount).toBe(1);
  });

  it('gives a function that has no environment the first environment another function frees, without waiting for it to retire', async () => {
    // Prepare: the budget is full of the first function's busy environments
    const budget = new ExecutionEnvironmentBudget(2);
    const code = await latchedHandler();
    const first = aFunction(code, { functionName: 'first', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const second = aFunction(code, { functionName: 'second', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const latch = aLatch();
    const firstResults = Array.from({ length: 2 }, () => first.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 2, { timeoutMs: 10_000 });

    // Act: the second function is invoked while no slot is free, then the first goes idle (its idle timeout is 60 s)
    const secondResult = second.invoke({ latch: latch.directory });
    latch.release();
    const [firstOutcomes, secondOutcome] = await Promise.all([Promise.all(firstResults), secondResult]);

    // Assess
    expect(firstOutcomes.every((result) => result.ok)).toBe(true);
    expect(secondOutcome.ok).toBe(true);
    expect(budget.peak).toBe(2);
    expect(first.environmentCount).toBe(1);
    expect(second.environmentCount).toBe(1);
  });

  it('retires an idle environment for each function that finds the budget full, the second as well as the first', async () => {
    // Prepare: the first function fills the budget, then idles (its idle timeout is 60 s); the second takes one of its environments
    const budget = new ExecutionEnvironmentBudget(2);
    const code = await latchedHandler();
    const first = aFunction(code, { functionName: 'first', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const second = aFunction(code, { functionName: 'second', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const third = aFunction(code, { functionName: 'third', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const latch = aLatch();
    const firstResults = Array.from({ length: 2 }, () => first.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 2, { timeoutMs: 10_000 });
    latch.release();
    await Promise.all(firstResults);
    const secondOutcome = await second.invoke({ latch: latch.directory });

    // Act: the budget is full again, of idle environments
    const thirdOutcome = await third.invoke({ latch: latch.directory });

    // Assess
    expect(secondOutcome.ok).toBe(true);
    expect(thirdOutcome.ok).toBe(true);
    expect(budget.peak).toBe(2);
    expect(first.environmentCount + second.environmentCount).toBe(1);
    expect(third.environmentCount).toBe(1);
  });

  it.each([
    ['retires', 0, { donor: 1, scaledOut: 2, runningAtOnce: 2 }],
    ['does not retire', 60_000, { donor: 2, scaledOut: 1, runningAtOnce: 1 }],
  ] as const)("%s another function's idle environment for a scale-out only once idle for scaleOutDonorIdleMs (%i ms)", async (_verb, scaleOutDonorIdleMs, expected) => {
    // Prepare: the donor's two environments go idle; the other function takes the budget's last slot
    const budget = new ExecutionEnvironmentBudget(3, { scaleOutDonorIdleMs });
    const code = await latchedHandler();
    const donor = aFunction(code, { functionName: 'donor', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const scaling = aFunction(code, { functionName: 'scaling', maxConcurrency: 2, scaleOutAfterMs: 0, budget });
    const latch = aLatch();
    const donorResults = Array.from({ length: 2 }, () => donor.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 2, { timeoutMs: 10_000 });
    latch.release();
    await Promise.all(donorResults);
    const nextLatch = aLatch();

    // Act: two invocations of the other function at once, the budget full
    const results = Array.from({ length: 2 }, () => scaling.invoke({ latch: nextLatch.directory }));
    await until(() => nextLatch.running() === expected.runningAtOnce, { timeoutMs: 10_000 });
    nextLatch.release();
    const outcomes = await Promise.all(results);

    // Assess
    expect(outcomes.every((result) => result.ok)).toBe(true);
    expect(budget.peak).toBe(3);
    expect(donor.environmentCount).toBe(expected.donor);
    expect(scaling.environmentCount).toBe(expected.scaledOut);
  });

  it('can take an invocation at once while an environment is idle or one more may start, not while a cold start is under way or the limits are reached', async () => {
    // Prepare
    const fn = aFunction(await latchedHandler(), { maxConcurrency: 2, scaleOutAfterMs: 0 });
    const latch = aLatch();
    const before = fn.canInvokeWithoutWaiting();

    // Act
    const results = Array.from({ length: 2 }, () => fn.invoke({ latch: latch.directory }));
    await until(() => latch.running() === 2, { timeoutMs: 10_000 });
    const atTheLimit = fn.canInvokeWithoutWaiting();
    latch.release();
    await Promise.all(results);

    // Assess
    expect(before).toBe(true);
    expect(atTheLimit).toBe(false);
    expect(fn.canInvokeWithoutWaiting()).toBe(true);
  });

  it("counts its worker threads' CPU time, a discarded environment's included", async () => {
    // Prepare: each invocation burns CPU and answers its own thread's CPU time so far.
    const fn = aFunction(
      await bundles.handler(
        'async (event) => { const stop = Date.now() + 30; while (Date.now() < stop); if (event.hang) await new Promise(() => setInterval(() => {}, 1000)); return Number(readFileSync("/proc/thread-self/schedstat", "latin1").split(" ")[0]) / 1e6; }',
        'import { readFileSync } from "node:fs";',
      ),
      { timeoutSeconds: 0.5 },
    );

    // Act: the second invocation times out, so its environment is discarded and replaced.
    const firstThreadMs = expectSuccess(await fn.invoke({})) as number;
    expectFailure(await fn.invoke({ hang: true }));
    const secondThreadMs = expectSuccess(await fn.invoke({})) as number;

    // Assess
    expect(fn.coldStarts).toBe(2);
    expect(fn.workerCpuMs()).toBeGreaterThanOrEqual(firstThreadMs + secondThreadMs);
  });

  it('reuses one warm environment for sequential invocations', async () => {
    const fn = aFunction(await bundles.handler('async () => threadId', 'import { threadId } from "node:worker_threads";'));

    const first = await fn.invoke({});
    const second = await fn.invoke({});

    expect(expectSuccess(second)).toBe(expectSuccess(first));
    expect(fn.environmentCount).toBe(1);
  });

  it('fails invocations whose handler cannot be loaded, as Lambda reports it', async () => {
    const directory = await bundles.handler('async () => "x"');
    const missingExport = aFunction(directory, { handler: 'index.nope' });
    const missingModule = aFunction(directory, { handler: 'lib/app.handler' });

    const [noExport, noModule] = await Promise.all([missingExport.invoke({}), missingModule.invoke({})]);

    expect(expectFailure(noExport)).toEqual({ errorType: 'Runtime.HandlerNotFound', errorMessage: 'index.nope is undefined or not exported' });
    expect(expectFailure(noModule)).toEqual({ errorType: 'Runtime.ImportModuleError', errorMessage: "Error: Cannot find module 'lib/app'" });
  });

  it('sends each line the function writes to the log sink', async () => {
    // Prepare
    const lines: Array<{ line: string; source: LogLineSource }> = [];
    const fn = aFunction(
      await bundles.handler('async () => { console.log(JSON.stringify({ level: "INFO", orderId: "o-1" })); console.error("oops"); return 1; }'),
      { functionName: 'notify-customer', logSink: (line, source) => lines.push({ line, source }) },
    );

    // Act
    await fn.invoke({});
    await expect.poll(() => lines.length).toBe(2);

    // Assess
    expect(lines).toEqual(
      expect.arrayContaining([
        { line: '{"level":"INFO","orderId":"o-1"}', source: { functionName: 'notify-customer', stream: 'stdout' } },
        { line: 'oops', source: { functionName: 'notify-customer', stream: 'stderr' } },
      ]),
    );
  });

  it('appends what the function writes to its log file, from its own thread, instead of the sink', async () => {
    // Prepare
    const logFile = join(mkdtempSync(join(tmpdir(), 'function-log-')), 'functions.log');
    const lines: string[] = [];
    const fn = aFunction(await bundles.handler('async () => { console.log("first"); process.stderr.write("second\\n"); return 1; }'), {
      logFile,
      logSink: (line) => lines.push(line),
    });

    // Act
    await fn.invoke({});
    await fn.invoke({});

    // Assess
    expect(readFileSync(logFile, 'utf8')).toBe('first\nsecond\nfirst\nsecond\n');
    expect(lines).toEqual([]);
  });

  it('rejects invocations after close', async () => {
    const fn = aFunction(await bundles.handler('async () => 1'));
    await fn.invoke({});

    await fn.close();

    await expect(fn.invoke({})).rejects.toBeInstanceOf(LocalFunctionClosedError);
    expect(fn.environmentCount).toBe(0);
  });

  it('rejects a configuration Lambda would reject', () => {
    expect(() => aFunction('/nowhere', { timeoutSeconds: 901 })).toThrow(LocalFunctionConfigError);
    expect(() => aFunction('/nowhere', { handler: 'index' })).toThrow(/Handler "index" is invalid/);
  });
});

describe('LocalFunction.replaceCode', () => {
  /** A bundle answering `{ code: name }`, after waiting for the file `event.gate` when the event names one. */
  const codeNamed = (name: string) =>
    bundles.handler(
      `async (event) => { if (event.gate) while (!existsSync(event.gate)) await new Promise((resolve) => setTimeout(resolve, 5)); return { code: '${name}' }; }`,
      "import { existsSync } from 'node:fs';",
    );
  const gatePath = () => join(mkdtempSync(join(tmpdir(), 'gate-')), 'open');

  it('lets a running invocation finish on the old code while new invocations get the new code', async () => {
    // Prepare: an invocation in flight on the first code.
    const fn = aFunction(await codeNamed('old'));
    const gate = gatePath();
    const running = fn.invoke({ gate });
    // Act
    const version = fn.replaceCode(await codeNamed('new'));
    const after = await fn.invoke({});
    writeFileSync(gate, '');
    const before = await running;
    // Assess
    expect(version).toBe(2);
    expect(after).toMatchObject({ ok: true, result: { code: 'new' }, codeVersion: 2 });
    expect(before).toMatchObject({ ok: true, result: { code: 'old' }, codeVersion: 1 });
    expect(fn.environmentCount).toBe(1);
  });

  it('retires idle environments at once', async () => {
    // Prepare
    const fn = aFunction(await codeNamed('old'));
    await fn.invoke({});
    // Act
    fn.replaceCode(await codeNamed('new'));
    // Assess
    expect(fn.environmentCount).toBe(0);
    expect(await fn.invoke({})).toMatchObject({ ok: true, result: { code: 'new' }, initDurationMs: expect.any(Number), codeVersion: 2 });
  });

  it('serves an invocation that waited for an environment during the swap with the new code', async () => {
    // Prepare: the only environment busy on the old code, a second invocation waiting for it.
    const fn = aFunction(await codeNamed('old'), { maxConcurrency: 1 });
    const gate = gatePath();
    const running = fn.invoke({ gate });
    const waiting = fn.invoke({});
    // Act
    fn.replaceCode(await codeNamed('new'));
    writeFileSync(gate, '');
    // Assess: both served, each by one code or the other, none lost.
    expect(await running).toMatchObject({ ok: true, result: { code: 'old' }, codeVersion: 1 });
    expect(await waiting).toMatchObject({ ok: true, result: { code: 'new' }, codeVersion: 2 });
    expect(fn.environmentCount).toBe(1);
  });
});
