/**
 * What each function may do on AWS, computed from the pipeline's declaration and the operations
 * each adapter performs (`adapters/access.ts`): the CDK stack turns this into the function's IAM
 * policy and environment, and nothing else grants a function anything. A step that records gets
 * the ledger; one whose outcomes move stock gets UpdateItem on Inventory; one that produces
 * events gets PutEvents for their sources only; an SQS-fed step gets what its event source
 * mapping needs on its queue and SendMessage on its DLQ to park records.
 */
import { EventSourceOf, type DetailType, type EventSource } from '#shared/contracts';
import { TABLE_NAME_ENV, EnvName } from '#shared/config';
import {
  ADAPTER_ACCESS,
  EVENT_SOURCE_MAPPING_ACTIONS,
  PARKING_ACTIONS,
  PUBLISHING_ACTIONS,
  type AdapterCapability,
  type DynamoDbAction,
  type TableAccess,
} from '#shared/adapters/access';
import { PIPELINE_GRAPH, type FunctionName, type PipelineGraph } from '#shared/pipeline-graph';
import { INDEXES, TABLE_NAMES, type TableName } from '#shared/tables';

/** The resource a grant is on: a table, an index of a table, the bus, or the function's own queue or DLQ. */
export type GrantTarget =
  | { readonly kind: 'table'; readonly table: TableName }
  | { readonly kind: 'index'; readonly table: TableName; readonly index: string }
  | { readonly kind: 'bus' }
  | { readonly kind: 'queue' }
  | { readonly kind: 'deadLetterQueue' };

/** A variable naming a resource a function is granted: a table's or the bus's. */
export type ResourceNameEnv = (typeof TABLE_NAME_ENV)[TableName] | typeof EnvName.eventBusName;

/** Actions allowed on one resource, and for PutEvents the event sources allowed. */
export interface Grant {
  readonly target: GrantTarget;
  /** Sorted. */
  readonly actions: readonly string[];
  /** For PutEvents: the `events:source` values the function may publish. */
  readonly sources?: readonly EventSource[];
}

/**
 * A function's access, only ever computed from the declaration (the constructor is private):
 * the CDK stack accepts nothing else, so a grant cannot be written apart from it.
 */
export class FunctionAccess {
  /** The function. */
  readonly name: string;
  /** Its grants, tables first (in table order), then indexes, the bus, its queue and its DLQ. */
  readonly grants: readonly Grant[];
  /** The environment variables it needs for them: the names of its tables and of the bus. */
  readonly environment: readonly ResourceNameEnv[];

  private constructor(name: string, grants: readonly Grant[]) {
    this.name = name;
    this.grants = grants;
    const tables = new Set(grants.flatMap((grant) => (grant.target.kind === 'table' || grant.target.kind === 'index' ? [TABLE_NAME_ENV[grant.target.table]] : [])));
    this.environment = [...tables, ...(grants.some((grant) => grant.target.kind === 'bus') ? [EnvName.eventBusName] : [])];
  }

  /** The access of function `name` of the order pipeline. */
  static of(name: FunctionName): FunctionAccess {
    return FunctionAccess.in(PIPELINE_GRAPH, name);
  }

  /** The access of function `name` of `graph` (tests use small pipelines). */
  static in(graph: PipelineGraph, name: string): FunctionAccess {
    const declaration = graph.function(name);
    const isStep = graph.stepNames.includes(name);
    const capabilities: AdapterCapability[] = [...(declaration.uses ?? [])];
    if (isStep && graph.records(name)) capabilities.push('ledgerRecorder');
    else if (isStep && graph.readsLedger(name)) capabilities.push('ledgerReader');
    if (graph.movesStock(name)) capabilities.push('stockMover');

    const grants: Grant[] = [];
    const actionsOn = (resource: string) => new Set<DynamoDbAction>(capabilities.flatMap((capability): readonly DynamoDbAction[] => (ADAPTER_ACCESS[capability] as TableAccess)[resource as keyof TableAccess] ?? []));
    for (const table of TABLE_NAMES) {
      const actions = actionsOn(table);
      if (actions.size > 0) grants.push({ target: { kind: 'table', table }, actions: [...actions].sort() });
    }
    for (const { path, table, index } of INDEXES) {
      const actions = actionsOn(path);
      if (actions.size > 0) grants.push({ target: { kind: 'index', table, index }, actions: [...actions].sort() });
    }
    const produced = Object.keys(declaration.produces) as DetailType[];
    if (produced.length > 0) {
      grants.push({ target: { kind: 'bus' }, actions: [...PUBLISHING_ACTIONS], sources: [...new Set(produced.map((type) => EventSourceOf[type]))].sort() });
    }
    if (isStep) {
      grants.push({ target: { kind: 'queue' }, actions: [...EVENT_SOURCE_MAPPING_ACTIONS].sort() });
      grants.push({ target: { kind: 'deadLetterQueue' }, actions: [...PARKING_ACTIONS] });
    }
    return new FunctionAccess(name, grants);
  }

  /** The actions granted on table `table` itself, not its indexes (none: an empty list). */
  tableActions(table: TableName): readonly string[] {
    return this.grants.find((grant) => grant.target.kind === 'table' && grant.target.table === table)?.actions ?? [];
  }
}
