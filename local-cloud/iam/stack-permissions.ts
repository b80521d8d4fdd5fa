/**
 * The permission model of a planned stack: each role with its identity-based policies (AWS
 * managed ones by their documents), each function's permissions as the statements of its
 * resource-based policy, and a role session, with fresh credentials, for each function that has
 * a role. Queue policies are not in it: a queue's policy is its `Policy` attribute, which the
 * template's `AWS::SQS::QueuePolicy` sets at deploy and SQS calls can change (see
 * `sqs/queue-policy.ts`); access control asks the queue for it.
 */
import { randomBytes } from 'node:crypto';
import { UnknownManagedPolicyError } from '#cloud/iam/errors';
import { AWS_MANAGED_POLICIES } from '#cloud/iam/managed-policies';
import { PolicyType, type NamedPolicy, type PolicyStatement } from '#cloud/iam/policy';
import type { PermissionModel, ResourcePolicies, SessionCredentials } from '#cloud/iam/permission-model';
import type { ArnScope } from '#cloud/iam/service-actions';
import type { LambdaPermissionPlan, StackPlan } from '#cloud/template/stack-plan';

/** @throws UnknownManagedPolicyError for an AWS managed policy whose document the local cloud lacks. */
export function permissionModelOf(plan: Pick<StackPlan, 'roles' | 'lambdaPermissions' | 'functions'>, scope: ArnScope): PermissionModel {
  const roles = plan.roles.map((role) => ({
    arn: role.arn,
    name: role.name,
    policies: [
      ...role.policies.map((policy): NamedPolicy => ({ name: policy.name, type: PolicyType.identity, document: policy.document })),
      ...role.awsManagedPolicyArns.map((arn): NamedPolicy => {
        const document = AWS_MANAGED_POLICIES[arn];
        if (document === undefined) throw new UnknownManagedPolicyError(arn, role.name, Object.keys(AWS_MANAGED_POLICIES));
        return { name: arn, type: PolicyType.identity, document };
      }),
    ],
  }));
  const resourcePolicies = new Map<string, NamedPolicy[]>();
  const add = (resourceArn: string, policy: NamedPolicy) => resourcePolicies.set(resourceArn, [...(resourcePolicies.get(resourceArn) ?? []), policy]);
  for (const permission of plan.lambdaPermissions) {
    add(permission.functionArn, { name: `function permission ${permission.logicalId}`, type: PolicyType.resource, document: { Version: '2012-10-17', Statement: [permissionStatement(permission)] } });
  }
  return {
    scope,
    roles,
    resourcePolicies: [...resourcePolicies].map(([resourceArn, policies]): ResourcePolicies => ({ resourceArn, policies })),
    sessions: plan.functions.flatMap((fn) => (fn.roleArn === undefined ? [] : [{ functionName: fn.name, roleArn: fn.roleArn, credentials: newSessionCredentials() }])),
  };
}

/**
 * An `AWS::Lambda::Permission` as the statement Lambda adds to the function's policy: the
 * principal, the action, and `ArnLike` on `AWS:SourceArn`, `StringEquals` on `AWS:SourceAccount`.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
function permissionStatement(permission: LambdaPermissionPlan): PolicyStatement {
  const { principal } = permission;
  const stated = principal === '*' ? '*' : principal.endsWith('.amazonaws.com') ? { Service: principal } : { AWS: /^\d{12}$/.test(principal) ? `arn:aws:iam::${principal}:root` : principal };
  const condition = {
    ...(permission.sourceArn !== undefined ? { ArnLike: { 'AWS:SourceArn': permission.sourceArn } } : {}),
    ...(permission.sourceAccount !== undefined ? { StringEquals: { 'AWS:SourceAccount': permission.sourceAccount } } : {}),
  };
  return { Sid: permission.logicalId, Effect: 'Allow', Principal: stated, Action: permission.action, Resource: permission.functionArn, ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) };
}

/** The base32 alphabet AWS access key ids are written in. */
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * Credentials shaped as Lambda's: a temporary access key id (`ASIA` and 16 characters), a
 * secret and a session token.
 */
function newSessionCredentials(): SessionCredentials {
  const id = Array.from(randomBytes(16), (byte) => KEY_ALPHABET[byte % KEY_ALPHABET.length]).join('');
  return { accessKeyId: `ASIA${id}`, secretAccessKey: randomBytes(30).toString('base64'), sessionToken: randomBytes(96).toString('base64') };
}
