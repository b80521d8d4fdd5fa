/**
 * Messages between {@link ExecutionEnvironment} and the runtime in its worker
 * (`worker-bootstrap.mjs`, plain JavaScript, which mirrors these shapes). Events and results
 * cross as JSON text: that is the serialization Lambda applies, and a string is the cheapest
 * thing to post.
 */
import type { FunctionError } from './invocation-result.ts';

/** Static data the runtime reads from `workerData`. */
export interface RuntimeWorkerData {
  /** Absolute path of the bundle directory. */
  readonly codeDirectory: string;
  /** Module path relative to the code directory, without extension. */
  readonly modulePath: string;
  /** Name of the handler export. */
  readonly exportName: string;
  /** The handler string, for Lambda's error messages. */
  readonly handler: string;
  /** When set, the runtime appends the function's stdout and stderr to this file itself. */
  readonly logFile?: string;
  /**
   * Whether the function's log lines are lost: its role may not write its log stream, so
   * Lambda could not deliver them to CloudWatch Logs.
   */
  readonly dropLogs?: boolean;
  /** Fields of the `context` object that do not change between invocations. */
  readonly context: {
    readonly functionName: string;
    readonly functionVersion: string;
    readonly memoryLimitInMB: string;
    readonly invokedFunctionArn: string;
    readonly logGroupName: string;
    readonly logStreamName: string;
  };
}

/** Host -> runtime: run the handler once. */
export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** Epoch milliseconds at which the invocation times out, for `getRemainingTimeInMillis()`. */
  readonly deadlineMs: number;
  /** The event as JSON. */
  readonly event: string;
}

/** Runtime -> host messages. */
export type RuntimeMessage =
  /** The worker's OS thread id (Linux), sent first, so the host can read the thread's CPU time. */
  | { readonly type: 'thread'; readonly osThreadId: number }
  /** The bundle loaded and the handler was found. */
  | { readonly type: 'ready'; readonly initDurationMs: number }
  /** The bundle failed to load, or has no such handler. */
  | { readonly type: 'initError'; readonly error: FunctionError }
  /** The handler returned; `payload` is its result as JSON. */
  | { readonly type: 'result'; readonly requestId: string; readonly payload: string }
  /** The handler threw or rejected. */
  | { readonly type: 'error'; readonly requestId: string; readonly error: FunctionError }
  /** An uncaught exception or unhandled rejection: the environment must be discarded. */
  | { readonly type: 'fatal'; readonly error: FunctionError }
  /** The function wrote its first log line in this environment (Lambda then writes its log stream). */
  | { readonly type: 'log-written' };
