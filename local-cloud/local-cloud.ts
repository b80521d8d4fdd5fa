/**
 * The local cloud: a synthesized stack running on this machine, no Docker
 * and no AWS account. AWS APIs (SQS, EventBridge, DynamoDB, Cognito user pools) on one port like
 * LocalStack's, each function's deployed bundle in its own worker threads, SQS event source
 * mappings, and the HTTP API with its JWT authorizers, CORS and throttling. Everything it runs
 * comes from the template, the permissions it enforces too.
 */
import { availableParallelism, devNull } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { AwsServiceError } from '#cloud/aws-error';
import { runCustomResourceCalls, type CustomResourceAuthorizer } from '#cloud/custom-resources';
import { LocalCognito } from '#cloud/cognito/cognito-service';
import { dataDirectoryOptions } from '#cloud/data-directory';
import { startLocalDynamoDbProcess, type LocalDynamoDbProcess } from '#cloud/dynamodb/dynamodb-process';
import { DYNAMODB_TARGET_PREFIX } from '#cloud/dynamodb/dynamodb-service';
import { DynamoDbError } from '#cloud/dynamodb/dynamodb-caller';
import { TimeToLiveSweeper } from '#cloud/dynamodb/time-to-live';
import { withDeliveryFaults } from '#cloud/faults/delivery-faults';
import { FaultInjector, type FaultControl } from '#cloud/faults/fault-injector';
import type { FaultSpec } from '#cloud/faults/fault-spec';
import { withFunctionFaults } from '#cloud/faults/function-faults';
import { randomSeed } from '#cloud/faults/prng';
import { withPutEventsFaults } from '#cloud/faults/put-events-faults';
import { withRedeliveryFaults } from '#cloud/faults/redelivery-faults';
import { EventBridgeService } from '#cloud/events/eventbridge-service';
import { eventBridgeBinding } from '#cloud/events/protocol';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import { queueNameOfArn, type Delivery, type DeliveryOutcome, type SqsSendPort } from '#cloud/events/target-delivery';
import { startAwsGateway, type AwsGateway } from '#cloud/gateway';
import { startHttpApi, type HttpApiRequestRecord } from '#cloud/http-api/http-api-server';
import { discoveredIssuerKeys, JwtAuthorizer, type JwtAuthorizerConfig } from '#cloud/http-api/jwt-authorizer';
import type { AccessRefusal } from '#cloud/iam/access-denied';
import { dynamoDbAuthorizationRequests } from '#cloud/iam/service-actions';
import { permissionModelOf } from '#cloud/iam/stack-permissions';
import { ExecutionEnvironmentBudget } from '#cloud/lambda/environment-budget';
import type { InvocationResult } from '#cloud/lambda/invocation-result';
import { LocalFunction } from '#cloud/lambda/local-function';
import type { LogSink } from '#cloud/lambda/log-sink';
import { SqsEventSourceMapping, type SqsBatchOutcome } from '#cloud/lambda/sqs-event-source-mapping';
import { EnforcedPermissions, UNENFORCED_PERMISSIONS, type LocalCloudPermissions } from '#cloud/permissions';
import { sqsOperations, sqsRegistration } from '#cloud/sqs/operations';
import { SqsService } from '#cloud/sqs/sqs-service';
import { readSynthesizedStack, type SynthesizedStack } from '#cloud/template/cloud-assembly';
import { planStack, type StackPlan } from '#cloud/template/stack-plan';
import { SDK_NODE_NOTICE_OPT_OUT } from '#cloud/sdk-node-notice';
import { startConsoleServer } from '#cloud/console/console-server';
import { tailLines } from '#cloud/console/log-tail';
import { ConsoleRecorder, type FlowCorrelation, type RecorderLimits } from '#cloud/console/recorder';
import { topologyOf } from '#cloud/console/topology';

