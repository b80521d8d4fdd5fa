/**
 * A function's IAM policy, from its `FunctionAccess` (computed from the pipeline's declaration),
 * and the role that holds it. The role is sealed once the policy is in: a `grant*` call on the
 * function or its role afterwards throws, so no grant can be written apart from the declaration.
 */
import { Role, type AddToPrincipalPolicyResult, type IManagedPolicy, type Policy, PolicyStatement, type RoleProps } from 'aws-cdk-lib/aws-iam';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionAccess, GrantTarget } from '#shared/pipeline-access';
import type { TableName } from '#shared/tables';

/** The resources a function's grants can be on. */
export interface GrantTargets {
  readonly bus: IEventBus;
  readonly tables: Readonly<Record<TableName, ITable>>;
  /**
   * The queue the function's event source mapping polls.
   * @default - none: an access that needs it fails
   */
  readonly queue?: IQueue;
  /**
   * The DLQ the function parks records in.
   * @default - none: an access that needs it fails
   */
  readonly deadLetterQueue?: IQueue;
}

/**
 * One statement per grant, each on exactly its resource. PutEvents is conditioned on
 * `events:source`, which EventBridge checks entry by entry (a refused entry fails with
 * `NotAuthorizedForSourceException`), so a function can publish only its own events' sources.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEventsResultEntry.html
 */
export function policyStatements(access: FunctionAccess, targets: GrantTargets): PolicyStatement[] {
  return access.grants.map(
    (grant) =>
      new PolicyStatement({
        actions: [...grant.actions],
        resources: [arnOf(grant.target, targets, access.name)],
        ...(grant.sources === undefined ? {} : { conditions: { StringEquals: { 'events:source': [...grant.sources] } } }),
      }),
  );
}

function arnOf(target: GrantTarget, targets: GrantTargets, functionName: string): string {
  switch (target.kind) {
    case 'table':
      return targets.tables[target.table].tableArn;
    case 'index':
      // The index's ARN, as IAM authorizes a Query of it: https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html#amazondynamodb-resources-for-iam-policies
      return `${targets.tables[target.table].tableArn}/index/${target.index}`;
    case 'bus':
      return targets.bus.eventBusArn;
    case 'queue':
    case 'deadLetterQueue': {
      const queue = targets[target.kind];
      if (queue === undefined) throw new Error(`${functionName}'s access needs its ${target.kind}, and none was given`);
      return queue.queueArn;
    }
  }
}

/** Properties of a `DeclaredAccessRole`. */
export interface DeclaredAccessRoleProps extends RoleProps {
  /** Where to look when a grant is refused (named in the error). */
  readonly declaredIn: string;
}

/**
 * A role whose policy is complete once `seal()` is called: afterwards every way to add to it
 * throws, naming where its grants are declared. (CDK's own immutable roles drop additions
 * silently; a silent drop would surface only as AccessDenied at run time.)
 */
export class DeclaredAccessRole extends Role {
  readonly #declaredIn: string;
  #sealed = false;

  constructor(scope: Construct, id: string, props: DeclaredAccessRoleProps) {
    const { declaredIn, ...roleProps } = props;
    super(scope, id, roleProps);
    this.#declaredIn = declaredIn;
  }

  /** Refuses any further addition to the role's policies. */
  seal(): void {
    this.#sealed = true;
  }

  override addToPrincipalPolicy(statement: PolicyStatement): AddToPrincipalPolicyResult {
    this.#refuseIfSealed(`a statement allowing ${statement.actions.join(', ')}`);
    return super.addToPrincipalPolicy(statement);
  }

  override attachInlinePolicy(policy: Policy): void {
    this.#refuseIfSealed(`the policy ${policy.node.path}`);
    super.attachInlinePolicy(policy);
  }

  override addManagedPolicy(policy: IManagedPolicy): void {
    this.#refuseIfSealed('a managed policy');
    super.addManagedPolicy(policy);
  }

  #refuseIfSealed(what: string): void {
    if (this.#sealed) {
      throw new Error(`${this.node.path}: refused ${what}. A function's grants are computed from what it is declared to use and produce: change ${this.#declaredIn}, not the stack.`);
    }
  }
}
