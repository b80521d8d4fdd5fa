/**
 * How a refusal reads: AWS's message (`User: <principal> is not authorized to perform: <action>
 * on resource: <arn> because no identity-based policy allows the <action> action`, or `with an
 * explicit deny in an identity-based policy`), the service's error around it, and the one line
 * the local cloud logs, naming the grant that is missing.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html
 */
import { AwsServiceError } from '#cloud/aws-error';
import type { Decision } from '#cloud/iam/evaluation';
import { PolicyType } from '#cloud/iam/policy';
import { ANY_RESOURCE } from '#cloud/iam/service-actions';

/** A refused request, for logs and the `onAccessDenied` hook. */
export interface AccessRefusal {
  /** Who asked: a role session's ARN (`arn:aws:sts::<account>:assumed-role/<role>/<function>`) or a service principal. */
  readonly principal: string;
  /** The function whose role session asked, when one did. */
  readonly functionName?: string;
  /** The role whose policies were evaluated, when a role's session asked. */
  readonly roleArn?: string;
  readonly action: string;
  readonly resource: string;
  /** A `Deny` statement refused (explicit), or no `Allow` applied (implicit). */
  readonly explicit: boolean;
  readonly policyType: PolicyType;
  /** What would allow the request: the grant to add, or the `Deny` in the way. */
  readonly missingGrant: string;
  /** AWS's message, as the caller gets it. */
  readonly message: string;
  /** What the refusal leads to, where the caller is a service (a delivery dead-lettered, a mapping not started). */
  readonly consequence?: string;
}

/**
 * AWS's message for a refusal. SQS names the action in lower case (`sqs:sendmessage`); the
 * other services as written.
 */
export function accessDeniedMessage(principal: string, action: string, resource: string, decision: Extract<Decision, { allowed: false }>): string {
  const named = action.startsWith('sqs:') ? action.toLowerCase() : action;
  const onResource = resource === ANY_RESOURCE ? '' : ` on resource: ${resource}`;
  const policy = decision.policyType === PolicyType.identity ? 'an identity-based policy' : 'a resource-based policy';
  const reason = decision.explicit ? `with an explicit deny in ${policy}` : `because no ${decision.policyType} policy allows the ${named} action`;
  return `User: ${principal} is not authorized to perform: ${named}${onResource} ${reason}`;
}

/** The refusal in one line, as the console and the function's log show it. */
export function formatRefusal(refusal: AccessRefusal): string {
  const consequence = refusal.consequence === undefined ? '' : `; ${refusal.consequence}`;
  return `AccessDenied: ${refusal.principal} may not ${refusal.action} on ${refusal.resource}; ${refusal.missingGrant}${consequence}`;
}

/**
 * The refusal as SQS answers it: `AccessDenied` (403) in the query protocol; in JSON,
 * `AccessDeniedException` with `x-amzn-query-error: AccessDenied;Sender`.
 */
export function sqsAccessDenied(refusal: AccessRefusal): AwsServiceError {
  return new AwsServiceError('AccessDeniedException', refusal.message, { statusCode: 403, queryCode: 'AccessDenied' });
}

/** The refusal as EventBridge answers it: `AccessDeniedException` (400). */
export function eventBridgeAccessDenied(refusal: AccessRefusal): AwsServiceError {
  return new AwsServiceError('AccessDeniedException', refusal.message);
}

/** The error body and status DynamoDB answers a refusal with. */
export function dynamoDbAccessDenied(refusal: AccessRefusal): { readonly statusCode: number; readonly body: Readonly<Record<string, string>> } {
  return { statusCode: 400, body: { __type: 'com.amazon.coral.service#AccessDeniedException', Message: refusal.message } };
}
