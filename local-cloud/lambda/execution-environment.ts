/**
 * One Lambda execution environment: a worker thread running `worker-bootstrap.mjs` with its
 * own environment variables, serving one invocation at a time, discarded (never reused) after
 * a timeout, a crash or an uncaught error, as Lambda discards a sandbox.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { initTimedOut, runtimeExited, timedOut } from './host-errors.ts';
import type { FunctionError, InvocationFailure, InvocationResult } from './invocation-result.ts';
import { pipeLines, type LogSink } from './log-sink.ts';
import { threadCpuMs } from './thread-cpu.ts';
import type { InvokeMessage, RuntimeMessage, RuntimeWorkerData } from './worker-protocol.ts';

/** The runtime is plain JavaScript next to this file, so it loads under node, tsx and vitest alike. */
const BOOTSTRAP_URL = new URL('./worker-bootstrap.mjs', import.meta.url);

/**
 * Lambda's limit on the init phase of an on-demand function.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html#runtimes-lifecycle-ib
 */
const INIT_TIMEOUT_SECONDS = 10;

/** How to start an execution environment. */
export interface ExecutionEnvironmentConfig {
  /** The complete `process.env` of the worker (see `buildRuntimeEnvironment`). */
  readonly env: Readonly<Record<string, string>>;
  /** What the runtime needs to load the handler and build `context`. */
  readonly runtime: RuntimeWorkerData;
  /** Invocation timeout in seconds. */
  readonly timeoutSeconds: number;
  /** Receives the worker's stdout/stderr lines. */
  readonly logSink: LogSink;
  /** Called once when the environment is discarded, whatever the reason. */
  readonly onDiscard: (environment: ExecutionEnvironment) => void;
  /** Called when the function writes its first log line in this environment. */
  readonly onFirstLogLine?: () => void;
}

/** Outcome of loading the bundle. */
export type InitOutcome = { readonly ok: true } | InvocationFailure;

interface InFlight {
  readonly requestId: string;
  readonly startedAt: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (result: InvocationResult) => void;
}

/** One worker thread hosting one function instance; see the module comment. */
export class ExecutionEnvironment {
  /** Settles once the bundle is loaded (`ok: true`) or failed to load (the environment is then discarded). */
  readonly initialized: Promise<InitOutcome>;
  readonly #config: ExecutionEnvironmentConfig;
  readonly #worker: Worker;
  readonly #startedAt = performance.now();
  #settleInit: ((outcome: InitOutcome) => void) | undefined;
  /** Reported with the first invocation only: that one paid for the cold start. */
  #pendingInitDurationMs: number | undefined;
  #inFlight: InFlight | undefined;
  #termination: Promise<void> | undefined;
  /** The worker's OS thread, once it said (Linux only). */
  #osThreadId: number | undefined;
  /** The worker's CPU time when it was discarded: its thread is gone after that. */
  #cpuMsAtDiscard: number | undefined;

