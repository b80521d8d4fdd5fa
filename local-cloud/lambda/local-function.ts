/**
 * Runs one Lambda function's deployed bundle on this machine the way Lambda runs it: execution
 * environments (worker threads), each serving one invocation at a time, each with exactly the
 * environment variables the function is configured with, created on demand as Lambda scales:
 *
 * - the first invocation starts the first environment (a cold start);
 * - an invocation that finds every environment busy waits for one to be free; only when it has
 *   waited {@link LocalFunctionProps.scaleOutAfterMs} is another environment started for it, one
 *   cold start at a time, up to the function's concurrency limit and within the cloud's
 *   {@link ExecutionEnvironmentBudget}. Lambda starts one at once, but its cold starts run on
 *   capacity of their own; here a cold start takes hundreds of milliseconds of the same few
 *   cores the busy environments need, and a burst that one environment absorbs in a few
 *   milliseconds would otherwise leave a pool of isolates that each compile the same code;
 * - environments idle for {@link LocalFunctionProps.idleTimeoutSeconds} are retired, as Lambda
 *   retires idle ones, except the function's last one, which stays warm;
 * - an environment that timed out or crashed is discarded; the next one starts as above.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-concurrency.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html
 */
import { randomBytes } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LOGGING_CONFIG, type LambdaLoggingConfig } from '#cloud/lambda/logging-config';
import type { EnvironmentBudgetMember, ExecutionEnvironmentBudget } from './environment-budget.ts';
import { LocalFunctionClosedError } from './errors.ts';
import { ExecutionEnvironment } from './execution-environment.ts';
import { currentOsThreadId } from './thread-cpu.ts';
import { parseHandler, type HandlerLocation } from './handler-name.ts';
import type { FunctionInvoker, InvocationResult } from './invocation-result.ts';
import { writeToStdout, type LogSink } from './log-sink.ts';
import { validateLocalFunctionProps } from './local-function-props.ts';
import { buildRuntimeEnvironment } from './runtime-environment.ts';
import type { RuntimeWorkerData } from './worker-protocol.ts';

/** Configuration of a {@link LocalFunction}; mirrors the `AWS::Lambda::Function` properties it needs. */
export interface LocalFunctionProps {
  /** The function's name (`FunctionName`). */
  readonly functionName: string;
  /** Directory of the deployed bundle, e.g. `cdk.out/asset.<hash>`. */
  readonly codeDirectory: string;
  /** Handler string, `<module>.<export>`, e.g. `index.handler` for `index.mjs` exporting `handler`. */
  readonly handler: string;
  /**
   * The function's environment variables plus anything the host injects (endpoint URL,
   * dummy credentials). Lambda's reserved variables are added on top and win.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Seconds an invocation may run before it fails with "Task timed out". Lambda accepts whole
   * seconds from 1 to 900; fractions are accepted here so tests can exercise timeouts quickly.
   * @default 3
   */
  readonly timeoutSeconds?: number;
  /** Memory in MB, 128 to 10240; reported to the function, not enforced. @default 128 */
  readonly memorySize?: number;
  /**
   * Most execution environments alive at once (reserved concurrency). Invocations beyond it
   * wait for a free environment instead of being throttled.
   * @default 10, which keeps a laptop responsive while still exercising concurrency
   */
  readonly maxConcurrency?: number;
  /**
   * How long an invocation waits for a busy environment before another one is started for it
   * (see the module comment). 0 starts one as soon as an invocation finds none free, as Lambda does.
   * @default 100
   */
  readonly scaleOutAfterMs?: number;
  /**
   * Seconds an environment may stay idle before it is retired; the function's last environment
   * is kept.
   * @default 60
   */
  readonly idleTimeoutSeconds?: number;
  /**
   * The environments the functions of one cloud share (see {@link ExecutionEnvironmentBudget}).
   * @default no limit besides `maxConcurrency`
   */
  readonly budget?: ExecutionEnvironmentBudget;
  /** Region reported in `AWS_REGION` and the ARN. @default 'us-east-1' */
  readonly region?: string;
  /** Account in the function's ARN. @default '000000000000', the account LocalStack uses */
  readonly accountId?: string;
  /** Runtime identifier, reported in `AWS_EXECUTION_ENV`. @default 'nodejs20.x' */
  readonly runtime?: string;
  /**
   * The function's logging controls (`LoggingConfig`), handed to it as Lambda does, in
   * `AWS_LAMBDA_LOG_FORMAT` and `AWS_LAMBDA_LOG_LEVEL`: a Powertools logger at WARN writes no
   * INFO line. The local runtime writes no platform lines (START, END, REPORT), so the system
   * log level has nothing to filter here.
   * @default Lambda's default: the Text format, without levels
   */
  readonly logging?: LambdaLoggingConfig;
  /** Receives each line the function writes to stdout/stderr. @default writes to the host's stdout */
  readonly logSink?: LogSink;
  /** The CloudWatch Logs group the function writes to (`LoggingConfig.LogGroup`). @default `/aws/lambda/<functionName>` */
  readonly logGroupName?: string;
  /**
   * Whether the function's role may write a new environment's log stream, asked once per
   * execution environment (Lambda writes the logs with the function's role). Refused, the
   * environment's lines are lost, as on AWS.
   * @default every environment's logs are delivered
   */
  readonly logDelivery?: (stream: LogStream) => LogDelivery;
  /**
   * A file the function's own threads append its stdout and stderr to, instead of handing each
   * line to `logSink` on the host's thread (much cheaper under load). Takes precedence over
   * `logSink`; `os.devNull` discards the logs.
   * @default none: lines go to `logSink`
   */
  readonly logFile?: string;
}

