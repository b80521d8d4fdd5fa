/**
 * The one place that decides how every Lambda function of the pipeline is built and run:
 * runtime, architecture, bundling, logging and its execution role, whose policy is exactly the
 * function's declared access. The `PipelineStep` construct and the stack's HTTP functions both
 * create their functions through `handlerFunction`, so the two can't drift apart.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations, type IResource } from 'aws-cdk-lib';
import { type IRole, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ApplicationLogLevel as CdkApplicationLogLevel, Architecture, type CfnFunction, type Function as LambdaFunction, LoggingFormat, Runtime, SystemLogLevel as CdkSystemLogLevel } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Dependable, type Construct } from 'constructs';
import { APPLICATION_LOG_LEVELS, type ApplicationLogLevel, type SystemLogLevel } from '#cloud/lambda/logging-config';
import { DeclaredAccessRole, policyStatements, type GrantTargets } from '#infra/function-grants';
import { checkIntegerInRange, checkSecondsInRange, InvalidPropError } from '#infra/validation';
import type { FunctionAccess } from '#shared/pipeline-access';

/** The repository root: `functions/`, `package-lock.json` and `tsconfig.json` live here. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * The newest Node.js runtime Lambda offers (cdk-nag's AwsSolutions-L1 and Serverless-LambdaLatestVersion
 * require the latest of the family). Handlers must be async: nodejs24.x dropped callback handlers.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html
 */
export const FUNCTION_RUNTIME = Runtime.NODEJS_24_X;

/** Graviton: about 20% cheaper per GB-second than x86_64 for the same work. */
export const FUNCTION_ARCHITECTURE = Architecture.ARM_64;

/** The default function timeout: a step does a few DynamoDB calls and one PutEvents. */
export const DEFAULT_FUNCTION_TIMEOUT = Duration.seconds(10);

/**
 * The default memory. Lambda gives CPU in proportion to memory; at 128 MB the cold start
 * (loading the SDK clients and building the zod schemas) is CPU-bound and about twice as slow,
 * while these short I/O-bound invocations cost little either way. Tune with Lambda Power Tuning.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html
 */
export const DEFAULT_FUNCTION_MEMORY_MB = 256;

/** How long function logs are kept; longer than the 14 days a parked record waits in a DLQ. */
export const FUNCTION_LOG_RETENTION = RetentionDays.ONE_MONTH;

/**
 * The CDK context value that sets every function's log level for an investigation, without a
 * code change: `cdk deploy -c logLevel=DEBUG` (or INFO, TRACE...; see {@link functionLogLevels}).
 */
export const LOG_LEVEL_CONTEXT_KEY = 'logLevel';

/**
 * The functions' application log level when the context sets none. Logs are billed per GB
 * ingested: with a line per record at INFO and Lambda's START, END and REPORT lines (about
 * 330 bytes an invocation), the functions logged about 6 KB an order, about $2.90 per million
 * orders. A record's success is told by the `RecordsProcessed` metric and by the order's
 * timeline (`GET /orders/{id}`), so the handlers log it at DEBUG; what needs a person (a retry,
 * a parked record, a failed request) is logged at WARN or ERROR.
 *
 * The level stays at INFO, not WARN, because of the metrics: Powertools writes each EMF
 * document to stdout without a `level` key, and Lambda files such a JSON line under INFO, so a
 * function at WARN would lose its metrics. For the same reason levels above INFO are refused.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 */
export const DEFAULT_FUNCTION_LOG_LEVEL: ApplicationLogLevel = 'INFO';

/** The levels a function may log at: above INFO, Lambda would drop the metrics (see above). */
const ALLOWED_FUNCTION_LOG_LEVELS = APPLICATION_LOG_LEVELS.slice(0, APPLICATION_LOG_LEVELS.indexOf(DEFAULT_FUNCTION_LOG_LEVEL) + 1);

/** The log levels Lambda applies to a function: its code's, and its own platform lines'. */
export interface FunctionLogLevels {
  readonly application: ApplicationLogLevel;
  readonly system: SystemLogLevel;
}

/**
 * The log levels of every function under `scope`: the application level is the `logLevel`
 * context value (any case), else {@link DEFAULT_FUNCTION_LOG_LEVEL}. The system level is WARN,
 * which leaves out START, END and REPORT, except at DEBUG and TRACE: an investigation gets the
 * REPORT lines (duration, memory, init time) back too. Lambda sets `AWS_LAMBDA_LOG_LEVEL` from
 * the application level, and the handlers' Powertools logger takes its level from that variable.
 * @throws InvalidPropError naming the context value and the levels allowed.
 */
export function functionLogLevels(scope: Construct): FunctionLogLevels {
  const requested: unknown = scope.node.tryGetContext(LOG_LEVEL_CONTEXT_KEY) ?? DEFAULT_FUNCTION_LOG_LEVEL;
  const application = ALLOWED_FUNCTION_LOG_LEVELS.find((level) => typeof requested === 'string' && level === requested.toUpperCase());
  if (application === undefined) {
    throw new InvalidPropError(
      LOG_LEVEL_CONTEXT_KEY,
      requested,
      `context value ${LOG_LEVEL_CONTEXT_KEY} must be one of ${ALLOWED_FUNCTION_LOG_LEVELS.join(', ')} (e.g. cdk deploy -c ${LOG_LEVEL_CONTEXT_KEY}=DEBUG; above INFO Lambda would drop the EMF metric lines), got ${JSON.stringify(requested)}`,
    );
  }
  const system: SystemLogLevel = application === 'TRACE' || application === 'DEBUG' ? 'DEBUG' : 'WARN';
  return { application, system };
}