/** Options of {@link startLocalCloud}. */
export interface LocalCloudOptions {
  /** Port of the AWS APIs. @default 4566, LocalStack's, so tools configured for it work */
  readonly awsPort?: number;
  /** Port of the HTTP API. @default 3000 */
  readonly httpPort?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** The cloud assembly to run (what `cdk synth` writes, e.g. `cdk.out`). */
  readonly assemblyDirectory: string;
  /** The stack of the assembly to run. @default the assembly's only stack */
  readonly stackName?: string;
  /**
   * Where functions' log lines go: a file their threads append to (cheap), or a callback on
   * the host's thread (each line crosses to it).
   * @default discarded
   */
  readonly functionLogs?: { readonly file: string } | LogSink;
  /** Told of every event put on a bus and how many rules it matched that deliver to targets (an archive's managed rule is not one). */
  readonly onEvent?: (event: EventEnvelope, matchedRules: number) => void;
  /** Told of every batch a function processed from a queue. */
  readonly onBatch?: (functionName: string, outcome: SqsBatchOutcome) => void;
  /** Told of every event delivery to a rule target. */
  readonly onDelivery?: (delivery: Delivery, outcome: DeliveryOutcome) => void;
  /** Told of every request the HTTP API answered (a 401, a 429, a function's answer...). */
  readonly onHttpRequest?: (record: HttpApiRequestRecord) => void;
  /**
   * Whether calls are authorized as AWS authorizes them: each function's calls against its
   * role's policies, EventBridge's deliveries against the queues' policies, API Gateway's
   * invocations against the functions' permissions (see README, "Permissions"). Turn it off
   * only to debug; tests never do.
   * @default true
   */
  readonly permissions?: boolean;
  /** Told of every refused call, as it happens (each is also written to the function's log). */
  readonly onAccessDenied?: (refusal: AccessRefusal) => void;
  /** @default 'us-east-1' */
  readonly region?: string;
  /**
   * Keep queues (in-flight messages included), the bus's rules, archive and replays, and the
   * tables under this directory, so a restart (even after SIGKILL) resumes where it stopped.
   * @default everything in memory
   */
  readonly dataDirectory?: string;
  /**
   * Faults to inject (failing and crashing invocations, duplicate, delayed and failed
   * deliveries, PutEvents entry failures, unreachable target queues); see
   * `local-cloud/faults/fault-spec.ts`. They can be changed or cleared while running through
   * {@link LocalCloud.faults}.
   * @default none
   */
  readonly faults?: FaultSpec;
  /** Seed of the generator every fault decision draws from; the same seed repeats a run's decisions. @default a random seed (see `faults.seed`) */
  readonly seed?: number;
  /**
   * A test accelerator, not an AWS behaviour: multiplies the template's queue visibility
   * timeouts (rounded, at least 1 s), so a failed record comes back in seconds instead of the
   * template's 60 s. A queue that feeds a function keeps at least the function's timeout plus
   * its batching window, so a record is never redelivered while an invocation still works on
   * it, however slow the machine. Function timeouts are not scaled.
   * @default 1, the template's values
   */
  readonly visibilityTimeoutScale?: number;
  /**
   * A test accelerator: EventBridge's first retry delay for a target delivery (doubled on
   * each retry, with jitter). The attempts and the dead-lettering stay the template's; only
   * the waiting between them shrinks, so an unreachable target reaches its DLQ in about a
   * second instead of about thirteen.
   * @default 100 ms
   */
  readonly eventBridgeRetryBaseDelayMs?: number;
  /**
   * Serve the console (see `local-cloud/console/`): a web page on its own port with the stack
   * as a live graph, the event stream, flows' traces, queues and DLQs, replays, faults and
   * charts. Without it nothing is recorded: no hook is set.
   * @default no console
   */
  readonly console?: LocalCloudConsoleOptions;
  /**
   * How the functions' execution environments (worker threads) scale; see README, "How the
   * local cloud bounds its threads".
   * @default see each member
   */
  readonly executionEnvironments?: ExecutionEnvironmentOptions;
}

