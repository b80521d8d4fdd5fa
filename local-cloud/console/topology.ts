/**
 * The running stack as a graph, read from its plan: HTTP routes, functions, buses, rules (with
 * their patterns), queues and their DLQs, tables. Edges come from the wiring the template
 * declares (routes, rule targets and their DLQs, redrive policies, event source mappings) and
 * from what each function's role allows it (PutEvents on a bus, DynamoDB on a table,
 * SendMessage to a queue), so a function's arrows are exactly its permissions.
 */
import type { PolicyStatement } from '#cloud/iam/policy';
import { queueNameOfArn } from '#cloud/events/target-delivery';
import type { StackPlan } from '#cloud/template/stack-plan';

/** The kinds of node. */
export const NodeKind = {
  route: 'route',
  function: 'function',
  bus: 'bus',
  rule: 'rule',
  queue: 'queue',
  table: 'table',
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

/** The kinds of edge: what crosses it. */
export const EdgeKind = {
  /** An HTTP request invokes a function. */
  request: 'request',
  /** A function puts events on a bus. */
  publishes: 'publishes',
  /** A bus hands an event to a rule that matched it. */
  matches: 'matches',
  /** A rule delivers to its target queue. */
  delivers: 'delivers',
  /** A rule dead-letters what it could not deliver. */
  targetDeadLetter: 'target-dead-letter',
  /** A queue's redrive policy moves a message to its DLQ. */
  redrive: 'redrive',
  /** An event source mapping hands a queue's messages to a function. */
  polls: 'polls',
  /** A function sends to a queue (a handler parking a record in its DLQ). */
  sends: 'sends',
  /** A function reads or writes a table. */
  accesses: 'accesses',
} as const;
export type EdgeKind = (typeof EdgeKind)[keyof typeof EdgeKind];

/** A resource of the stack. */
export interface TopologyNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** The physical name (a route's key). */
  readonly name: string;
  /** A short name for the picture: the stack's prefix and CloudFormation's hash suffix left out. */
  readonly label: string;
  /** For a rule: its event pattern. */
  readonly pattern?: string;
  /** For a queue: whether it is some queue's DLQ or a rule target's. */
  readonly deadLetter?: boolean;
}

/** A way things go from one resource to another. */
export interface TopologyEdge {
  readonly id: string;
  readonly kind: EdgeKind;
  readonly source: string;
  readonly target: string;
}

/** The graph. */
export interface Topology {
  readonly nodes: readonly TopologyNode[];
  readonly edges: readonly TopologyEdge[];
}

/** Node ids, one per resource. */
export const nodeId = {
  route: (routeKey: string) => `route:${routeKey}`,
  function: (name: string) => `function:${name}`,
  bus: (name: string) => `bus:${name}`,
  rule: (name: string) => `rule:${name}`,
  queue: (name: string) => `queue:${name}`,
  table: (name: string) => `table:${name}`,
} as const;

/** The id of the edge of `kind` from `source` to `target`. */
export function edgeId(kind: EdgeKind, source: string, target: string): string {
  return `${kind}|${source}|${target}`;
}

/** The graph of a planned stack. */
export function topologyOf(plan: StackPlan): Topology {
  const nodes = new Map<string, TopologyNode>();
  const edges = new Map<string, TopologyEdge>();
  const label = (name: string) => shortName(name, plan.stackName);
  const addNode = (node: TopologyNode) => nodes.set(node.id, node);
  const addEdge = (kind: EdgeKind, source: string, target: string) => {
    if (nodes.has(source) && nodes.has(target)) edges.set(edgeId(kind, source, target), { id: edgeId(kind, source, target), kind, source, target });
  };

  const deadLetterQueues = new Set<string>();
  for (const queue of plan.queues) if (queue.deadLetterQueueName !== undefined) deadLetterQueues.add(queue.deadLetterQueueName);
  for (const rule of plan.rules) for (const target of rule.Targets) {
    const deadLetterArn = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
    if (deadLetterArn !== undefined) deadLetterQueues.add(queueNameOfArn(deadLetterArn));
  }

  for (const route of plan.routes) addNode({ id: nodeId.route(route.routeKey), kind: NodeKind.route, name: route.routeKey, label: route.routeKey });
  for (const fn of plan.functions) addNode({ id: nodeId.function(fn.name), kind: NodeKind.function, name: fn.name, label: label(fn.name) });
  for (const bus of plan.buses) addNode({ id: nodeId.bus(bus), kind: NodeKind.bus, name: bus, label: label(bus) });
  for (const rule of plan.rules) addNode({ id: nodeId.rule(rule.Name), kind: NodeKind.rule, name: rule.Name, label: label(rule.Name), pattern: rule.EventPattern });
  for (const queue of plan.queues) addNode({ id: nodeId.queue(queue.QueueName), kind: NodeKind.queue, name: queue.QueueName, label: label(queue.QueueName), deadLetter: deadLetterQueues.has(queue.QueueName) });
  for (const table of plan.tables) addNode({ id: nodeId.table(table.TableName), kind: NodeKind.table, name: table.TableName, label: label(table.TableName) });

  for (const route of plan.routes) addEdge(EdgeKind.request, nodeId.route(route.routeKey), nodeId.function(route.functionName));
  for (const rule of plan.rules) {
    addEdge(EdgeKind.matches, nodeId.bus(rule.EventBusName), nodeId.rule(rule.Name));
    for (const target of rule.Targets) {
      addEdge(EdgeKind.delivers, nodeId.rule(rule.Name), nodeId.queue(queueNameOfArn(String(target.Arn))));
      const deadLetterArn = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
      if (deadLetterArn !== undefined) addEdge(EdgeKind.targetDeadLetter, nodeId.rule(rule.Name), nodeId.queue(queueNameOfArn(deadLetterArn)));
    }
  }
  for (const queue of plan.queues) if (queue.deadLetterQueueName !== undefined) addEdge(EdgeKind.redrive, nodeId.queue(queue.QueueName), nodeId.queue(queue.deadLetterQueueName));
  for (const mapping of plan.eventSourceMappings) addEdge(EdgeKind.polls, nodeId.queue(mapping.queueName), nodeId.function(mapping.functionName));

  const rolesByArn = new Map(plan.roles.map((role) => [role.arn, role]));
  for (const fn of plan.functions) {
    const statements = (fn.roleArn === undefined ? [] : (rolesByArn.get(fn.roleArn)?.policies ?? [])).flatMap((policy) => listOf(policy.document.Statement));
    const allows = (prefix: string, resource: string) =>
      statements.some((statement) => statement.Effect === 'Allow' && actionsOf(statement).some((action) => action.startsWith(prefix)) && listOf(statement.Resource).some((allowed) => allowed === resource || allowed.startsWith(`${resource}/`)));
    for (const bus of plan.buses) if (allows('events:PutEvents', arnLike(fn.arn, 'events', `event-bus/${bus}`))) addEdge(EdgeKind.publishes, nodeId.function(fn.name), nodeId.bus(bus));
    for (const table of plan.tables) if (allows('dynamodb:', arnLike(fn.arn, 'dynamodb', `table/${table.TableName}`))) addEdge(EdgeKind.accesses, nodeId.function(fn.name), nodeId.table(table.TableName));
    for (const queue of plan.queues) if (allows('sqs:SendMessage', arnLike(fn.arn, 'sqs', queue.QueueName))) addEdge(EdgeKind.sends, nodeId.function(fn.name), nodeId.queue(queue.QueueName));
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * `OrderPipeline-ReserveInventoryQueue5F4F857F` -> `ReserveInventoryQueue`: CloudFormation names
 * a resource `<stack>-<logical id>`, and CDK ends a logical id with an 8-digit hash.
 */
export function shortName(name: string, stackName: string): string {
  const withoutStack = name.startsWith(`${stackName}-`) ? name.slice(stackName.length + 1) : name;
  return withoutStack.replace(/[0-9A-F]{8}$/, '') || withoutStack;
}

/** An ARN of `service` in the account and region of `sibling` (another ARN). */
function arnLike(sibling: string, service: string, resource: string): string {
  const [, partition, , region, account] = sibling.split(':');
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

function actionsOf(statement: PolicyStatement): string[] {
  return listOf(statement.Action);
}

function listOf<T>(value: T | readonly T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];
}
