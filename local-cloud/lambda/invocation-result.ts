/**
 * What one invocation of a local function produces, and the one capability its callers (the
 * SQS event source mapping, the HTTP API) depend on.
 */

/**
 * The error document Lambda returns for a failed invocation (the `Unhandled` function error
 * payload): `errorType` is the error's name or a `Runtime.*`/`Sandbox.*` code.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html
 */
export interface FunctionError {
  /** The error's name (`TypeError`, `OrderNotFoundError`) or Lambda's code (`Sandbox.Timedout`). */
  readonly errorType: string;
  /** The error's message. */
  readonly errorMessage: string;
  /** The stack trace, one line per entry, when the error had one. */
  readonly trace?: readonly string[];
}

/** A successful invocation: the handler's return value, after the JSON round trip Lambda applies. */
export interface InvocationSuccess {
  readonly ok: true;
  /** The handler's result as the caller of `Invoke` would see it (`undefined` becomes `null`). */
  readonly result: unknown;
  /** Time the handler ran, in milliseconds (Lambda's `Duration`). */
  readonly durationMs: number;
  /**
   * Time the execution environment spent loading the bundle (Lambda's `Init Duration`), only
   * on the first invocation an environment serves: a cold start.
   */
  readonly initDurationMs?: number;
  /** The version of the function's code that served it (see `LocalFunction.replaceCode`). */
  readonly codeVersion?: number;
}

/** A failed invocation: a thrown error, a timeout, a crash, or a bundle that would not load. */
export interface InvocationFailure {
  readonly ok: false;
  /** The error in Lambda's shape. */
  readonly error: FunctionError;
  /** Time until the failure was known, in milliseconds. */
  readonly durationMs: number;
  /** The version of the function's code that failed, when the function was invoked at all. */
  readonly codeVersion?: number;
}

/** The outcome of one invocation. */
export type InvocationResult = InvocationSuccess | InvocationFailure;

/**
 * Anything that can be invoked like a Lambda function; {@link LocalFunction} is one. Event
 * sources depend on this rather than on the class so they can be driven by any function host.
 */
export interface FunctionInvoker {
  /** Invokes the function synchronously (`RequestResponse`) with `event`. */
  invoke(event: unknown): Promise<InvocationResult>;
  /**
   * Whether an invocation now would start at once or scale the function out, rather than wait
   * for an environment; an event source with work in flight takes no more while it is false.
   * @default always true
   */
  canInvokeWithoutWaiting?(): boolean;
}
