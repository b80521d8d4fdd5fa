/**
 * IAM's policy evaluation for a request within one account: an explicit `Deny` in any applicable
 * policy wins; otherwise an `Allow` in an identity-based policy or in the resource's policy
 * allows; otherwise the request is implicitly denied.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
import type { ContextLookup } from '#cloud/iam/condition';
import { Effect, PolicyType, type CompiledStatement, type RequestPrincipal } from '#cloud/iam/policy';

/** What is asked: one IAM action on one resource. */
export interface AuthorizationRequest {
  /** e.g. `dynamodb:PutItem`. */
  readonly action: string;
  /** The resource's ARN, or `*` for an action that names no resource (`sqs:ListQueues`). */
  readonly resource: string;
}

/** The outcome of an evaluation. */
export type Decision =
  | {
      readonly allowed: true;
    }
  | {
      readonly allowed: false;
      /** A `Deny` statement applied (explicit), or no `Allow` did (implicit). */
      readonly explicit: boolean;
      /** The kind of policy that denied, or that would have had to allow. */
      readonly policyType: PolicyType;
      /** The statement that denied explicitly. */
      readonly statement?: CompiledStatement;
      /**
       * Keys of the conditions that kept an `Allow` statement otherwise matching from applying
       * (lower-cased), or of the explicit `Deny`'s conditions.
       */
      readonly conditionKeys: readonly string[];
    };

/** The requester, the request and its context keys. */
export interface EvaluationInput {
  readonly principal: RequestPrincipal;
  readonly request: AuthorizationRequest;
  readonly context: ContextLookup;
}

/** Whether `statement` applies to the request, conditions aside. */
function matchesRequest(statement: CompiledStatement, input: EvaluationInput): boolean {
  return statement.appliesTo(input.principal) && statement.matchesAction(input.request.action) && statement.matchesResource(input.request.resource);
}

/** Evaluates the request against `statements` (identity-based and resource-based together). */
export function evaluate(statements: readonly CompiledStatement[], input: EvaluationInput): Decision {
  let allowed = false;
  const conditionKeys = new Set<string>();
  for (const statement of statements) {
    if (!matchesRequest(statement, input)) continue;
    const holds = statement.condition === undefined || statement.condition.holds(input.context);
    if (statement.effect === Effect.deny) {
      if (holds) return { allowed: false, explicit: true, policyType: statement.policy.type, statement, conditionKeys: statement.condition?.keys ?? [] };
      continue;
    }
    if (holds) allowed = true;
    else for (const key of statement.condition?.failedKeys(input.context) ?? []) conditionKeys.add(key);
  }
  if (allowed) return { allowed: true };
  return { allowed: false, explicit: false, policyType: input.principal.kind === 'service' ? PolicyType.resource : PolicyType.identity, conditionKeys: [...conditionKeys] };
}
