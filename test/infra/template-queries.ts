/**
 * Small read-only queries over a synthesized CloudFormation template, shared by the infra tests.
 */

/** A resource as it appears in the template. */
export interface CfnResourceJson {
  readonly Type: string;
  readonly Properties?: Record<string, any>;
  readonly Metadata?: Record<string, any>;
}

/** The template as JSON. */
export interface TemplateJson {
  readonly Resources: Record<string, CfnResourceJson>;
  readonly Outputs?: Record<string, any>;
}

/** Every resource of `type`, as [logicalId, resource] pairs. */
export function resourcesOfType(template: TemplateJson, type: string): [string, CfnResourceJson][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

/** The logical id a `{ Ref }` or `{ Fn::GetAtt: [id, attr] }` points to. */
export function referencedId(value: unknown): string {
  if (value && typeof value === 'object') {
    const ref = (value as { Ref?: unknown }).Ref;
    if (typeof ref === 'string') return ref;
    const getAtt = (value as { 'Fn::GetAtt'?: unknown })['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  }
  throw new Error(`not a Ref or Fn::GetAtt: ${JSON.stringify(value)}`);
}

/** A statement of an IAM policy. */
export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource?: unknown;
  readonly Condition?: unknown;
}

/** The statements of the IAM policies attached to `roleId`, in order (AWS-managed policies excluded). */
export function policyStatements(template: TemplateJson, roleId: string): PolicyStatementJson[] {
  return resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties?.Roles as unknown[]).some((role) => referencedId(role) === roleId))
    .flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as PolicyStatementJson[]);
}

/** Every action the IAM policies attached to `roleId` allow (AWS-managed policies excluded). */
export function allowedActions(template: TemplateJson, roleId: string): string[] {
  return policyStatements(template, roleId)
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => (Array.isArray(statement.Action) ? statement.Action : [statement.Action]));
}
