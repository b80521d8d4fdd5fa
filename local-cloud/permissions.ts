/**
 * The local cloud's permissions at run time: where each call is authorized (the gateway's SQS and
 * EventBridge operations, EventBridge's deliveries to queues, the event source mappings' polling,
 * API Gateway's invocations, the functions' logs, the custom resources' calls; DynamoDB decides
 * in its own process), how a refusal is reported (one line in the function's log and to the
 * `onAccessDenied` hook), and what was exercised, for least privilege.
 */
import type { JsonOperationHandler, JsonProtocolBinding } from '#cloud/gateway-registration';
import type { SqsSendPort } from '#cloud/events/target-delivery';
import { AccessControl, type AccessControlOptions, type ExercisedCall, type Grant, type RoleSessionPrincipal, type ServicePrincipal } from '#cloud/iam/access-control';
import { eventBridgeAccessDenied, formatRefusal, sqsAccessDenied, type AccessRefusal } from '#cloud/iam/access-denied';
import type { PermissionModel, SessionCredentials } from '#cloud/iam/permission-model';
import {
  eventBridgeAuthorizationRequests,
  logDeliveryRequests,
  PUT_EVENTS_CONTEXT_KEYS,
  putEventsEntryRequest,
  queueArnOf,
  sqsAuthorizationRequests,
} from '#cloud/iam/service-actions';
import type { LogDelivery, LogStream } from '#cloud/lambda/local-function';
import type { SqsPollingPort } from '#cloud/lambda/sqs-polling-port';

/** A call a role made and was allowed. */
export interface ExercisedPermission {
  /** The role's name. */
  readonly role: string;
  readonly roleArn: string;
  readonly action: string;
  readonly resource: string;
}

/**
 * The permissions of a running local cloud: what was refused, what was exercised, and which
 * grants no call used. A test of least privilege runs every path, then asserts
 * `expect(await cloud.permissions.unusedGrants()).toEqual([])` and that nothing was refused.
 */
export interface LocalCloudPermissions {
  /** Whether calls are authorized (false with `permissions: false`: nothing is refused or recorded). */
  readonly enforced: boolean;
  /** Every refusal so far, oldest first. */
  refusals(): readonly AccessRefusal[];
  /** Every distinct (role, action, resource) that was allowed so far, including the DynamoDB process's. */
  exercised(): Promise<ExercisedPermission[]>;
  /** Every (action pattern, resource pattern) pair of every `Allow` statement of every role's identity-based policies. */
  grants(): readonly Grant[];
  /** The grants no allowed call used so far (IAM Access Analyzer's unused permissions, from this run). */
  unusedGrants(): Promise<Grant[]>;
  /** The credentials of a function's role session, as its environment holds them (for tests that call as the function). */
  credentialsOf(functionName: string): SessionCredentials | undefined;
}

/** Where a refusal is reported. */
export interface RefusalReporting {
  /** The console hook (`onAccessDenied`). */
  readonly onAccessDenied?: (refusal: AccessRefusal) => void;
  /** Writes a line to a function's log. */
  readonly writeFunctionLog: (functionName: string, line: string) => void;
}

/** EventBridge and API Gateway as principals of their own calls. */
const EVENTBRIDGE: ServicePrincipal = { kind: 'service', service: 'events.amazonaws.com' };
const API_GATEWAY: ServicePrincipal = { kind: 'service', service: 'apigateway.amazonaws.com' };
/** Refusals kept for `refusals()`; a long run keeps the latest. */
const MAX_KEPT_REFUSALS = 10_000;

/**
 * Lambda's error when a mapping's role lacks a permission its poller needs.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html#events-sqs-permissions
 */
const EVENT_SOURCE_MAPPING_ACTIONS = ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'] as const;

/**
 * API Gateway's integration error when the function's policy does not let it invoke; the client
 * gets a 500 `{"message":"Internal Server Error"}`.
 * @see https://repost.aws/knowledge-center/api-gateway-http-lambda-integrations
 */
const INTEGRATION_PERMISSION_ERROR = "The IAM role configured on the integration or API Gateway doesn't have permissions to call the integration. Check the permissions and try again.";

/** The permissions of one local cloud, enforced. */
export class EnforcedPermissions implements LocalCloudPermissions {
  readonly enforced = true;
  readonly access: AccessControl;
  readonly #model: PermissionModel;
  readonly #refusals: AccessRefusal[] = [];
  readonly #reporting: RefusalReporting;
  #remoteExercised: () => Promise<readonly ExercisedCall[]> = async () => [];