/** Options of the console. */
export interface LocalCloudConsoleOptions {
  /** @default 0, any free port */
  readonly port?: number;
  /** How the app's events group into flows (an order's, for an order pipeline). @default no flows: no trace or latency */
  readonly correlation?: FlowCorrelation;
  /** What a flow is called on the page. @default 'flow' */
  readonly flowName?: string;
  /** How much history is kept. */
  readonly limits?: RecorderLimits;
}

/** How the local cloud scales its functions' execution environments. */
export interface ExecutionEnvironmentOptions {
  /**
   * The most environments of all functions alive at once (each is a worker thread): the local
   * stand-in for the account's concurrency limit (see `ExecutionEnvironmentBudget`).
   * @default 4 per core of this machine, and at least one per function
   */
  readonly limit?: number;
  /** How long an invocation waits for a busy environment before another is started. @default 100 */
  readonly scaleOutAfterMs?: number;
  /** Seconds an environment may stay idle before it is retired (each function keeps one). @default 60 */
  readonly idleTimeoutSeconds?: number;
}

/** A running local cloud. */
export interface LocalCloud {
  /** Endpoint for AWS SDK clients and the AWS CLI (`--endpoint-url`). */
  readonly awsEndpoint: string;
  /** Base URL of the HTTP API (`POST /orders`, `GET /orders/{id}`). */
  readonly httpApiUrl: string;
  readonly region: string;
  /** What runs, as read from the template. */
  readonly plan: StackPlan;
  /** The stack outputs, resolved to local values. */
  readonly outputs: Readonly<Record<string, string>>;
  /** The local services, for the cloud's own tools (tests, soak, benchmarks). */
  readonly services: {
    readonly sqs: SqsService;
    readonly events: EventBridgeService;
    readonly dynamodb: LocalDynamoDbProcess;
    /** The template's user pools: their users, tokens and keys. */
    readonly cognito: LocalCognito;
    /** Deletes the items of tables with a time to live once they expire; `sweep(at)` does it now. */
    readonly timeToLive: TimeToLiveSweeper;
  };
  readonly functions: ReadonlyMap<string, LocalFunction>;
  /** The environments all functions share: their limit, how many are alive, and the most that were at once. */
  readonly executionEnvironments: Pick<ExecutionEnvironmentBudget, 'limit' | 'inUse' | 'peak'>;
  /** The injected faults: their seed, and switches to change or clear them at run time. */
  readonly faults: FaultControl;
  /** What was refused and exercised, and the grants no call used (see {@link LocalCloudPermissions}). */
  readonly permissions: LocalCloudPermissions;
  /** The console's URL, when one was asked for. */
  readonly consoleUrl?: string;
  /** Stops everything and frees the ports. */
  stop(): Promise<void>;
}

const ACCOUNT_ID = '000000000000';
/** Credentials for functions when permissions are off: any key the local cloud does not know is the account administrator's. */
const DUMMY_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } as const;
/** Concurrency of functions behind the HTTP API. */
const HTTP_FUNCTION_CONCURRENCY = 10;
/**
 * The default limit of environments per core (see {@link ExecutionEnvironmentOptions.limit}).
 * Each isolate beyond what the cores can run at once makes every one of them run its function's
 * code less often, so V8 optimizes it later, and adds its own compiles and collections: on
 * 2 cores, a limit of 10 sustained a higher rate at less CPU an order than 16 (README, "How
 * the local cloud bounds its threads").
 */
const ENVIRONMENTS_PER_CORE = 4;

