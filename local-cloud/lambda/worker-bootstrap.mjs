/**
 * The Lambda Node.js runtime as the local cloud reproduces it, running in one worker thread
 * (one execution environment). Plain JavaScript on purpose: a worker does not get the
 * TypeScript transform of its parent (tsx, vitest), so this file must run as it is.
 *
 * Init: load the bundle and find the handler, timing it (Lambda's Init Duration). Invoke: for
 * each message, build `context`, call the handler and post the JSON result or the error in
 * Lambda's shape. Message shapes: ./worker-protocol.ts.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { existsSync, openSync, readlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

/**
 * The host reads this thread's CPU time from /proc (see ../lambda/thread-cpu.ts): it learns the
 * OS thread id first thing, so the bundle's load counts too. Not Linux: nothing to tell.
 */
try {
  parentPort.postMessage({ type: 'thread', osThreadId: Number(readlinkSync('/proc/thread-self').split('/').at(-1)) });
} catch {
  // No /proc/thread-self: the host reports no per-thread CPU.
}

/**
 * With a log file, the function's output is written from this thread: carrying every line to
 * the host through the worker's stdout stream costs the host's one thread, which also serves
 * every AWS API call of every function.
 */
if (workerData.logFile) {
  const fd = openSync(workerData.logFile, 'a');
  const write = (chunk, encoding, callback) => {
    writeSync(fd, typeof chunk === 'string' ? chunk : Buffer.from(chunk));
    (typeof encoding === 'function' ? encoding : callback)?.();
    return true;
  };
  process.stdout.write = write;
  process.stderr.write = write;
}

/**
 * Lambda writes a function's output to its log stream with the function's role. The host learns
 * of the first line of each environment (to check and record that), and where the role may not
 * write the stream, the lines are lost, as they would be on AWS.
 */
{
  let announced = false;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream);
    stream.write = (chunk, encoding, callback) => {
      if (!announced) {
        announced = true;
        parentPort.postMessage({ type: 'log-written' });
      }
      if (!workerData.dropLogs) return write(chunk, encoding, callback);
      (typeof encoding === 'function' ? encoding : callback)?.();
      return true;
    };
  }
}

/**
 * Log levels from the most detail to the least; the runtime's error line is written at ERROR,
 * so a function whose application log level is FATAL does not get it.
 */
const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/**
 * The line the Node.js runtime writes when an invocation fails: `Invoke Error` and the error
 * document in the Text format, the error document as the message of an ERROR line in JSON
 * (aws-lambda-nodejs-runtime-interface-client, LifecycleManager.fail and LogPatch). Lambda writes
 * it to the function's log with the execution role, like the function's own lines.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
function logInvokeError(requestId, error) {
  const level = process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO';
  if (LOG_LEVELS.indexOf(level) > LOG_LEVELS.indexOf('ERROR')) return;
  const { errorType, errorMessage, trace } = toFunctionError(error);
  const document = { errorType, errorMessage, stackTrace: trace ?? [] };
  const timestamp = new Date().toISOString();
  const line =
    process.env.AWS_LAMBDA_LOG_FORMAT === 'JSON'
      ? JSON.stringify({ timestamp, level: 'ERROR', requestId, message: document })
      : `${timestamp}\t${requestId}\tERROR\tInvoke Error \t${JSON.stringify(document)}`;
  process.stderr.write(`${line}\n`);
}

/** Extensions the Node.js runtime tries for the handler module, in its order. */
const MODULE_EXTENSIONS = ['.mjs', '.js', '.cjs'];

/** @param {unknown} error @returns {{ errorType: string, errorMessage: string, trace?: string[] }} */
function toFunctionError(error) {
  if (error instanceof Error) {
    return { errorType: error.name, errorMessage: error.message, trace: String(error.stack ?? '').split('\n') };
  }
  // The Node.js runtime names a thrown non-Error by its type, e.g. `string`.
  return { errorType: typeof error, errorMessage: typeof error === 'string' ? error : JSON.stringify(error) ?? String(error) };
}

/** @returns {Promise<Function | { errorType: string, errorMessage: string, trace?: string[] }>} */
async function loadHandler() {
  const { codeDirectory, modulePath, exportName, handler } = workerData;
  const file = MODULE_EXTENSIONS.map((extension) => join(codeDirectory, modulePath + extension)).find(existsSync);
  if (file === undefined) {
    return { errorType: 'Runtime.ImportModuleError', errorMessage: `Error: Cannot find module '${modulePath}'` };
  }
  let module;
  try {
    module = await import(pathToFileURL(file).href);
  } catch (error) {
    if (error instanceof SyntaxError) {
      return { errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `SyntaxError: ${error.message}`, trace: String(error.stack ?? '').split('\n') };
    }
    return toFunctionError(error);
  }
  // A CommonJS bundle may expose its exports only on `default`.
  const candidate = module[exportName] ?? module.default?.[exportName];
  if (typeof candidate !== 'function') {
    return { errorType: 'Runtime.HandlerNotFound', errorMessage: `${handler} is undefined or not exported` };
  }
  return candidate;
}

/** Calls the handler, supporting the callback style the Node.js 20 runtime still accepts. */
function callHandler(handler, event, context) {
  if (handler.length < 3) return handler(event, context);
  return new Promise((resolve, reject) => {
    const returned = handler(event, context, (error, result) => (error ? reject(error) : resolve(result)));
    if (returned && typeof returned.then === 'function') returned.then(resolve, reject);
  });
}

// The Node.js runtime reports these against the current invocation and then restarts; the
// host does the same by discarding this worker.
process.on('uncaughtException', (error) => parentPort.postMessage({ type: 'fatal', error: toFunctionError(error) }));
process.on('unhandledRejection', (reason) => {
  const error = toFunctionError(reason);
  parentPort.postMessage({
    type: 'fatal',
    error: { errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: reason instanceof Error ? `${reason.name}: ${reason.message}` : error.errorMessage, trace: error.trace },
  });
});

const initStarted = performance.now();
const handler = await loadHandler();
if (typeof handler !== 'function') {
  parentPort.postMessage({ type: 'initError', error: handler });
} else {
  parentPort.postMessage({ type: 'ready', initDurationMs: performance.now() - initStarted });
  parentPort.on('message', async ({ requestId, deadlineMs, event }) => {
    const context = {
      ...workerData.context,
      awsRequestId: requestId,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    };
    try {
      const result = await callHandler(handler, JSON.parse(event), context);
      parentPort.postMessage({ type: 'result', requestId, payload: JSON.stringify(result ?? null) ?? 'null' });
    } catch (error) {
      logInvokeError(requestId, error);
      parentPort.postMessage({ type: 'error', requestId, error: toFunctionError(error) });
    }
  });
}
