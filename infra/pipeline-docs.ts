/**
 * The README's views of the pipeline, rendered from its declaration: the event catalog and the
 * flow diagram. A test compares them with README.md and, when they differ, fails with the text
 * to paste, so the README cannot drift from the declaration.
 */
import { EventSourceOf, type DetailType } from '#shared/contracts';
import { FunctionAccess } from '#shared/pipeline-access';
import { PIPELINE_GRAPH, type PipelineGraph } from '#shared/pipeline-graph';
import { TABLE_NAMES } from '#shared/tables';

/** The README sections rendered here, each between `<!-- begin NAME -->` and `<!-- end NAME -->`. */
export const ReadmeSection = { eventCatalog: 'event-catalog', flowDiagram: 'flow-diagram', permissions: 'permissions' } as const;
export type ReadmeSection = (typeof ReadmeSection)[keyof typeof ReadmeSection];

/** The markdown table of every event: its source, who emits it and who consumes it. */
export function eventCatalog(graph: PipelineGraph = PIPELINE_GRAPH): string {
  const rows = graph.lifeCycleOrder.flatMap((type) => {
    const producer = graph.producers.get(type);
    if (producer === undefined) return [];
    const consumers = graph.stepNames.filter((step) => type in graph.step(step).consumes);
    return [`| ${type} | ${EventSourceOf[type]} | ${emitter(graph, producer)} | ${consumers.join(', ') || '-'} |`];
  });
  return ['| detail-type | source | emitted by | consumed by |', '|---|---|---|---|', ...rows].join('\n');
}

/** The Mermaid flowchart: the HTTP routes, every event each function puts on the bus, every step the bus feeds, the read model. */
export function flowDiagram(graph: PipelineGraph = PIPELINE_GRAPH): string {
  const lines = ['```mermaid', 'flowchart LR'];
  let bus = 'bus{{OrderBus}}';
  const toBus = (name: string, type: DetailType) => {
    lines.push(`  ${nodeId(name)} -- ${type} --> ${bus}`);
    bus = 'bus';
  };
  let client = 'client([client])';
  for (const name of graph.httpFunctionNames) {
    const declaration = graph.declaration.http[name];
    lines.push(`  ${client} -- "${declaration?.route ?? ''}" --> ${nodeId(name)}[${name}]`);
    client = 'client';
  }
  for (const name of graph.httpFunctionNames) for (const type of Object.keys(graph.function(name).produces) as DetailType[]) toBus(name, type);
  for (const step of graph.stepNames) {
    lines.push(`  ${bus} --> ${nodeId(step)}[${step}]`);
    bus = 'bus';
    for (const type of Object.keys(graph.step(step).produces) as DetailType[]) toBus(step, type);
  }
  let orders = 'orders[(Orders read model)]';
  for (const name of [...graph.httpFunctionNames, ...graph.stepNames]) {
    const uses = graph.function(name).uses ?? [];
    if (uses.includes('orderViews') || uses.includes('orderViewReader') || uses.includes('orderLister')) {
      lines.push(`  ${nodeId(name)} --> ${orders}`);
      orders = 'orders';
    }
  }
  return [...lines, '```'].join('\n');
}

/** The markdown table of what each function may do: its IAM policy besides its own log group. */
export function permissions(graph: PipelineGraph = PIPELINE_GRAPH): string {
  const short = (actions: readonly string[]) => actions.map((action) => action.replace(/^[a-z]+:/, '')).join(', ');
  const rows = [...graph.httpFunctionNames, ...graph.stepNames].map((name) => {
    const access = FunctionAccess.in(graph, name);
    const title = (table: string) => `${table[0]?.toUpperCase()}${table.slice(1)}`;
    const tables = TABLE_NAMES.flatMap((table) => {
      const actions = access.tableActions(table);
      return actions.length === 0 ? [] : [`${title(table)}: ${short(actions)}`];
    });
    const indexes = access.grants.flatMap((grant) => (grant.target.kind === 'index' ? [`${title(grant.target.table)} index ${grant.target.index}: ${short(grant.actions)}`] : []));
    const bus = access.grants.find((grant) => grant.target.kind === 'bus');
    const queues = access.grants.flatMap((grant) => (grant.target.kind === 'queue' ? [`queue: ${short(grant.actions)}`] : grant.target.kind === 'deadLetterQueue' ? [`DLQ: ${short(grant.actions)}`] : []));
    return `| ${name} | ${[...tables, ...indexes].join('; ') || '-'} | ${bus?.sources?.join(', ') ?? '-'} | ${queues.join('; ') || '-'} |`;
  });
  return ['| function | DynamoDB | PutEvents, `events:source` | SQS, its own |', '|---|---|---|---|', ...rows].join('\n');
}

/** Each section's rendering. */
export const README_SECTIONS: Readonly<Record<ReadmeSection, () => string>> = {
  [ReadmeSection.eventCatalog]: eventCatalog,
  [ReadmeSection.flowDiagram]: flowDiagram,
  [ReadmeSection.permissions]: permissions,
};

/** The text of `section` in `readme`, between its markers; `undefined` when the markers are missing. */
export function readmeSection(readme: string, section: ReadmeSection): string | undefined {
  const match = new RegExp(`<!-- begin ${section} -->\\n([\\s\\S]*?)\\n<!-- end ${section} -->`).exec(readme);
  return match?.[1];
}

function emitter(graph: PipelineGraph, name: string): string {
  const route = graph.declaration.http[name]?.route;
  if (route !== undefined) return `${name} (\`${route}\`)`;
  return graph.declaration.steps[name]?.compensation ? `${name} (compensation)` : name;
}

/** A Mermaid node id for a function: camelCase, since dashes read as edges. */
function nodeId(name: string): string {
  return name.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}
