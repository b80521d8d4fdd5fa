/**
 * The local cloud's authorizer: decides each call against the permission model, reports each
 * refusal, and records each authorized call of a role (Access Analyzer's policy generation
 * works from such records), so the grants no call used can be listed.
 *
 * Policies are compiled once per role and per resource; decisions are cached by principal,
 * action, resource and request context keys, so a repeated call costs a few map lookups. A
 * resource that holds its own policy (a queue's `Policy` attribute) is asked for it at each
 * call; a cached decision is reused while the resource answers the same compiled policy.
 */
import { accessDeniedMessage, type AccessRefusal } from '#cloud/iam/access-denied';
import { compileArnPattern } from '#cloud/iam/arn-pattern';
import type { ContextLookup, ContextValue } from '#cloud/iam/condition';
import { evaluate, type AuthorizationRequest, type Decision } from '#cloud/iam/evaluation';
import { compilePolicy, Effect, PolicyType, type CompiledStatement, type RequestPrincipal } from '#cloud/iam/policy';
import type { FunctionSession, PermissionModel } from '#cloud/iam/permission-model';
import { compileWildcard } from '#cloud/iam/wildcard';

/** A function's role session, as a requester. */
export interface RoleSessionPrincipal {
  readonly kind: 'role-session';
  readonly roleArn: string;
  readonly roleName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<function>`. */
  readonly sessionArn: string;
  readonly accountId: string;
  readonly functionName: string;
}

/** An AWS service acting on its own, e.g. `events.amazonaws.com` delivering to a queue. */
export interface ServicePrincipal {
  readonly kind: 'service';
  readonly service: string;
}

/** Who makes a request the local cloud authorizes. */
export type Requester = RoleSessionPrincipal | ServicePrincipal;

/** Options of {@link AccessControl.authorize}. */
export interface AuthorizeOptions {
  /** The request's own context keys, lower-cased: `events:source`, `aws:sourcearn`... */
  readonly context?: Readonly<Record<string, ContextValue>>;
  /**
   * Whether an allowed call counts as exercised. False for a check made ahead of the call
   * (whether a function may write its logs before it writes any). @default true
   */
  readonly record?: boolean;
  /** What a refusal leads to, added to the reported refusal (see `AccessRefusal.consequence`). */
  readonly consequence?: string;
}

/** The outcome of {@link AccessControl.authorize}. */
export type Authorization =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly refusal: AccessRefusal; readonly decision: Extract<Decision, { allowed: false }> };

/** A call a role made and was allowed. */
export interface ExercisedCall {
  readonly roleArn: string;
  readonly action: string;
  readonly resource: string;
  readonly context?: Readonly<Record<string, ContextValue>>;
}

/** One (action pattern, resource pattern) pair of an `Allow` statement of a role's identity-based policies. */
export interface Grant {
  /** The role's name. */
  readonly role: string;
  readonly roleArn: string;
  /** The policy's name (see `NamedPolicy.name`). */
  readonly policy: string;
  /** The statement's `Sid`, or its position in the policy. */
  readonly statement: string;
  /** The action pattern as written, or `NotAction: …` for a statement that excludes actions. */
  readonly action: string;
  /** The resource pattern as written, or `NotResource: …`. */
  readonly resource: string;
}

/** Options of {@link AccessControl}. */
export interface AccessControlOptions {
  /** Told of every refusal, as it happens. */
  readonly onRefusal?: (refusal: AccessRefusal) => void;
  /**
   * The policy a resource holds itself, which can change at run time (a queue's `Policy`
   * attribute), compiled; undefined for none. It must answer the same array until the policy
   * changes: a cached decision is reused only while it does.
   */
  readonly livePolicyOf?: (resourceArn: string) => readonly CompiledStatement[] | undefined;
}

/** Decisions cached at most; past it, new requests are decided each time (and still recorded). */
const MAX_CACHED_DECISIONS = 50_000;

/** A cached decision, and whether its call was recorded as exercised. */
interface CachedDecision {
  readonly authorization: Authorization;
  recorded: boolean;
  /** The resource's own policy the decision was made with (see `AccessControlOptions.livePolicyOf`). */
  readonly livePolicy?: readonly CompiledStatement[] | undefined;
  /** For a decision past the cache's size: the key its recording is kept under. */
  readonly uncachedKey?: string;
}

/** Decides, reports and records calls against one {@link PermissionModel}. */
export class AccessControl {
  readonly #model: PermissionModel;
  readonly #onRefusal: ((refusal: AccessRefusal) => void) | undefined;
  readonly #livePolicyOf: ((resourceArn: string) => readonly CompiledStatement[] | undefined) | undefined;
  readonly #identity = new Map<string, readonly CompiledStatement[]>();
  readonly #resourcePolicies = new Map<string, readonly CompiledStatement[]>();
  readonly #sessionsByKey = new Map<string, RoleSessionPrincipal>();
  readonly #sessionsByFunction = new Map<string, RoleSessionPrincipal>();
  readonly #baseContexts = new Map<string, Readonly<Record<string, string>>>();
  /** Requester -> action -> resource (and context signature) -> decision: lookups of strings the calls already hold. */
  readonly #decisions = new Map<Requester, Map<string, Map<string, CachedDecision>>>();
  #cachedDecisions = 0;
  readonly #exercised: ExercisedCall[] = [];
  /** Keys of calls recorded without a cached decision (past the cache's size). */
  readonly #recordedUncached = new Set<string>();

  /** @throws PolicyDocumentError for a policy the local cloud cannot evaluate. */
  constructor(model: PermissionModel, options: AccessControlOptions = {}) {
    this.#model = model;
    this.#onRefusal = options.onRefusal;
    this.#livePolicyOf = options.livePolicyOf;
    for (const role of model.roles) this.#identity.set(role.arn, role.policies.flatMap(compilePolicy));
    for (const resource of model.resourcePolicies) this.#resourcePolicies.set(resource.resourceArn, resource.policies.flatMap(compilePolicy));
    for (const session of model.sessions) {
      const principal = this.#principalOf(session);
      this.#sessionsByKey.set(session.credentials.accessKeyId, principal);
      this.#sessionsByFunction.set(session.functionName, principal);
    }
  }

  /** The role session whose access key signed a request; undefined for any other key (the account's administrator). */
  sessionOfKey(accessKeyId: string | undefined): RoleSessionPrincipal | undefined {
    return accessKeyId === undefined ? undefined : this.#sessionsByKey.get(accessKeyId);
  }

  /** A function's role session; undefined for a function without one in the model. */
  sessionOfFunction(functionName: string): RoleSessionPrincipal | undefined {
    return this.#sessionsByFunction.get(functionName);
  }

  /** The credentials of a function's role session, as its environment holds them. */
  credentialsOfFunction(functionName: string): FunctionSession['credentials'] | undefined {
    return this.#model.sessions.find((session) => session.functionName === functionName)?.credentials;
  }

  /**
   * Decides `request` for `requester`: reports a refusal to `onRefusal` and returns it; records
   * an allowed call of a role as exercised (unless `record: false`).
   */
  authorize(requester: Requester, request: AuthorizationRequest, options: AuthorizeOptions = {}): Authorization {
    const decision = this.#decision(requester, request, options.context);
    const { authorization } = decision;
    if (!authorization.allowed) {
      const refusal = options.consequence === undefined ? authorization.refusal : { ...authorization.refusal, consequence: options.consequence };
      this.#onRefusal?.(refusal);
      return { ...authorization, refusal };
    }
    if (requester.kind === 'role-session' && options.record !== false && !decision.recorded) {
      decision.recorded = true;
      if (decision.uncachedKey !== undefined) this.#recordedUncached.add(decision.uncachedKey);
      this.#exercised.push({ roleArn: requester.roleArn, action: request.action, resource: request.resource, ...(options.context !== undefined ? { context: options.context } : {}) });
    }
    return authorization;
  }

  /** Whether `request` would be allowed, without reporting or recording anything. */
  wouldAllow(requester: Requester, request: AuthorizationRequest, context?: Readonly<Record<string, ContextValue>>): boolean {
    return this.#decision(requester, request, context).authorization.allowed;
  }

  /** Every distinct call roles made and were allowed, so far. */
  exercised(): ExercisedCall[] {
    return [...this.#exercised];
  }

  /** Every (action, resource) pair of every `Allow` statement in the roles' identity-based policies. */
  grants(): Grant[] {
    return this.#model.roles.flatMap((role) => this.#grantStatements(role.arn).flatMap((statement) => pairsOf(role, statement).map((pair) => pair.grant)));
  }

  /**
   * The grants no call in `calls` used: a pair is used by an allowed call of its role that its
   * statement (conditions included) applies to and that its action and resource patterns match.
   */
  unusedGrants(calls: readonly ExercisedCall[]): Grant[] {
    return this.#model.roles.flatMap((role) => {
      const roleCalls = calls.filter((call) => call.roleArn === role.arn);
      const base = this.#baseContexts.get(role.arn) ?? roleBaseContext(role.arn, this.#model.scope);
      return this.#grantStatements(role.arn).flatMap((statement) =>
        pairsOf(role, statement)
          .filter(
            (pair) =>
              !roleCalls.some(
                (call) =>
                  pair.matchesAction(call.action) &&
                  pair.matchesResource(call.resource) &&
                  statement.matchesAction(call.action) &&
                  statement.matchesResource(call.resource) &&
                  (statement.condition?.holds(lookup(base, call.context)) ?? true),
              ),
          )
          .map((pair) => pair.grant),
      );
    });
  }

  /** The (cached) decision of a request. */
  #decision(requester: Requester, request: AuthorizationRequest, context: Readonly<Record<string, ContextValue>> | undefined): CachedDecision {
    let byAction = this.#decisions.get(requester);
    if (byAction === undefined) this.#decisions.set(requester, (byAction = new Map()));
    let byResource = byAction.get(request.action);
    if (byResource === undefined) byAction.set(request.action, (byResource = new Map()));
    const resourceKey = context === undefined ? request.resource : `${request.resource}\u0000${signature(context)}`;
    const livePolicy = this.#livePolicyOf?.(request.resource);
    const cached = byResource.get(resourceKey);
    if (cached !== undefined && cached.livePolicy === livePolicy) return cached;
    const authorization = this.#decide(requester, request, context, livePolicy);
    if (cached !== undefined) {
      // The resource's policy changed since: decided again, in the same slot; a call recorded stays recorded.
      const decision: CachedDecision = { authorization, recorded: cached.recorded, livePolicy };
      byResource.set(resourceKey, decision);
      return decision;
    }
    if (this.#cachedDecisions >= MAX_CACHED_DECISIONS) {
      // Not cached: whether the call was recorded is kept by key instead.
      const uncachedKey = `${requester.kind === 'role-session' ? requester.sessionArn : requester.service}\u0000${request.action}\u0000${resourceKey}`;
      return { authorization, recorded: this.#recordedUncached.has(uncachedKey), uncachedKey };
    }
    const decision: CachedDecision = { authorization, recorded: false, livePolicy };
    this.#cachedDecisions++;
    byResource.set(resourceKey, decision);
    return decision;
  }

  #grantStatements(roleArn: string): readonly CompiledStatement[] {
    return (this.#identity.get(roleArn) ?? []).filter((statement) => statement.effect === Effect.allow);
  }

  #principalOf(session: FunctionSession): RoleSessionPrincipal {
    const roleName = session.roleArn.split('/').pop() as string;
    return {
      kind: 'role-session',
      roleArn: session.roleArn,
      roleName,
      sessionArn: `arn:aws:sts::${this.#model.scope.accountId}:assumed-role/${roleName}/${session.functionName}`,
      accountId: this.#model.scope.accountId,
      functionName: session.functionName,
    };
  }

  #decide(requester: Requester, request: AuthorizationRequest, context: Readonly<Record<string, ContextValue>> | undefined, livePolicy: readonly CompiledStatement[] | undefined): Authorization {
    const identity = requester.kind === 'role-session' ? (this.#identity.get(requester.roleArn) ?? []) : [];
    const stated = this.#resourcePolicies.get(request.resource);
    const resource = livePolicy === undefined ? (stated ?? []) : stated === undefined ? livePolicy : [...stated, ...livePolicy];
    const principal: RequestPrincipal =
      requester.kind === 'role-session' ? { kind: 'role-session', roleArn: requester.roleArn, sessionArn: requester.sessionArn, accountId: requester.accountId } : requester;
    const decision = evaluate(resource.length === 0 ? identity : [...identity, ...resource], { principal, request, context: lookup(this.#baseContextOf(requester), context) });
    if (decision.allowed) return decision;
    const principalName = requester.kind === 'role-session' ? requester.sessionArn : requester.service;
    const refusal: AccessRefusal = {
      principal: principalName,
      ...(requester.kind === 'role-session' ? { functionName: requester.functionName, roleArn: requester.roleArn } : {}),
      action: request.action,
      resource: request.resource,
      explicit: decision.explicit,
      policyType: decision.policyType,
      missingGrant: missingGrant(requester, request, decision),
      message: accessDeniedMessage(principalName, request.action, request.resource, decision),
    };
    return { allowed: false, refusal, decision };
  }

  #baseContextOf(requester: Requester): Readonly<Record<string, string>> {
    const key = requester.kind === 'role-session' ? requester.roleArn : requester.service;
    let base = this.#baseContexts.get(key);
    if (base === undefined) {
      base = requester.kind === 'role-session' ? roleBaseContext(requester.roleArn, this.#model.scope) : serviceBaseContext(requester.service);
      this.#baseContexts.set(key, base);
    }
    return base;
  }
}

/**
 * The global condition keys of every call a role session makes here. `aws:SecureTransport` is
 * true: the local endpoints, plain HTTP on this machine, stand in for AWS's HTTPS endpoints,
 * which the SDKs always use; a queue policy denying insecure transport (CDK's `enforceSSL`)
 * therefore denies nothing here, as on AWS.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 */
function roleBaseContext(roleArn: string, scope: PermissionModel['scope']): Readonly<Record<string, string>> {
  return {
    'aws:securetransport': 'true',
    'aws:principalarn': roleArn,
    'aws:principalaccount': scope.accountId,
    'aws:principaltype': 'AssumedRole',
    'aws:requestedregion': scope.region,
  };
}

/** The global condition keys of a call a service makes on its own (its source ARN comes with the request). */
function serviceBaseContext(service: string): Readonly<Record<string, string>> {
  return { 'aws:securetransport': 'true', 'aws:principalservicename': service };
}

function lookup(base: Readonly<Record<string, ContextValue>>, extra: Readonly<Record<string, ContextValue>> | undefined): ContextLookup {
  return extra === undefined ? (key) => base[key] : (key) => extra[key] ?? base[key];
}

function signature(context: Readonly<Record<string, ContextValue>>): string {
  return Object.entries(context)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : value.join(',')}`)
    .join('&');
}

/** The grant that would allow a refused request, or the `Deny` in its way, in words. */
function missingGrant(requester: Requester, request: AuthorizationRequest, decision: Extract<Decision, { allowed: false }>): string {
  if (decision.explicit && decision.statement !== undefined) {
    return `the Deny statement ${decision.statement.sid ?? `#${decision.statement.index}`} of ${decision.statement.policy.name} refuses it`;
  }
  const conditions = decision.conditionKeys.length === 0 ? '' : `, whose conditions on ${decision.conditionKeys.join(', ')} the request meets`;
  const grant = `Allow ${request.action} on ${request.resource}${conditions}`;
  return requester.kind === 'role-session'
    ? `missing grant: ${grant} in an identity-based policy of role ${requester.roleName}`
    : `missing grant: ${grant} to service ${requester.service} in the ${decision.policyType === PolicyType.resource ? "resource's policy" : 'policy'}`;
}

/** The (action, resource) pairs of an `Allow` statement, each with its matchers. */
function pairsOf(role: { readonly name: string; readonly arn: string }, statement: CompiledStatement) {
  const actions = statement.notAction ? [{ label: `NotAction: ${statement.actions.join(', ')}`, matches: statement.matchesAction }] : statement.actions.map((action) => ({ label: action, matches: compileWildcard(action, { ignoreCase: true }) }));
  const resources = statement.notResource
    ? [{ label: `NotResource: ${statement.resources.join(', ')}`, matches: statement.matchesResource }]
    : statement.resources.map((resource) => ({ label: resource, matches: compileArnPattern(resource) }));
  return actions.flatMap((action) =>
    resources.map((resource) => ({
      grant: { role: role.name, roleArn: role.arn, policy: statement.policy.name, statement: statement.sid ?? String(statement.index), action: action.label, resource: resource.label },
      matchesAction: action.matches,
      matchesResource: resource.matches,
    })),
  );
}
