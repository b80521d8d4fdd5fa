/**
 * What the local cloud enforces, as plain data: the roles with their identity-based policies,
 * the resource-based policies, and which credentials are which function's role session. Plain
 * data so the DynamoDB process, which functions call directly, can enforce the same model.
 */
import type { NamedPolicy } from '#cloud/iam/policy';
import type { ArnScope } from '#cloud/iam/service-actions';

/** A role and every identity-based policy it has (inline, attached, managed). */
export interface RoleDefinition {
  readonly arn: string;
  readonly name: string;
  readonly policies: readonly NamedPolicy[];
}

/** A resource and the resource-based policies the template states for it (a function's permissions). */
export interface ResourcePolicies {
  readonly resourceArn: string;
  readonly policies: readonly NamedPolicy[];
}

/** Credentials of a role session, as Lambda hands them to a function in its environment. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** A function's role session. */
export interface FunctionSession {
  readonly functionName: string;
  readonly roleArn: string;
  readonly credentials: SessionCredentials;
}

/** Everything the local cloud enforces. */
export interface PermissionModel {
  readonly scope: ArnScope;
  readonly roles: readonly RoleDefinition[];
  readonly resourcePolicies: readonly ResourcePolicies[];
  readonly sessions: readonly FunctionSession[];
}