  /**
   * @param livePolicyOf - The policy a resource holds itself: a queue's `Policy` attribute, from the local SQS.
   * @throws PolicyDocumentError for a policy the local cloud cannot evaluate.
   */
  constructor(model: PermissionModel, reporting: RefusalReporting, livePolicyOf?: AccessControlOptions['livePolicyOf']) {
    this.#model = model;
    this.#reporting = reporting;
    this.access = new AccessControl(model, { onRefusal: (refusal) => this.report(refusal), ...(livePolicyOf === undefined ? {} : { livePolicyOf }) });
  }

  /**
   * Reports a refusal: kept, told to the hook, and written to the log of the function concerned:
   * the one whose role asked, or the one a service could not invoke.
   */
  report(refusal: AccessRefusal): void {
    this.#refusals.push(refusal);
    if (this.#refusals.length > MAX_KEPT_REFUSALS) this.#refusals.shift();
    this.#reporting.onAccessDenied?.(refusal);
    const functionName = refusal.functionName ?? (refusal.resource.startsWith('arn:aws:lambda:') ? refusal.resource.split(':')[6] : undefined);
    if (functionName !== undefined) this.#reporting.writeFunctionLog(functionName, refusalLogLine(refusal));
  }

  /** Adds the calls another process allowed (the DynamoDB process's) to {@link exercised}. */
  includeExercised(remote: () => Promise<readonly ExercisedCall[]>): void {
    this.#remoteExercised = remote;
  }

  refusals(): readonly AccessRefusal[] {
    return [...this.#refusals];
  }

  async exercised(): Promise<ExercisedPermission[]> {
    const seen = new Map<string, ExercisedPermission>();
    for (const call of await this.#allExercised()) {
      const key = `${call.roleArn}\u0000${call.action}\u0000${call.resource}`;
      if (!seen.has(key)) seen.set(key, { role: call.roleArn.split('/').pop() as string, roleArn: call.roleArn, action: call.action, resource: call.resource });
    }
    return [...seen.values()];
  }

  grants(): readonly Grant[] {
    return this.access.grants();
  }

  async unusedGrants(): Promise<Grant[]> {
    return this.access.unusedGrants(await this.#allExercised());
  }

  credentialsOf(functionName: string): SessionCredentials | undefined {
    return this.access.credentialsOfFunction(functionName);
  }

  async #allExercised(): Promise<ExercisedCall[]> {
    return [...this.access.exercised(), ...(await this.#remoteExercised())];
  }

  /**
   * The SQS operations table, each operation authorized for a role session's calls: allowed by
   * the role's policies or by the queue's `Policy`, refused by an explicit `Deny` in either.
   */
  sqsOperations(operations: Readonly<Record<string, JsonOperationHandler>>): Record<string, JsonOperationHandler> {
    return Object.fromEntries(
      Object.entries(operations).map(([operation, handler]): [string, JsonOperationHandler] => [
        operation,
        (input, context) => {
          const session = this.access.sessionOfKey(context.accessKeyId);
          if (session !== undefined) {
            for (const request of sqsAuthorizationRequests(operation, input, this.#model.scope) ?? []) {
              const authorization = this.access.authorize(session, request);
              if (!authorization.allowed) throw sqsAccessDenied(authorization.refusal);
            }
          }
          return handler(input, context);
        },
      ]),
    );
  }

  /**
   * The EventBridge binding, each operation authorized for a role session's calls. PutEvents is
   * authorized entry by entry with the entry's `events:source` and `events:detail-type`: an
   * entry a condition on one of them refuses fails alone (`NotAuthorizedForSourceException`,
   * `NotAuthorizedForDetailTypeException`); without any grant of `events:PutEvents` on the bus
   * the whole call is refused (`AccessDeniedException`).
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
   */
  eventBridgeBinding(binding: JsonProtocolBinding): JsonProtocolBinding {
    const operations = Object.fromEntries(
      Object.entries(binding.operations).map(([operation, handler]): [string, JsonOperationHandler] => [
        operation,
        operation === 'PutEvents'
          ? (input, context) => this.#putEvents(handler, input, context)
          : (input, context) => {
              const session = this.access.sessionOfKey(context.accessKeyId);
              if (session !== undefined) {
                for (const request of eventBridgeAuthorizationRequests(operation, input, this.#model.scope) ?? []) {
                  const authorization = this.access.authorize(session, request);
                  if (!authorization.allowed) throw eventBridgeAccessDenied(authorization.refusal);
                }
              }
              return handler(input, context);
            },
      ]),
    );
    return { ...binding, operations };
  }

  async #putEvents(putEvents: JsonOperationHandler, input: Record<string, unknown>, context: Parameters<JsonOperationHandler>[1]): Promise<unknown> {
    const session = this.access.sessionOfKey(context.accessKeyId);
    if (session === undefined || !Array.isArray(input.Entries)) return putEvents(input, context);
    const entries = input.Entries as Record<string, unknown>[];
    const failures = entries.map((entry) => {
      const { request, context: entryContext } = putEventsEntryRequest(entry, this.#model.scope);
      const authorization = this.access.authorize(session, request, { context: entryContext });
      if (authorization.allowed) return undefined;
      const keys = authorization.decision.conditionKeys;
      if (keys.includes(PUT_EVENTS_CONTEXT_KEYS.source)) return { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: authorization.refusal.message };
      if (keys.includes(PUT_EVENTS_CONTEXT_KEYS.detailType)) return { ErrorCode: 'NotAuthorizedForDetailTypeException', ErrorMessage: authorization.refusal.message };
      throw eventBridgeAccessDenied(authorization.refusal);
    });
    if (!failures.some((failure) => failure !== undefined)) return putEvents(input, context);
    const allowed = entries.filter((_, index) => failures[index] === undefined);
    const put = allowed.length === 0 ? [] : ((await putEvents({ ...input, Entries: allowed }, context)) as { Entries: Record<string, string>[] }).Entries;
    let next = 0;
    // Results answer in request order: the allowed entries' results slot back between the refusals.
    const results = entries.map((_, index) => failures[index] ?? put[next++] ?? {});
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }

  /**
   * EventBridge's sends to its targets' queues and DLQs, each allowed only by the queue's
   * `Policy` attribute as it is at the send (principal `events.amazonaws.com`, `aws:SourceArn`
   * the rule's ARN). A refused send answers
   * SQS's `AccessDenied`, which the delivery records as `NO_PERMISSIONS`.
   * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions
   */
  deliveryPort(port: SqsSendPort): SqsSendPort {
    const { scope } = this.#model;
    return {
      sendMessage: async (input, origin) => {
        if (origin !== undefined) {
          const request = { action: 'sqs:SendMessage', resource: queueArnOf(input.QueueUrl, scope) };
          const authorization = this.access.authorize(EVENTBRIDGE, request, {
            context: { 'aws:sourcearn': origin.sourceArn, 'aws:sourceaccount': scope.accountId },
            consequence: `EventBridge does not retry the delivery for rule ${origin.sourceArn}: the event goes to the target's dead-letter queue, or is dropped`,
          });
          if (!authorization.allowed) throw sqsAccessDenied(authorization.refusal);
        }
        return port.sendMessage(input, origin);
      },
    };
  }

  /**
   * Whether an event source mapping may start: Lambda needs its function's role to receive,
   * delete and get attributes of the queue, and fails the mapping otherwise. Lambda reads the
   * queue's attributes when it creates the mapping, so that call is recorded as exercised.
   * @returns Lambda's error, or undefined when the mapping may start
   */
  eventSourceMappingError(functionName: string, queueArn: string): string | undefined {
    const session = this.access.sessionOfFunction(functionName);
    if (session === undefined) return undefined;
    for (const action of EVENT_SOURCE_MAPPING_ACTIONS) {
      const error = `InvalidParameterValueException: The provided execution role does not have permissions to call ${action.slice('sqs:'.length)} on SQS`;
      const authorization = this.access.authorize(session, { action, resource: queueArn }, { record: action === 'sqs:GetQueueAttributes', consequence: `the event source mapping from ${queueArn} to ${functionName} does not start: ${error}` });
      if (!authorization.allowed) return error;
    }
    return undefined;
  }

  /** The polling port of a function's mapping, its receives and deletes made with the function's role, as Lambda's poller makes them. */
  pollingPort(port: SqsPollingPort, functionName: string, queueArn: string): SqsPollingPort {
    const session = this.access.sessionOfFunction(functionName);
    if (session === undefined) return port;
    const check = (action: string) => {
      const authorization = this.access.authorize(session, { action, resource: queueArn });
      if (!authorization.allowed) throw sqsAccessDenied(authorization.refusal);
    };
    return {
      receiveMessage: (input, options) => {
        check('sqs:ReceiveMessage');
        return port.receiveMessage(input, options);
      },
      deleteMessageBatch: (input) => {
        check('sqs:DeleteMessage');
        return port.deleteMessageBatch(input);
      },
    };
  }

  /**
   * Whether API Gateway may invoke a route's function: its resource-based policy (the template's
   * `AWS::Lambda::Permission`s) must allow `apigateway.amazonaws.com` for the route's
   * `execute-api` ARN (`arn:aws:execute-api:<region>:<account>:<api>/<stage>/<METHOD>/<path>`).
   * @returns the integration error API Gateway logs, or undefined when it may invoke
   * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/arn-format-reference.html
   */
  invocationError(route: { readonly routeKey: string; readonly apiId: string; readonly stage: string }, functionArn: string): string | undefined {
    const { scope } = this.#model;
    // `GET /orders/{id}` is `<stage>/GET/orders/{id}`; the `$default` route is `<stage>/$default`.
    const [method, path] = route.routeKey.includes(' ') ? (route.routeKey.split(' ', 2) as [string, string]) : [undefined, route.routeKey];
    const resource = method === undefined ? path : `${method === 'ANY' ? '*' : method}${path}`;
    const sourceArn = `arn:aws:execute-api:${scope.region}:${scope.accountId}:${route.apiId}/${route.stage}/${resource}`;
    const authorization = this.access.authorize(API_GATEWAY, { action: 'lambda:InvokeFunction', resource: functionArn }, {
      context: { 'aws:sourcearn': sourceArn, 'aws:sourceaccount': scope.accountId },
      consequence: `API Gateway answers ${route.routeKey} with 500 Internal Server Error: ${INTEGRATION_PERMISSION_ERROR}`,
    });
    return authorization.allowed ? undefined : INTEGRATION_PERMISSION_ERROR;
  }

  /**
   * Whether a function's role may write an environment's log stream (`logs:CreateLogStream`,
   * `logs:PutLogEvents`), as Lambda writes it with that role. Refused, the environment's lines
   * are lost, as on AWS, and the refusal is reported when the function writes its first line.
   */
  logDelivery(functionName: string): ((stream: LogStream) => LogDelivery) | undefined {
    const session = this.access.sessionOfFunction(functionName);
    if (session === undefined) return undefined;
    return (stream) => {
      const requests = logDeliveryRequests(stream.logGroupName, stream.logStreamName, this.#model.scope);
      const delivered = requests.every((request) => this.access.wouldAllow(session, request));
      return {
        delivered,
        onFirstLine: () => {
          for (const request of requests) {
            this.access.authorize(session, request, { consequence: `${functionName}'s log lines in this execution environment are lost: Lambda cannot write them to CloudWatch Logs` });
          }
        },
      };
    };
  }

  /**
   * Authorizes an AwsCustomResource's call with its provider function's role, as the provider
   * makes it on AWS, and the provider's log writes; returns the call's refusal, if any.
   */
  customResourceRefusal(provider: { readonly name: string; readonly logGroupName: string } | undefined, requests: readonly { action: string; resource: string }[], consequence: string): AccessRefusal | undefined {
    const session: RoleSessionPrincipal | undefined = provider === undefined ? undefined : this.access.sessionOfFunction(provider.name);
    if (session === undefined || provider === undefined) return undefined;
    // The provider logs the request it handles before it makes the call.
    const stream = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[$LATEST]custom-resource`;
    for (const request of logDeliveryRequests(provider.logGroupName, stream, this.#model.scope)) this.access.authorize(session, request, { consequence: `${provider.name}'s log lines are lost` });
    for (const request of requests) {
      const authorization = this.access.authorize(session, request, { consequence });
      if (!authorization.allowed) return authorization.refusal;
    }
    return undefined;
  }
}

/** The refusal as one JSON line of the function's log, like the function's own structured lines. */
function refusalLogLine(refusal: AccessRefusal): string {
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    level: 'ERROR',
    source: 'local-cloud',
    message: formatRefusal(refusal),
    principal: refusal.principal,
    action: refusal.action,
    resource: refusal.resource,
    missingGrant: refusal.missingGrant,
    errorMessage: refusal.message,
  });
}

/** The permissions of a local cloud run with `permissions: false`: nothing is authorized, refused or recorded. */
export const UNENFORCED_PERMISSIONS: LocalCloudPermissions = {
  enforced: false,
  refusals: () => [],
  exercised: async () => [],
  grants: () => [],
  unusedGrants: async () => [],
  credentialsOf: () => undefined,
};