/** A function's log stream in CloudWatch Logs: one per execution environment. */
export interface LogStream {
  readonly logGroupName: string;
  readonly logStreamName: string;
}

/** Whether an environment's log lines reach its log stream. */
export interface LogDelivery {
  /** False when the function's role may not write the stream: the lines are lost. */
  readonly delivered: boolean;
  /** Told when the environment writes its first line. */
  onFirstLine(): void;
}

/** A waiting invocation, handed an environment as soon as one is free. */
type Waiter = {
  readonly grant: (environment: ExecutionEnvironment) => void;
  readonly reject: (error: Error) => void;
  /** When it started waiting (`performance.now()`). */
  readonly since: number;
};

/** An environment waiting for an invocation, and since when (`performance.now()`). */
type IdleEnvironment = { readonly environment: ExecutionEnvironment; readonly since: number };

/** One function, invocable many times concurrently; see the module comment. */
export class LocalFunction implements FunctionInvoker {
  /** The function's name. */
  readonly functionName: string;
  /** The function's ARN (unqualified), as `context.invokedFunctionArn` reports it. */
  readonly functionArn: string;
  readonly #props: Required<Omit<LocalFunctionProps, 'environment' | 'logSink' | 'logFile' | 'logDelivery' | 'budget'>> & {
    readonly logSink: LogSink;
    readonly logFile?: string;
    readonly logDelivery?: (stream: LogStream) => LogDelivery;
  };
  readonly #variables: Readonly<Record<string, string>>;
  readonly #handlerLocation: HandlerLocation;
  readonly #environments = new Set<ExecutionEnvironment>();
  /** The code version each environment loaded: an environment serves only the version it started with. */
  readonly #loadedVersions = new WeakMap<ExecutionEnvironment, number>();
  #codeDirectory: string;
  #codeVersion = 1;
  /** CPU milliseconds of the environments discarded so far (see {@link workerCpuMs}). */
  #discardedCpuMs = 0;
  /** Most recently freed last: the next invocation takes it, so the others age and retire. */
  readonly #idle: IdleEnvironment[] = [];
  readonly #waiters: Waiter[] = [];
  readonly #budget: ExecutionEnvironmentBudget | undefined;
  readonly #budgetMember: EnvironmentBudgetMember = {
    retireIdleEnvironment: ({ keepLast, minIdleMs }) => (keepLast && this.#environments.size <= 1 ? false : this.#retireOldestIdle(minIdleMs)),
    idleEnvironments: (minIdleMs = 0) => {
      const idleSince = performance.now() - minIdleMs;
      return this.#idle.filter((idle) => idle.since <= idleSince).length;
    },
    aliveEnvironments: () => this.#environments.size,
    hasWaitingInvocations: () => this.#waiters.length > 0,
    slotFreed: () => this.#scale(),
  };
  readonly #leaveBudget: () => void;
  /** Environments whose init has not settled: at most one is started at a time once one is alive. */
  #starting = 0;
  #coldStarts = 0;
  #scaleOutTimer: NodeJS.Timeout | undefined;
  #retireTimer: NodeJS.Timeout | undefined;
  #closed = false;

  /** @throws LocalFunctionConfigError when a property is out of Lambda's range. */
  constructor(props: LocalFunctionProps) {
    validateLocalFunctionProps(props);
    this.#handlerLocation = parseHandler(props.handler);
    const region = props.region ?? 'us-east-1';
    const accountId = props.accountId ?? '000000000000';
    this.#props = {
      functionName: props.functionName,
      codeDirectory: resolve(props.codeDirectory),
      handler: props.handler,
      timeoutSeconds: props.timeoutSeconds ?? 3,
      memorySize: props.memorySize ?? 128,
      maxConcurrency: props.maxConcurrency ?? 10,
      scaleOutAfterMs: props.scaleOutAfterMs ?? 100,
      idleTimeoutSeconds: props.idleTimeoutSeconds ?? 60,
      region,
      accountId,
      runtime: props.runtime ?? 'nodejs20.x',
      logging: props.logging ?? DEFAULT_LOGGING_CONFIG,
      logSink: props.logSink ?? writeToStdout,
      logGroupName: props.logGroupName ?? `/aws/lambda/${props.functionName}`,
      ...(props.logFile !== undefined ? { logFile: props.logFile } : {}),
      ...(props.logDelivery !== undefined ? { logDelivery: props.logDelivery } : {}),
    };
    this.#variables = { ...props.environment };
    this.#codeDirectory = this.#props.codeDirectory;
    this.functionName = props.functionName;
    this.functionArn = `arn:aws:lambda:${region}:${accountId}:function:${props.functionName}`;
    this.#budget = props.budget;
    this.#leaveBudget = this.#budget?.join(this.#budgetMember) ?? (() => {});
  }

  /** The version of the code new invocations get: 1 for the bundle the function was created with, one more for each {@link replaceCode}. */
  get codeVersion(): number {
    return this.#codeVersion;
  }

  /**
   * Replaces the function's code with the bundle in `codeDirectory`, in place, as a deployment
   * of new code does (`UpdateFunctionCode`): invocations from now on run the new code; an
   * invocation already running finishes on the old code, and its environment is retired after
   * it; idle environments are retired at once. Nothing waiting or running is lost: every
   * invocation is served by the old code or the new. Returns the new code version.
   * @see https://docs.aws.amazon.com/lambda/latest/api/API_UpdateFunctionCode.html
   */
  replaceCode(codeDirectory: string): number {
    this.#codeDirectory = resolve(codeDirectory);
    this.#codeVersion += 1;
    for (const idle of this.#idle.splice(0)) void idle.environment.discard();
    return this.#codeVersion;
  }

  /** Execution environments currently alive (busy or idle). */
  get environmentCount(): number {
    return this.#environments.size;
  }

  /**
   * Whether an invocation now would not wait behind busy environments: one is idle, or none is
   * starting and one more may be (within `maxConcurrency` and the budget, see
   * {@link ExecutionEnvironmentBudget.canScaleOut}). An event source that
   * received messages the function cannot start on would hold them while their visibility
   * timeout runs, and under overload they come back as duplicates that add to the load.
   */
  canInvokeWithoutWaiting(): boolean {
    if (this.#idle.length > 0) return true;
    if (this.#starting > 0 || this.#environments.size >= this.#props.maxConcurrency) return false;
    return this.#budget === undefined || this.#budget.canScaleOut(this.#budgetMember);
  }

  /**
   * CPU milliseconds the function's worker threads have used, the discarded ones' included, for
   * benchmarks; undefined where the system does not show a thread's CPU time (`thread-cpu.ts`).
   */
  workerCpuMs(): number | undefined {
    if (currentOsThreadId() === undefined) return undefined;
    let total = this.#discardedCpuMs;
    // A worker that has not told its thread yet has used next to nothing.
    for (const environment of this.#environments) total += environment.cpuMs() ?? 0;
    return total;
  }

  /** Environments started so far (each a cold start), replacements included. */
  get coldStarts(): number {
    return this.#coldStarts;
  }

  /**
   * Invokes the function with `event` and waits for the outcome. The function's own failures
   * (a thrown error, a timeout, a crash) resolve as `ok: false`, as Lambda reports them.
   *
   * @throws LocalFunctionClosedError when the function is closed before the invocation starts.
   */
  async invoke(event: unknown): Promise<InvocationResult> {
    // Serialize first: Lambda accepts only JSON, and the handler must get its own copy.
    const payload = JSON.stringify(event) ?? 'null';
    const environment = await this.#acquire();
    const codeVersion = this.#loadedVersions.get(environment) ?? this.#codeVersion;
    const init = await environment.initialized;
    if (!init.ok) return { ...init, codeVersion };
    try {
      return { ...(await environment.invoke(payload)), codeVersion };
    } finally {
      if (environment.alive) this.#release(environment);
    }
  }

  /**
   * Writes one line of the local cloud's own to the function's log (where its lines go: the
   * log file, or the log sink), e.g. a refused call of the function's role.
   */
  async writeLog(line: string): Promise<void> {
    const { logFile, logSink, functionName } = this.#props;
    if (logFile === undefined) logSink(line, { functionName, stream: 'stderr' });
    else await appendFile(logFile, `${line}\n`);
  }

  /** Stops every execution environment; waiting invocations reject, running ones fail. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#scaleOutTimer);
    clearTimeout(this.#retireTimer);
    for (const waiter of this.#waiters.splice(0)) waiter.reject(new LocalFunctionClosedError(this.functionName));
    await Promise.all([...this.#environments].map((environment) => environment.discard()));
    this.#leaveBudget();
  }

  #acquire(): Promise<ExecutionEnvironment> {
    if (this.#closed) return Promise.reject(new LocalFunctionClosedError(this.functionName));
    const idle = this.#idle.pop();
    if (idle !== undefined) return Promise.resolve(idle.environment);
    return new Promise((grant, reject) => {
      this.#waiters.push({ grant, reject, since: performance.now() });
      this.#scale();
    });
  }

  #release(environment: ExecutionEnvironment): void {
    // Loaded with code since replaced: retired; its slot goes to the next waiter as a cold start on the new code.
    if (this.#loadedVersions.get(environment) !== this.#codeVersion) {
      void environment.discard();
      return;
    }
    const waiter = this.#waiters.shift();
    if (waiter !== undefined) return waiter.grant(environment);
    this.#idle.push({ environment, since: performance.now() });
    this.#scheduleRetirement();
    this.#budget?.environmentIdle(this.#budgetMember);
  }

  /**
   * Starts an environment for the invocation that has waited longest, when the scaling rules of
   * the module comment allow it; otherwise arranges to look again when they might.
   */
  #scale(): void {
    if (this.#closed || this.#waiters.length === 0 || this.#starting > 0) return;
    const alive = this.#environments.size;
    if (alive >= this.#props.maxConcurrency) return;
    const firstEnvironment = alive === 0;
    if (!firstEnvironment) {
      const waitedMs = performance.now() - (this.#waiters[0] as Waiter).since;
      const leftMs = this.#props.scaleOutAfterMs - waitedMs;
      if (leftMs > 0) {
        if (this.#scaleOutTimer === undefined) {
          this.#scaleOutTimer = setTimeout(() => {
            this.#scaleOutTimer = undefined;
            this.#scale();
          }, Math.ceil(leftMs));
        }
        return;
      }
    }
    if (this.#budget !== undefined && !this.#budget.take(this.#budgetMember, { firstEnvironment })) return;
    this.#waiters.shift()?.grant(this.#start());
  }

  /** Retires the environments idle longer than the idle timeout, keeping the last one alive. */
  #scheduleRetirement(): void {
    if (this.#retireTimer !== undefined || this.#closed) return;
    const oldest = this.#idle[0];
    if (oldest === undefined || this.#environments.size <= 1) return;
    const dueInMs = oldest.since + this.#props.idleTimeoutSeconds * 1000 - performance.now();
    this.#retireTimer = setTimeout(() => {
      this.#retireTimer = undefined;
      const cutoff = performance.now() - this.#props.idleTimeoutSeconds * 1000;
      while (this.#environments.size > 1 && (this.#idle[0]?.since ?? Infinity) <= cutoff) this.#retireOldestIdle();
      this.#scheduleRetirement();
    }, Math.max(0, Math.ceil(dueInMs)));
    // An idle environment waiting to retire must not keep the host alive.
    this.#retireTimer.unref();
  }

  /** Discards the environment idle the longest, if idle at least `minIdleMs`; false when none is. */
  #retireOldestIdle(minIdleMs = 0): boolean {
    const oldest = this.#idle[0];
    if (oldest === undefined || performance.now() - oldest.since < minIdleMs) return false;
    this.#idle.shift();
    void oldest.environment.discard();
    return true;
  }

  #onDiscard(environment: ExecutionEnvironment): void {
    this.#environments.delete(environment);
    this.#discardedCpuMs += environment.cpuMs() ?? 0;
    const idleIndex = this.#idle.findIndex((idle) => idle.environment === environment);
    if (idleIndex >= 0) this.#idle.splice(idleIndex, 1);
    this.#budget?.give();
    // Invocations still waiting get a new environment by the same rules.
    this.#scale();
  }

  #start(): ExecutionEnvironment {
    const codeDirectory = this.#codeDirectory;
    const { functionName, handler, memorySize, region, runtime, logging, timeoutSeconds, logSink, logFile, logGroupName } = this.#props;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]${randomBytes(16).toString('hex')}`;
    const delivery = this.#props.logDelivery?.({ logGroupName, logStreamName });
    const runtimeData: RuntimeWorkerData = {
      codeDirectory,
      ...this.#handlerLocation,
      handler,
      ...(logFile !== undefined ? { logFile } : {}),
      ...(delivery?.delivered === false ? { dropLogs: true } : {}),
      context: {
        functionName,
        functionVersion: '$LATEST',
        memoryLimitInMB: String(memorySize),
        invokedFunctionArn: this.functionArn,
        logGroupName,
        logStreamName,
      },
    };
    const env = buildRuntimeEnvironment({
      functionName,
      functionVersion: '$LATEST',
      memorySize,
      region,
      runtime,
      handler,
      codeDirectory,
      logGroupName,
      logStreamName,
      logging,
      variables: this.#variables,
    });
    const environment = new ExecutionEnvironment({
      env,
      runtime: runtimeData,
      timeoutSeconds,
      logSink,
      onDiscard: (discarded) => this.#onDiscard(discarded),
      ...(delivery !== undefined ? { onFirstLogLine: () => delivery.onFirstLine() } : {}),
    });
    this.#environments.add(environment);
    this.#loadedVersions.set(environment, this.#codeVersion);
    this.#coldStarts += 1;
    this.#starting += 1;
    void environment.initialized.then(() => {
      this.#starting -= 1;
      this.#scale();
    });
    return environment;
  }
}
