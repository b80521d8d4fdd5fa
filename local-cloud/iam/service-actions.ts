/**
 * What IAM authorizes for each operation the local services serve: the action or actions, and
 * the resource each applies to. Batch operations authorize their singular action
 * (`DeleteMessageBatch` is `sqs:DeleteMessage`); DynamoDB's transactions authorize each item's
 * own action on its table (there is no `dynamodb:TransactWriteItems` action); an action that
 * names no resource type is authorized on `*`.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-api-permissions-reference.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html
 */
import type { AuthorizationRequest } from '#cloud/iam/evaluation';

/** Where ARNs are made: the account and region of the local cloud. */
export interface ArnScope {
  readonly region: string;
  readonly accountId: string;
}

/** The action that names no resource type is authorized on every resource. */
export const ANY_RESOURCE = '*';

/** An operation's input, as the JSON protocol carries it. */
type Input = Readonly<Record<string, unknown>>;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

// ---------------------------------------------------------------------------------------- SQS

/** A queue's ARN from its URL (`http://host/<account>/<name>`), its name, or its ARN. */
export function queueArnOf(queue: string, scope: ArnScope): string {
  if (queue.startsWith('arn:')) return queue;
  const segments = queue.split('/').filter((segment) => segment !== '');
  const name = segments.at(-1) ?? queue;
  const account = segments.length >= 2 && /^\d{12}$/.test(segments.at(-2) ?? '') ? (segments.at(-2) as string) : scope.accountId;
  return `arn:aws:sqs:${scope.region}:${account}:${name}`;
}

/** The source queue of a message move task, from the opaque handle the local SQS hands out. */
function moveTaskSource(handle: string): string {
  try {
    const { sourceArn } = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { sourceArn?: unknown };
    return typeof sourceArn === 'string' ? sourceArn : ANY_RESOURCE;
  } catch {
    return ANY_RESOURCE;
  }
}

/** SQS operations authorized as one action, by operation name (batches as their singular action). */
const SQS_QUEUE_ACTIONS: Readonly<Record<string, string>> = {
  DeleteQueue: 'sqs:DeleteQueue',
  GetQueueAttributes: 'sqs:GetQueueAttributes',
  SetQueueAttributes: 'sqs:SetQueueAttributes',
  PurgeQueue: 'sqs:PurgeQueue',
  SendMessage: 'sqs:SendMessage',
  SendMessageBatch: 'sqs:SendMessage',
  ReceiveMessage: 'sqs:ReceiveMessage',
  DeleteMessage: 'sqs:DeleteMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibility: 'sqs:ChangeMessageVisibility',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
  ListDeadLetterSourceQueues: 'sqs:ListDeadLetterSourceQueues',
  TagQueue: 'sqs:TagQueue',
  UntagQueue: 'sqs:UntagQueue',
  ListQueueTags: 'sqs:ListQueueTags',
};

/** The requests IAM authorizes for an SQS operation; undefined for an operation it does not know. */
export function sqsAuthorizationRequests(operation: string, input: Input, scope: ArnScope): AuthorizationRequest[] | undefined {
  const queueAction = SQS_QUEUE_ACTIONS[operation];
  if (queueAction !== undefined) return [{ action: queueAction, resource: queueArnOf(text(input.QueueUrl), scope) }];
  const on = (resource: string, ...actions: string[]) => actions.map((action) => ({ action, resource }));
  switch (operation) {
    case 'CreateQueue':
      return on(queueArnOf(text(input.QueueName), scope), 'sqs:CreateQueue');
    case 'GetQueueUrl': {
      const owner = text(input.QueueOwnerAWSAccountId) || scope.accountId;
      return on(`arn:aws:sqs:${scope.region}:${owner}:${text(input.QueueName)}`, 'sqs:GetQueueUrl');
    }
    case 'ListQueues':
      return on(ANY_RESOURCE, 'sqs:ListQueues');
    // The move tasks need the source queue's receive, delete and attributes too, and the send to the destination.
    case 'StartMessageMoveTask': {
      const source = queueArnOf(text(input.SourceArn), scope);
      const destination = text(input.DestinationArn);
      return [
        ...on(source, 'sqs:StartMessageMoveTask', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'),
        ...(destination === '' ? [] : on(queueArnOf(destination, scope), 'sqs:SendMessage')),
      ];
    }
    case 'CancelMessageMoveTask':
      return on(moveTaskSource(text(input.TaskHandle)), 'sqs:CancelMessageMoveTask', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes');
    case 'ListMessageMoveTasks':
      return on(queueArnOf(text(input.SourceArn), scope), 'sqs:ListMessageMoveTasks', 'sqs:GetQueueAttributes');
    default:
      return undefined;
  }
}

// ----------------------------------------------------------------------------------- DynamoDB

/** A table's ARN from its name (DynamoDB also takes the ARN itself as `TableName`). */
export function tableArnOf(table: string, scope: ArnScope): string {
  return table.startsWith('arn:') ? table : `arn:aws:dynamodb:${scope.region}:${scope.accountId}:table/${table}`;
}

/** DynamoDB operations authorized as the same-named action on the table named by `TableName`. */
const DYNAMODB_TABLE_OPERATIONS = new Set(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'DescribeTable', 'CreateTable', 'DeleteTable', 'UpdateTable', 'DescribeTimeToLive']);

/** A transaction item's kind -> the action it is authorized as. */
const TRANSACT_WRITE_ACTIONS: Readonly<Record<string, string>> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
};