/**
 * Bundling with the project's own esbuild (never Docker): minified ESM for node22, the oldest
 * Node.js the bundles must run on besides Lambda's (the local cloud runs them in-process on the
 * developer's Node.js). Everything is bundled, the AWS SDK included: the SDK versions are the ones
 * pinned in package-lock.json on every target, and the bundle runs from any directory.
 * The banner gives ESM output a `require`, which CommonJS dependencies inside the bundle call.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/typescript-package.html
 */
export const FUNCTION_BUNDLING: BundlingOptions = {
  minify: true,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  externalModules: [],
  forceDockerBundling: false,
  // esbuild's per-bundle summary would drown `npm start`'s own output; problems still show.
  logLevel: LogLevel.WARNING,
};

/** The path of a handler's entry file, `functions/<name>/index.ts`. */
export function handlerEntry(name: string): string {
  return path.join(PROJECT_ROOT, 'functions', name, 'index.ts');
}

/** What differs between the pipeline's functions. */
export interface HandlerFunctionProps {
  /** The handler's entry file (exports `handler`). */
  readonly entry: string;
  /** What the function does, shown in the Lambda console. */
  readonly description: string;
  /**
   * Environment variables.
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The function timeout, a whole number of seconds from 1 to 900 (Lambda's maximum).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * Memory in MB, from 128 to 10240.
   * @default 256
   */
  readonly memorySize?: number;
  /** What the function may do, computed from the pipeline's declaration: its whole policy besides its log group. */
  readonly access: FunctionAccess;
  /** The resources `access` refers to. */
  readonly grantTargets: GrantTargets;
}

/** Where a function's grants come from, as a refused grant names it. */
const ACCESS_DECLARED_IN = 'the pipeline declaration (functions/shared/pipeline.ts) or the operations of an adapter (functions/shared/adapters/access.ts)';

/**
 * Creates a function with the pipeline's defaults, its log group (with retention), JSON logs at
 * the levels of {@link functionLogLevels} (INFO unless the `logLevel` context says otherwise)
 * and its own role. The role carries no AWS-managed policy: it may write only to its own log
 * group and do what `access` allows; it is sealed, so a later `grant*` on the function throws.
 * IDs: `<id>`, `<id>Role`, `<id>LogGroup`, all under `scope`.
 */
export function handlerFunction(scope: Construct, id: string, props: HandlerFunctionProps): NodejsFunction {
  const timeout = props.timeout ?? DEFAULT_FUNCTION_TIMEOUT;
  const memorySize = props.memorySize ?? DEFAULT_FUNCTION_MEMORY_MB;
  // https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html
  checkSecondsInRange('timeout', timeout, { min: 1, max: 900 });
  checkIntegerInRange('memorySize', memorySize, { min: 128, max: 10_240, unit: 'MB' });

  const logGroup = new LogGroup(scope, `${id}LogGroup`, {
    retention: FUNCTION_LOG_RETENTION,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new DeclaredAccessRole(scope, `${id}Role`, {
    assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    description: `Execution role of ${props.description}`,
    declaredIn: ACCESS_DECLARED_IN,
  });
  logGroup.grantWrite(role);
  for (const statement of policyStatements(props.access, props.grantTargets)) role.addToPrincipalPolicy(statement);
  role.seal();
  const logLevels = functionLogLevels(scope);

  const fn = new NodejsFunction(scope, id, {
    entry: props.entry,
    handler: 'handler',
    description: props.description,
    runtime: FUNCTION_RUNTIME,
    architecture: FUNCTION_ARCHITECTURE,
    timeout,
    memorySize,
    environment: { ...props.environment },
    role,
    logGroup,
    // Lambda filters logs by level only in the JSON format; the handlers' lines are JSON already.
    loggingFormat: LoggingFormat.JSON,
    applicationLogLevelV2: CdkApplicationLogLevel[logLevels.application],
    systemLogLevelV2: CdkSystemLogLevel[logLevels.system],
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
    bundling: FUNCTION_BUNDLING,
  });
  acknowledgeUntraced(fn);
  dependOnRolePolicyOnly(fn, role);
  return fn;
}

/**
 * Makes `fn`'s resource depend on its role's default policy, not on the role as well.
 * aws-cdk-lib's `Function` makes its resource depend on the whole role construct, so that the
 * policy is attached before anything uses the function (an event source mapping, for one, is
 * checked against the role's permissions when it is created). The role half of that
 * `DependsOn` repeats what the `Role` property's `Fn::GetAtt` already says, and cfn-lint flags
 * it (W3005). The policy is looked up at synthesis, once every grant has been added to it.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-dependson.html
 */
export function dependOnRolePolicyOnly(fn: LambdaFunction, role: IRole): void {
  const resource = fn.node.defaultChild as CfnFunction;
  resource.node.removeDependency(role);
  const defaultPolicy = {};
  Dependable.implement(defaultPolicy, {
    get dependencyRoots() {
      const policy = role.node.tryFindChild('DefaultPolicy');
      return policy === undefined ? [] : [policy];
    },
  });
  resource.node.addDependency(defaultPolicy);
}

/**
 * Acknowledges cdk-nag's Serverless-LambdaTracing on a function: the pipeline is not traced with
 * X-Ray. Each order is followed through the structured logs by its order id (the correlation
 * id) and the steps' EMF metrics; active tracing would add a cost per trace and an IAM
 * statement on `*` (X-Ray has no resource-level permissions) for little more insight, since
 * the handlers do not instrument their SDK clients.
 */
export function acknowledgeUntraced(fn: IResource): void {
  Validations.of(fn).acknowledge({
    id: 'Serverless-LambdaTracing',
    reason: 'Not traced with X-Ray by design: orders are followed through structured logs by order id (correlation id) and EMF metrics.',
  });
}
