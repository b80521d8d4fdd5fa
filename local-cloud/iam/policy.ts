/**
 * IAM policy documents and their statements, compiled once into matchers: `Action`/`NotAction`
 * (case-insensitive, wildcards), `Resource`/`NotResource` (ARN patterns), `Principal`/
 * `NotPrincipal` (resource-based policies) and `Condition`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html
 */
import { compileArnPattern } from '#cloud/iam/arn-pattern';
import { compileCondition, UnsupportedConditionError, type CompiledCondition } from '#cloud/iam/condition';
import { PolicyDocumentError } from '#cloud/iam/errors';
import { compileWildcard, type ValueMatcher } from '#cloud/iam/wildcard';

/** One statement as a policy document states it. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly NotPrincipal?: unknown;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
  readonly Condition?: Readonly<Record<string, unknown>>;
}

/** A policy document. */
export interface PolicyDocument {
  readonly Version?: string;
  readonly Id?: string;
  readonly Statement: PolicyStatement | readonly PolicyStatement[];
}

/** Whether a policy is attached to a principal (identity-based) or to a resource (resource-based). */
export const PolicyType = { identity: 'identity-based', resource: 'resource-based' } as const;
export type PolicyType = (typeof PolicyType)[keyof typeof PolicyType];

/** A policy with the name a developer knows it by. */
export interface NamedPolicy {
  /** e.g. `OrderPipeline-PlaceOrderFunctionRole…/PlaceOrderFunctionRoleDefaultPolicy…` or `queue policy of OrderPipeline-ShipOrderQueue…`. */
  readonly name: string;
  readonly type: PolicyType;
  readonly document: PolicyDocument;
}

/** Who makes a request, as far as matching a `Principal` goes. */
export type RequestPrincipal =
  /** A role's session, as a Lambda function's credentials are. */
  | { readonly kind: 'role-session'; readonly roleArn: string; readonly sessionArn: string; readonly accountId: string }
  /** An AWS service acting on its own (EventBridge delivering to a queue, API Gateway invoking a function). */
  | { readonly kind: 'service'; readonly service: string };

/** `Effect` values. */
export const Effect = { allow: 'Allow', deny: 'Deny' } as const;
export type Effect = (typeof Effect)[keyof typeof Effect];

/** A statement ready to be matched against requests. */
export interface CompiledStatement {
  readonly policy: NamedPolicy;
  /** Position in the policy's `Statement` list. */
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  /** The action patterns as written; with `notAction`, the ones it excludes. */
  readonly actions: readonly string[];
  readonly notAction: boolean;
  /** The resource patterns as written; with `notResource`, the ones it excludes. */
  readonly resources: readonly string[];
  readonly notResource: boolean;
  readonly condition?: CompiledCondition;
  matchesAction(action: string): boolean;
  matchesResource(resource: string): boolean;
  /** Whether the statement's `Principal` names the requester; always true in an identity-based policy. */
  appliesTo(principal: RequestPrincipal): boolean;
}

const list = (value: string | readonly string[] | undefined): readonly string[] => (value === undefined ? [] : typeof value === 'string' ? [value] : value);

/**
 * Compiles every statement of `policy`.
 * @throws PolicyDocumentError for a statement IAM would reject or the local cloud can't evaluate.
 */
export function compilePolicy(policy: NamedPolicy): CompiledStatement[] {
  const statements = Array.isArray(policy.document.Statement) ? policy.document.Statement : [policy.document.Statement as PolicyStatement];
  return statements.map((statement, index) => {
    try {
      return compileStatement(policy, statement, index);
    } catch (error) {
      if (error instanceof PolicyDocumentError) throw error;
      throw new PolicyDocumentError(`${policy.name}, statement ${statement.Sid ?? index}`, (error as Error).message, { cause: error });
    }
  });
}