  /** Starts the worker; the bundle loads in the background (see {@link initialized}). */
  constructor(config: ExecutionEnvironmentConfig) {
    this.#config = config;
    this.#worker = new Worker(BOOTSTRAP_URL, {
      env: config.env,
      workerData: config.runtime,
      stdout: true,
      stderr: true,
      // The host's flags (a TypeScript loader, inspector) are not the function's business.
      execArgv: [],
    });
    const functionName = config.runtime.context.functionName;
    if (config.runtime.logFile === undefined) {
      pipeLines(this.#worker.stdout, config.logSink, { functionName, stream: 'stdout' });
      pipeLines(this.#worker.stderr, config.logSink, { functionName, stream: 'stderr' });
    }
    this.initialized = new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#failInit(initTimedOut(INIT_TIMEOUT_SECONDS));
        void this.discard();
      }, INIT_TIMEOUT_SECONDS * 1000);
      this.#settleInit = (outcome) => {
        clearTimeout(timer);
        this.#settleInit = undefined;
        resolve(outcome);
      };
    });
    this.#worker.on('message', (message: RuntimeMessage) => this.#onMessage(message));
    this.#worker.on('error', (error) => this.#onFatal({ errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') }));
    this.#worker.on('exit', (exitCode) => this.#onExit(exitCode));
  }

  /** False once the environment has been discarded. */
  get alive(): boolean {
    return this.#termination === undefined;
  }

  /**
   * Runs the handler once with `event` (JSON text). Call only after {@link initialized}
   * settled with `ok: true`, and only when no other invocation is in flight.
   */
  invoke(event: string): Promise<InvocationResult> {
    const requestId = randomUUID();
    const { timeoutSeconds } = this.#config;
    const timeoutMs = timeoutSeconds * 1000;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#finish({ ok: false, error: timedOut(requestId, timeoutSeconds), durationMs: timeoutMs });
        void this.discard();
      }, timeoutMs);
      this.#inFlight = { requestId, startedAt: performance.now(), timer, resolve };
      const message: InvokeMessage = { type: 'invoke', requestId, deadlineMs: Date.now() + timeoutMs, event };
      this.#worker.postMessage(message);
    });
  }

  /**
   * CPU milliseconds the worker's thread has used (its bundle's load included), for benchmarks;
   * undefined where the system does not show a thread's CPU time (see `thread-cpu.ts`).
   */
  cpuMs(): number | undefined {
    if (this.#termination !== undefined) return this.#cpuMsAtDiscard;
    return this.#osThreadId === undefined ? undefined : threadCpuMs(this.#osThreadId);
  }

  /** Stops the worker for good; an invocation in flight fails with `Runtime.ExitError`. */
  discard(): Promise<void> {
    if (this.#termination === undefined) {
      this.#cpuMsAtDiscard = this.cpuMs();
      this.#termination = this.#worker.terminate().then(() => undefined);
      this.#config.onDiscard(this);
    }
    return this.#termination;
  }

  #onMessage(message: RuntimeMessage): void {
    switch (message.type) {
      case 'thread':
        this.#osThreadId = message.osThreadId;
        return;
      case 'ready':
        this.#pendingInitDurationMs = message.initDurationMs;
        this.#settleInit?.({ ok: true });
        return;
      case 'initError':
        this.#failInit(message.error);
        void this.discard();
        return;
      case 'result': {
        const initDurationMs = this.#pendingInitDurationMs;
        this.#pendingInitDurationMs = undefined;
        const result: unknown = JSON.parse(message.payload);
        this.#finish(
          initDurationMs === undefined
            ? { ok: true, result, durationMs: this.#elapsed() }
            : { ok: true, result, durationMs: this.#elapsed(), initDurationMs },
        );
        return;
      }
      case 'error':
        this.#finish({ ok: false, error: message.error, durationMs: this.#elapsed() });
        return;
      case 'fatal':
        this.#onFatal(message.error);
        return;
      case 'log-written':
        this.#config.onFirstLogLine?.();
        return;
    }
  }

  /** An uncaught exception or unhandled rejection: the state of the instance can't be trusted. */
  #onFatal(error: FunctionError): void {
    // Lambda logs these to the function's log stream; with nothing in flight it is the only trace.
    this.#config.logSink(`ERROR\tUncaught Exception\t${JSON.stringify(error)}`, {
      functionName: this.#config.runtime.context.functionName,
      stream: 'stderr',
    });
    this.#failInit(error);
    this.#finish({ ok: false, error, durationMs: this.#elapsed() });
    void this.discard();
  }

  #onExit(exitCode: number): void {
    this.#failInit(runtimeExited(exitCode));
    if (this.#inFlight !== undefined) {
      this.#finish({ ok: false, error: runtimeExited(exitCode, this.#inFlight.requestId), durationMs: this.#elapsed() });
    }
    void this.discard();
  }

  #failInit(error: FunctionError): void {
    this.#settleInit?.({ ok: false, error, durationMs: performance.now() - this.#startedAt });
  }

  #finish(result: InvocationResult): void {
    const inFlight = this.#inFlight;
    if (inFlight === undefined) return;
    clearTimeout(inFlight.timer);
    this.#inFlight = undefined;
    inFlight.resolve(result);
  }

  #elapsed(): number {
    return this.#inFlight === undefined ? 0 : performance.now() - this.#inFlight.startedAt;
  }
}