/** The requests IAM authorizes for a DynamoDB operation; undefined for an operation it does not know. */
export function dynamoDbAuthorizationRequests(operation: string, input: Input, scope: ArnScope): AuthorizationRequest[] | undefined {
  const table = (name: unknown) => tableArnOf(text(name), scope);
  if (DYNAMODB_TABLE_OPERATIONS.has(operation)) return [{ action: `dynamodb:${operation}`, resource: table(input.TableName) }];
  switch (operation) {
    case 'Query':
    case 'Scan': {
      const index = text(input.IndexName);
      return [{ action: `dynamodb:${operation}`, resource: index === '' ? table(input.TableName) : `${table(input.TableName)}/index/${index}` }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys((input.RequestItems as Input | undefined) ?? {}).map((name) => ({ action: `dynamodb:${operation}`, resource: table(name) }));
    case 'TransactWriteItems': {
      // Plain loops: this runs for every transaction a function makes.
      const requests: AuthorizationRequest[] = [];
      for (const item of (input.TransactItems as readonly Input[] | undefined) ?? []) {
        for (const kind in item) {
          const action = TRANSACT_WRITE_ACTIONS[kind];
          if (action !== undefined) requests.push({ action, resource: table((item[kind] as Input).TableName) });
        }
      }
      return requests;
    }
    case 'TransactGetItems':
      return ((input.TransactItems as readonly Input[] | undefined) ?? []).map((item) => ({ action: 'dynamodb:GetItem', resource: table((item.Get as Input | undefined)?.TableName) }));
    case 'ListTables':
      return [{ action: 'dynamodb:ListTables', resource: ANY_RESOURCE }];
    case 'TagResource':
    case 'UntagResource':
    case 'ListTagsOfResource':
      return [{ action: `dynamodb:${operation}`, resource: text(input.ResourceArn) }];
    default:
      return undefined;
  }
}

// -------------------------------------------------------------------------------- EventBridge

/** The default event bus's name, which an entry or call without `EventBusName` means. */
const DEFAULT_BUS = 'default';

/** A bus's ARN from its name or ARN. */
export function eventBusArnOf(bus: unknown, scope: ArnScope): string {
  const name = text(bus) || DEFAULT_BUS;
  return name.startsWith('arn:') ? name : `arn:aws:events:${scope.region}:${scope.accountId}:event-bus/${name}`;
}

/** A rule's ARN: `rule/<name>` on the default bus, `rule/<bus>/<name>` on another. */
function ruleArnOf(input: Input, scope: ArnScope): string {
  const bus = (text(input.EventBusName) || DEFAULT_BUS).split('/').pop() as string;
  const name = text(input.Name) || text(input.Rule);
  return `arn:aws:events:${scope.region}:${scope.accountId}:rule/${bus === DEFAULT_BUS ? name : `${bus}/${name}`}`;
}

/**
 * The requests IAM authorizes for an EventBridge operation; undefined for an operation it does
 * not know. PutEvents is authorized entry by entry (see `putEventsEntryRequest`), not here.
 */
export function eventBridgeAuthorizationRequests(operation: string, input: Input, scope: ArnScope): AuthorizationRequest[] | undefined {
  const arn = (resource: string) => `arn:aws:events:${scope.region}:${scope.accountId}:${resource}`;
  const action = `events:${operation}`;
  switch (operation) {
    case 'CreateEventBus':
    case 'DescribeEventBus':
    case 'DeleteEventBus':
      return [{ action, resource: eventBusArnOf(input.Name, scope) }];
    case 'PutRule':
    case 'DescribeRule':
    case 'DeleteRule':
    case 'EnableRule':
    case 'DisableRule':
    case 'PutTargets':
    case 'RemoveTargets':
    case 'ListTargetsByRule':
      return [{ action, resource: ruleArnOf(input, scope) }];
    case 'CreateArchive':
      return [
        { action, resource: arn(`archive/${text(input.ArchiveName)}`) },
        { action, resource: text(input.EventSourceArn) },
      ];
    case 'DescribeArchive':
    case 'DeleteArchive':
      return [{ action, resource: arn(`archive/${text(input.ArchiveName)}`) }];
    case 'StartReplay':
      return [
        { action, resource: arn(`replay/${text(input.ReplayName)}`) },
        { action, resource: text(input.EventSourceArn) },
        { action, resource: text((input.Destination as Input | undefined)?.Arn) },
      ];
    case 'DescribeReplay':
    case 'CancelReplay':
      return [{ action, resource: arn(`replay/${text(input.ReplayName)}`) }];
    case 'ListEventBuses':
    case 'ListRules':
    case 'TestEventPattern':
    case 'ListArchives':
    case 'ListReplays':
      return [{ action, resource: ANY_RESOURCE }];
    default:
      return undefined;
  }
}

/** The keys PutEvents authorizes each entry with. @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html */
export const PUT_EVENTS_CONTEXT_KEYS = { source: 'events:source', detailType: 'events:detail-type' } as const;

/** One PutEvents entry's request on its bus, with its `events:source` and `events:detail-type`. */
export function putEventsEntryRequest(entry: Input, scope: ArnScope): { request: AuthorizationRequest; context: Readonly<Record<string, string>> } {
  return {
    request: { action: 'events:PutEvents', resource: eventBusArnOf(entry.EventBusName, scope) },
    context: { [PUT_EVENTS_CONTEXT_KEYS.source]: text(entry.Source), [PUT_EVENTS_CONTEXT_KEYS.detailType]: text(entry.DetailType) },
  };
}

// ------------------------------------------------------------------------- Logs and Lambda

/** The two calls Lambda makes with a function's role to write its logs, on the log stream. */
export function logDeliveryRequests(logGroupName: string, logStreamName: string, scope: ArnScope): AuthorizationRequest[] {
  const resource = `arn:aws:logs:${scope.region}:${scope.accountId}:log-group:${logGroupName}:log-stream:${logStreamName}`;
  return [
    { action: 'logs:CreateLogStream', resource },
    { action: 'logs:PutLogEvents', resource },
  ];
}
