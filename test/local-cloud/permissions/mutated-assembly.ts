/**
 * A copy of the synthesized assembly with its template edited, to see what the local cloud does
 * with a stack whose permissions are wrong in a known way. `npm start -- --assembly DIR` runs
 * such a copy too.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CloudFormationTemplate } from '#cloud/template/stack-plan';

const TEMPLATE = 'OrderPipeline.template.json';

/** A template resource, properties as synthesized (intrinsics unresolved). */
type Resource = CloudFormationTemplate['Resources'][string];
type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: Record<string, unknown> };

/** Copies `assemblyDirectory` into a new temporary directory and edits its template; returns the copy's path. */
export function mutatedAssembly(assemblyDirectory: string, edit: (template: CloudFormationTemplate) => void): string {
  const copy = mkdtempSync(join(tmpdir(), 'mutated-assembly-'));
  cpSync(assemblyDirectory, copy, { recursive: true });
  const template = JSON.parse(readFileSync(join(copy, TEMPLATE), 'utf8')) as CloudFormationTemplate;
  edit(template);
  writeFileSync(join(copy, TEMPLATE), JSON.stringify(template, null, 1));
  return copy;
}

/** The logical id of the one resource whose id starts with `prefix` and has `type`. */
export function logicalIdOf(template: CloudFormationTemplate, prefix: string, type: string): string {
  const ids = Object.entries(template.Resources).filter(([id, resource]) => id.startsWith(prefix) && resource.Type === type).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one ${type} named ${prefix}…, found ${ids.join(', ') || 'none'}`);
  return ids[0] as string;
}

/** The statements of every `AWS::IAM::Policy` attached to the role whose logical id starts with `rolePrefix`. */
export function statementsOfRole(template: CloudFormationTemplate, rolePrefix: string): Statement[] {
  const role = logicalIdOf(template, rolePrefix, 'AWS::IAM::Role');
  return Object.values(template.Resources)
    .filter((resource: Resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.Roles).includes(`"${role}"`))
    .flatMap((resource) => (resource.Properties?.PolicyDocument as { Statement: Statement[] }).Statement);
}

/** Adds `statement` to the first `AWS::IAM::Policy` attached to the role whose logical id starts with `rolePrefix`. */
export function addStatement(template: CloudFormationTemplate, rolePrefix: string, statement: Statement): void {
  const role = logicalIdOf(template, rolePrefix, 'AWS::IAM::Role');
  const policy = Object.values(template.Resources).find((resource) => resource.Type === 'AWS::IAM::Policy' && JSON.stringify(resource.Properties?.Roles).includes(`"${role}"`));
  if (policy === undefined) throw new Error(`role ${role} has no policy to add to`);
  (policy.Properties?.PolicyDocument as { Statement: Statement[] }).Statement.push(statement);
}

/** Removes the actions `remove` picks (in the statement it is in) from every statement of the role's policies (and statements left empty). */
export function removeActions(template: CloudFormationTemplate, rolePrefix: string, remove: (action: string, statement: Statement) => boolean): void {
  const role = logicalIdOf(template, rolePrefix, 'AWS::IAM::Role');
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::IAM::Policy' || !JSON.stringify(resource.Properties?.Roles).includes(`"${role}"`)) continue;
    const document = resource.Properties?.PolicyDocument as { Statement: Statement[] };
    document.Statement = document.Statement.flatMap((statement) => {
      const actions = (Array.isArray(statement.Action) ? statement.Action : [statement.Action]).filter((action) => !remove(action, statement));
      return actions.length === 0 ? [] : [{ ...statement, Action: actions }];
    });
  }
}

/** Removes the resources whose logical ids `matches` picks. */
export function removeResources(template: CloudFormationTemplate, matches: (logicalId: string, resource: Resource) => boolean): void {
  for (const [logicalId, resource] of Object.entries(template.Resources)) if (matches(logicalId, resource)) delete template.Resources[logicalId];
}