/** Runs a synthesized stack locally. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const region = options.region ?? 'us-east-1';
  const host = options.host ?? '127.0.0.1';
  const visibilityTimeoutScale = options.visibilityTimeoutScale ?? 1;
  if (!(visibilityTimeoutScale > 0 && visibilityTimeoutScale <= 1)) throw new RangeError(`visibilityTimeoutScale must be above 0 and at most 1, got ${visibilityTimeoutScale}`);
  const faults = new FaultInjector({ seed: options.seed ?? randomSeed(), spec: options.faults });
  /** Queues that rules deliver to (known once the template is planned); delivery faults hit only these. */
  const ruleTargetQueues = new Set<string>();
  const stopping: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const step of stopping.reverse()) await step();
  };
  try {
    const gateway: AwsGateway = await startAwsGateway({ port: options.awsPort ?? 4566, host }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE'
        ? new Error(`port ${options.awsPort ?? 4566} is in use (is LocalStack or another local cloud running?); choose another with --aws-port`, { cause: error })
        : error;
    });
    stopping.push(() => gateway.close());
    const stack: SynthesizedStack = readSynthesizedStack(resolvePath(options.assemblyDirectory), options.stackName);
    const httpPort = options.httpPort ?? 3000;
    const plan = planStack({
      ...stack,
      endpoints: { region, accountId: ACCOUNT_ID, awsEndpoint: gateway.endpoint, httpApiUrl: `http://${host}:${httpPort}` },
    });
    // Built only when a console is attached, so the hooks below cost nothing without one.
    const recorder =
      options.console === undefined
        ? undefined
        : new ConsoleRecorder({
            ...(options.console.correlation === undefined ? {} : { correlation: options.console.correlation }),
            deadLetterQueues: new Set(topologyOf(plan).nodes.flatMap((node) => (node.deadLetter === true ? [node.name] : []))),
            ...(options.console.limits === undefined ? {} : { limits: options.console.limits }),
          });
    const hooks = recorderHooks(options, recorder);
    const functions = new Map<string, LocalFunction>();
    const data = options.dataDirectory === undefined ? undefined : dataDirectoryOptions(resolvePath(options.dataDirectory));
    const sqs = new SqsService({
      endpoint: gateway.endpoint,
      region,
      accountId: ACCOUNT_ID,
      ...(recorder === undefined ? {} : { onMessageArrived: (arrival) => recorder.recordArrival(arrival) }),
      ...data?.sqs,
    });
    stopping.push(() => sqs.close());
    const permissionModel = options.permissions === false ? undefined : permissionModelOf(plan, { region, accountId: ACCOUNT_ID });
    const permissions =
      permissionModel === undefined
        ? undefined
        : new EnforcedPermissions(
            permissionModel,
            {
              onAccessDenied: options.onAccessDenied,
              writeFunctionLog: (functionName, line) =>
                void functions.get(functionName)?.writeLog(line).catch((error: unknown) => console.error(`could not write to ${functionName}'s log: ${String(error)}`)),
            },
            // A queue's policy is its Policy attribute, as SQS holds it now.
            (resourceArn) => sqs.queuePolicy(resourceArn),
          );
    const deliveries: SqsSendPort = { sendMessage: async (input) => sqs.sendMessage(input) };
    const events = new EventBridgeService({
      // The queue's policy is asked first: an injected fault is the queue being unreachable, after that.
      sqs: withDeliveryFaults(permissions?.deliveryPort(deliveries) ?? deliveries, faults, (queueName) => ruleTargetQueues.has(queueName)),
      region,
      accountId: ACCOUNT_ID,
      onEvent: hooks.onEvent,
      onDelivery: hooks.onDelivery,
      retryBaseDelayMs: options.eventBridgeRetryBaseDelayMs,
      ...data?.eventBridge,
    });
    stopping.push(() => events.close());
    const dynamodb = await startLocalDynamoDbProcess(data?.dynamoDb);
    stopping.push(() => dynamodb.close());
    if (permissions !== undefined && permissionModel !== undefined) {
      // Functions call DynamoDB's own process directly: it decides their calls itself.
      await dynamodb.enforcePermissions(permissionModel, (refusal) => permissions.report(refusal));
      permissions.includeExercised(() => dynamodb.exercisedPermissions());
    }
    gateway.register(sqsRegistration(sqs, permissions?.sqsOperations(sqsOperations(sqs))));
    const eventBridge = withPutEventsFaults(eventBridgeBinding(events), faults);
    gateway.register({ name: 'events', json: permissions?.eventBridgeBinding(eventBridge) ?? eventBridge });
    gateway.register({ name: 'dynamodb', passthrough: { targetPrefix: DYNAMODB_TARGET_PREFIX, handle: dynamodb.handle } });
    const cognito = await LocalCognito.start(plan.userPools, gateway.endpoint, { ...data?.cognito });
    gateway.register(cognito.registration());

    for (const target of plan.rules.flatMap((rule) => rule.Targets)) ruleTargetQueues.add(String(target.Arn).split(':').pop() ?? '');
    await createResources(plan, { sqs, events, dynamodb }, visibilityTimeoutScale, permissions && customResourceAuthorizer(permissions, plan, { region, accountId: ACCOUNT_ID }));
    const timeToLive = new TimeToLiveSweeper({ dynamodb: dynamodb.client, tables: plan.timeToLive, keySchemas: plan.tables });
    timeToLive.start();
    stopping.push(() => timeToLive.stop());

    const concurrencyOf = (name: string) =>
      plan.eventSourceMappings.filter((mapping) => mapping.functionName === name).reduce((total, mapping) => total + (mapping.maximumConcurrency ?? 5), 0) || HTTP_FUNCTION_CONCURRENCY;
    const environmentOptions = options.executionEnvironments ?? {};
    const budget = new ExecutionEnvironmentBudget(environmentOptions.limit ?? Math.max(plan.functions.length, ENVIRONMENTS_PER_CORE * availableParallelism()));
    for (const fn of plan.functions) {
      const logDelivery = permissions?.logDelivery(fn.name);
      functions.set(
        fn.name,
        new LocalFunction({
          functionName: fn.name,
          codeDirectory: fn.codeDirectory,
          handler: fn.handler,
          // DynamoDB has its own process and port; the SDK's per-service variable sends the function there directly.
          environment: { ...fn.environment, AWS_ENDPOINT_URL: gateway.endpoint, AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint, ...roleCredentials(permissions, fn.name), ...SDK_NODE_NOTICE_OPT_OUT },
          timeoutSeconds: fn.timeoutSeconds,
          memorySize: fn.memoryMb,
          maxConcurrency: concurrencyOf(fn.name),
          budget,
          ...(environmentOptions.scaleOutAfterMs !== undefined ? { scaleOutAfterMs: environmentOptions.scaleOutAfterMs } : {}),
          ...(environmentOptions.idleTimeoutSeconds !== undefined ? { idleTimeoutSeconds: environmentOptions.idleTimeoutSeconds } : {}),
          region,
          accountId: ACCOUNT_ID,
          runtime: fn.runtime,
          logging: fn.logging,
          logGroupName: fn.logGroupName,
          ...(logDelivery !== undefined ? { logDelivery } : {}),
          ...(hooks.logSink !== undefined ? { logSink: hooks.logSink } : { logFile: typeof options.functionLogs === 'object' ? options.functionLogs.file : devNull }),
        }),
      );
    }
    stopping.push(() => Promise.all([...functions.values()].map((fn) => fn.close())).then(() => undefined));

    const mappings = plan.eventSourceMappings.flatMap((mapping) => {
      const target = functions.get(mapping.functionName);
      if (!target) throw new Error(`event source mapping to ${mapping.functionName}: no such function in the template`);
      // Lambda refuses a mapping whose function's role cannot poll the queue; the refusal is reported.
      if (permissions?.eventSourceMappingError(mapping.functionName, mapping.queueArn) !== undefined) return [];
      const queueUrl = sqs.queueUrl(mapping.queueName);
      const polling = withRedeliveryFaults(
        { receiveMessage: (input) => sqs.receiveMessage(input as never), deleteMessageBatch: async (input) => sqs.deleteMessageBatch(input as never) },
        faults,
        { queueUrl, names: [mapping.queueName, mapping.functionName], resend: (input) => sqs.sendMessage(input) },
      );
      return new SqsEventSourceMapping({
        // Lambda's poller calls SQS with the function's role.
        sqs: permissions?.pollingPort(polling, mapping.functionName, mapping.queueArn) ?? polling,
        target: withFunctionFaults(target, mapping.functionName, faults),
        queueUrl,
        queueArn: mapping.queueArn,
        region,
        batchSize: mapping.batchSize,
        maximumBatchingWindowInSeconds: mapping.maximumBatchingWindowInSeconds,
        reportBatchItemFailures: mapping.reportBatchItemFailures,
        maxConcurrency: mapping.maximumConcurrency,
        enabled: mapping.enabled,
        onBatch: hooks.onBatch ? (outcome) => hooks.onBatch?.(mapping.functionName, outcome) : undefined,
      });
    });
    for (const mapping of mappings) mapping.start();
    stopping.push(() => Promise.all(mappings.map((mapping) => mapping.stop())).then(() => undefined));

    const apiIds = [...new Set(plan.routes.map((route) => route.apiId))];
    // One port serves the routes: the first API's CORS and stage throttling apply (a stack has one API).
    const api = plan.httpApis.find((candidate) => candidate.apiId === apiIds[0]);
    // Tokens of the template's user pools verify against the local pools' keys; other issuers' keys are fetched as API Gateway does.
    const issuerKeys = discoveredIssuerKeys((issuer) => cognito.keysOf(issuer));
    const authorizers = new Map<JwtAuthorizerConfig, JwtAuthorizer>();
    const authorizerOf = (config: JwtAuthorizerConfig) => {
      let authorizer = authorizers.get(config);
      if (authorizer === undefined) authorizers.set(config, (authorizer = new JwtAuthorizer(config, issuerKeys)));
      return authorizer;
    };
    const httpApi = await startHttpApi({
      port: httpPort,
      host,
      ...(apiIds.length === 1 ? { apiId: apiIds[0] } : {}),
      ...(api?.cors !== undefined ? { cors: api.cors } : {}),
      ...(api !== undefined ? { throttling: api.throttling } : {}),
      ...(options.onHttpRequest !== undefined ? { onRequest: options.onHttpRequest } : {}),
      routes: plan.routes.map((route) => {
        const fn = functions.get(route.functionName);
        if (!fn) throw new Error(`route ${route.routeKey}: no function ${route.functionName}`);
        return {
          routeKey: route.routeKey,
          ...(route.authorization !== undefined ? { authorization: { authorizer: authorizerOf(route.authorization.authorizer), scopes: route.authorization.scopes } } : {}),
          invoke: async (event: unknown): Promise<InvocationResult> => {
            // API Gateway may invoke the function only as its resource-based policy allows.
            const refused = permissions?.invocationError(route, fn.functionArn);
            const startedAt = Date.now();
            const result: InvocationResult =
              refused === undefined ? await fn.invoke(event) : { ok: false, error: { errorType: 'IntegrationPermissionError', errorMessage: refused }, durationMs: 0 };
            recorder?.recordRequest(route.routeKey, route.functionName, startedAt, result);
            return result;
          },
        };
      }),
    }).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'EADDRINUSE' ? new Error(`port ${httpPort} is in use; choose another with --http-port`, { cause: error }) : error;
    });
    stopping.push(() => httpApi.close());

    let consoleUrl: string | undefined;
    if (recorder !== undefined && options.console !== undefined) {
      const functionLogFile = typeof options.functionLogs === 'object' ? options.functionLogs.file : undefined;
      // Lines written to a file by the functions' threads are read back from it, off their path.
      if (functionLogFile !== undefined) {
        const tail = await tailLines(functionLogFile, (line) => recorder.recordLogLine(line));
        stopping.push(() => tail.close());
      }
      const consoleServer = await startConsoleServer({
        port: options.console.port ?? 0,
        host,
        plan,
        recorder,
        sqs,
        events,
        faults,
        awsEndpoint: gateway.endpoint,
        region,
        ...(options.console.flowName === undefined ? {} : { flowName: options.console.flowName }),
      });
      stopping.push(() => consoleServer.close());
      consoleUrl = consoleServer.url;
    }

    return {
      awsEndpoint: gateway.endpoint,
      httpApiUrl: httpApi.url,
      region,
      plan,
      outputs: plan.outputs,
      services: { sqs, events, dynamodb, cognito, timeToLive },
      functions,
      executionEnvironments: budget,
      faults,
      permissions: permissions ?? UNENFORCED_PERMISSIONS,
      ...(consoleUrl === undefined ? {} : { consoleUrl }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The cloud's hooks: the caller's, and the recorder's when a console is attached. Without a
 * console they are the caller's own functions, unwrapped, so recording costs nothing.
 */
function recorderHooks(
  options: LocalCloudOptions,
  recorder: ConsoleRecorder | undefined,
): Pick<LocalCloudOptions, 'onEvent' | 'onBatch' | 'onDelivery'> & { readonly logSink?: LogSink } {
  const sink = typeof options.functionLogs === 'function' ? options.functionLogs : undefined;
  if (recorder === undefined) return { onEvent: options.onEvent, onBatch: options.onBatch, onDelivery: options.onDelivery, ...(sink === undefined ? {} : { logSink: sink }) };
  const { onEvent, onBatch, onDelivery } = options;
  return {
    onEvent: (event, matchedRules) => {
      recorder.recordEvent(event, matchedRules);
      onEvent?.(event, matchedRules);
    },
    onBatch: (functionName, outcome) => {
      recorder.recordBatch(functionName, outcome);
      onBatch?.(functionName, outcome);
    },
    onDelivery: (delivery, outcome) => {
      recorder.recordDelivery(delivery, outcome);
      onDelivery?.(delivery, outcome);
    },
    ...(sink === undefined
      ? {}
      : {
          logSink: (line, source) => {
            recorder.recordLogLine(line, source.functionName);
            sink(line, source);
          },
        }),
  };
}

/** Creates what the plan lists, in dependency order, then makes the custom resources' calls. */
async function createResources(
  plan: StackPlan,
  services: { sqs: SqsService; events: EventBridgeService; dynamodb: LocalDynamoDbProcess },
  visibilityTimeoutScale: number,
  authorizeCustomResource: CustomResourceAuthorizer | undefined,
): Promise<void> {
  const { sqs, events, dynamodb } = services;
  // On a data directory that already holds the stack, creating is a no-op: resources exist.
  let stackExisted = false;
  for (const table of plan.tables) {
    await dynamodb.client.call('CreateTable', table).catch((error: unknown) => {
      if (!(error instanceof DynamoDbError && error.code === 'ResourceInUseException')) throw error;
      stackExisted = true;
    });
  }
  const longestInvocationSeconds = longestInvocationByQueue(plan);
  for (const queue of plan.queues) {
    sqs.createQueue({ QueueName: queue.QueueName, Attributes: scaleVisibilityTimeout(queue.Attributes, visibilityTimeoutScale, longestInvocationSeconds.get(queue.QueueName) ?? 0) });
  }
  // An AWS::SQS::QueuePolicy sets its queues' Policy attribute (a later one on the same queue
  // replaces an earlier one's, as on AWS); each start deploys the template's policies again.
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-sqs-queuepolicy.html
  for (const queuePolicy of plan.queuePolicies) {
    for (const queueArn of queuePolicy.queueArns) sqs.setQueueAttributes({ QueueUrl: queueNameOfArn(queueArn), Attributes: { Policy: JSON.stringify(queuePolicy.document) } });
  }
  for (const bus of plan.buses) ignoreAlreadyExists(() => events.createEventBus({ Name: bus }));
  for (const archive of plan.archives) {
    ignoreAlreadyExists(() =>
      events.createArchive({ ArchiveName: archive.ArchiveName, EventSourceArn: events.describeEventBus({ Name: archive.EventBusName }).Arn, EventPattern: archive.EventPattern, RetentionDays: archive.RetentionDays }),
    );
  }
  for (const rule of plan.rules) {
    events.putRule({ Name: rule.Name, EventBusName: rule.EventBusName, EventPattern: rule.EventPattern, State: rule.State });
    if (rule.Targets.length === 0) continue;
    const result = events.putTargets({ Rule: rule.Name, EventBusName: rule.EventBusName, Targets: rule.Targets as never });
    if (result.FailedEntryCount > 0) throw new Error(`rule ${rule.Name}: ${result.FailedEntries.map((entry) => entry.ErrorMessage).join('; ')}`);
  }
  // CloudFormation makes a custom resource's create call once, when the stack is created.
  if (stackExisted) return;
  await runCustomResourceCalls(
    plan.customResourceCalls,
    {
      dynamodb: (operation, input) => dynamodb.client.call(operation, input),
    },
    authorizeCustomResource,
  );
}

/**
 * A function's credentials: its role session's, which the local cloud maps back to the role,
 * as Lambda hands each function its execution role's; without permissions, any.
 */
function roleCredentials(permissions: EnforcedPermissions | undefined, functionName: string): Record<string, string> {
  const credentials = permissions?.credentialsOf(functionName);
  if (credentials === undefined) return DUMMY_CREDENTIALS;
  return { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, AWS_SESSION_TOKEN: credentials.sessionToken };
}

/**
 * Custom resources' calls authorized with their provider function's role: refused, the call
 * fails, and with it the stack's creation, as CloudFormation reports the provider's failure.
 */
function customResourceAuthorizer(permissions: EnforcedPermissions, plan: StackPlan, scope: { region: string; accountId: string }): CustomResourceAuthorizer {
  return (call, operation) => {
    const requests = call.service.toLowerCase() === 'dynamodb' ? (dynamoDbAuthorizationRequests(operation, call.parameters, scope) ?? []) : [];
    const provider = plan.functions.find((fn) => fn.name === call.providerFunctionName);
    const refusal = permissions.customResourceRefusal(provider, requests, `custom resource ${call.logicalId} fails, and the stack with it`);
    if (refusal !== undefined) throw new Error(`custom resource ${call.logicalId}: Received response status [FAILED] from custom resource. Message returned: ${refusal.message}`);
  };
}

function ignoreAlreadyExists(create: () => unknown): void {
  try {
    create();
  } catch (error) {
    if (!(error instanceof AwsServiceError && error.code === 'ResourceAlreadyExistsException')) throw error;
  }
}

/**
 * How long a message received by each mapped queue's poller can stay in hand: the batching
 * window plus the function's timeout. Lambda refuses a mapping whose queue would make a
 * message visible again sooner than its function's timeout, so a message is never redelivered
 * while an invocation still works on it.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
function longestInvocationByQueue(plan: StackPlan): Map<string, number> {
  const timeoutOf = new Map(plan.functions.map((fn) => [fn.name, fn.timeoutSeconds]));
  const longest = new Map<string, number>();
  for (const mapping of plan.eventSourceMappings) {
    const seconds = mapping.maximumBatchingWindowInSeconds + (timeoutOf.get(mapping.functionName) ?? 0);
    longest.set(mapping.queueName, Math.max(longest.get(mapping.queueName) ?? 0, seconds));
  }
  return longest;
}

/**
 * Queue attributes with the visibility timeout scaled (see `visibilityTimeoutScale`); SQS takes
 * whole seconds. Never below `atLeastSeconds`: a shorter timeout would hand a message that is
 * still being processed to a second invocation, which no deployed stack can do.
 */
function scaleVisibilityTimeout(attributes: Record<string, string>, scale: number, atLeastSeconds: number): Record<string, string> {
  if (scale === 1 || attributes.VisibilityTimeout === undefined) return attributes;
  const scaled = Math.max(1, Math.round(Number(attributes.VisibilityTimeout) * scale));
  return { ...attributes, VisibilityTimeout: String(Math.max(scaled, atLeastSeconds)) };
}