function compileStatement(policy: NamedPolicy, statement: PolicyStatement, index: number): CompiledStatement {
  const where = `${policy.name}, statement ${statement.Sid ?? index}`;
  if (statement.Effect !== Effect.allow && statement.Effect !== Effect.deny) throw new PolicyDocumentError(where, `Effect must be Allow or Deny, got ${JSON.stringify(statement.Effect)}`);
  if ((statement.Action === undefined) === (statement.NotAction === undefined)) throw new PolicyDocumentError(where, 'a statement needs exactly one of Action and NotAction');
  if ((statement.Resource === undefined) === (statement.NotResource === undefined)) throw new PolicyDocumentError(where, 'a statement needs exactly one of Resource and NotResource');
  const principalStated = statement.Principal !== undefined || statement.NotPrincipal !== undefined;
  if (policy.type === PolicyType.identity && principalStated) throw new PolicyDocumentError(where, 'an identity-based policy cannot name a Principal');
  if (policy.type === PolicyType.resource && !principalStated) throw new PolicyDocumentError(where, 'a resource-based policy must name a Principal or NotPrincipal');
  const notAction = statement.NotAction !== undefined;
  const actions = list(notAction ? statement.NotAction : statement.Action);
  const notResource = statement.NotResource !== undefined;
  const resources = list(notResource ? statement.NotResource : statement.Resource);
  const variable = resources.find((resource) => resource.includes('${'));
  if (variable !== undefined) throw new PolicyDocumentError(where, `policy variables such as ${variable} are not evaluated by the local cloud`);
  const actionMatchers = actions.map((action) => compileWildcard(action, { ignoreCase: true }));
  const resourceMatchers = resources.map(compileArnPattern);
  const anyOf = (matchers: readonly ValueMatcher[], negated: boolean) => (value: string) => matchers.some((matches) => matches(value)) !== negated;
  let condition: CompiledCondition | undefined;
  try {
    condition = statement.Condition === undefined ? undefined : compileCondition(statement.Condition);
  } catch (error) {
    if (error instanceof UnsupportedConditionError) throw new PolicyDocumentError(where, error.message, { cause: error });
    throw error;
  }
  return {
    policy,
    index,
    ...(statement.Sid !== undefined ? { sid: statement.Sid } : {}),
    effect: statement.Effect,
    actions,
    notAction,
    resources,
    notResource,
    ...(condition !== undefined ? { condition } : {}),
    matchesAction: anyOf(actionMatchers, notAction),
    matchesResource: anyOf(resourceMatchers, notResource),
    appliesTo: principalStated ? principalMatcher(statement, statement.Effect) : () => true,
  };
}

/**
 * Whether a resource-based statement names the requester. `*` and `{"AWS": "*"}` name everyone;
 * a role's ARN names its sessions; a session's ARN names it; a service principal names the
 * service. An account (`123456789012` or its `:root` ARN) does not grant a role of that account
 * anything by itself, it delegates to the account's identity-based policies, so it names the
 * role's sessions only in a `Deny`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 */
function principalMatcher(statement: PolicyStatement, effect: Effect): (principal: RequestPrincipal) => boolean {
  const negated = statement.NotPrincipal !== undefined;
  const stated = negated ? statement.NotPrincipal : statement.Principal;
  const names = (kind: string): readonly string[] => {
    if (stated === '*') return kind === 'AWS' ? ['*'] : [];
    if (typeof stated !== 'object' || stated === null) throw new Error(`Principal must be "*" or an object, got ${JSON.stringify(stated)}`);
    return list((stated as Record<string, string | readonly string[]>)[kind]);
  };
  const aws = names('AWS');
  const services = names('Service');
  const everyone = stated === '*' || aws.includes('*');
  const matches = (principal: RequestPrincipal): boolean => {
    if (everyone) return true;
    if (principal.kind === 'service') return services.includes(principal.service);
    return aws.some(
      (name) =>
        name === principal.roleArn ||
        name === principal.sessionArn ||
        (effect === Effect.deny && (name === principal.accountId || name === `arn:aws:iam::${principal.accountId}:root`)),
    );
  };
  return (principal) => matches(principal) !== negated;
}
