/**
 * The local cloud authorizes each function's calls against its role's policies, as AWS does,
 * with real SDK v3 clients signed with a function's role session credentials: refusals carry
 * each service's error code, status and AWS's message; they are reported; allowed calls are
 * recorded, and the grants no call used are listed.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AccessRefusal } from '#cloud/iam/access-denied';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { anOrder } from '#test/support/factories';
import { customerAuthorization } from '#test/support/customers';
import { until } from '#test/support/until';
import { administratorClients, clientsOf, functionOf, queueOf, sessionArnOf, tableOf } from './cloud-roles.ts';

/** The error a rejected SDK call threw, for its name, message and status. */
async function failureOf(call: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await call;
  } catch (error) {
    const failure = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { name: failure.name, message: failure.message, status: failure.$metadata?.httpStatusCode };
  }
  throw new Error('the call was allowed');
}

describe('local cloud permissions: a function calls AWS as its execution role', () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'local-cloud-permissions-'));
  const logFile = join(logDirectory, 'functions.log');
  const refusals: AccessRefusal[] = [];
  let cloud: LocalCloud;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory'), functionLogs: { file: logFile }, onAccessDenied: (refusal) => refusals.push(refusal) });
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(logDirectory, { recursive: true, force: true });
  });

  it("refuses a DynamoDB write the role lacks on the function's direct endpoint, with DynamoDB's AccessDeniedException and AWS's message", async () => {
    // Prepare
    const getOrder = functionOf(cloud, 'GetOrderFunction');
    const { dynamodb } = clientsOf(cloud, getOrder);
    const orders = tableOf(cloud, 'Orders');
    // Act
    const failure = await failureOf(dynamodb.send(new PutItemCommand({ TableName: orders.name, Item: { orderId: { S: 'permission-test' } } })));
    const read = await dynamodb.send(new GetItemCommand({ TableName: orders.name, Key: { orderId: { S: 'permission-test' } } }));
    dynamodb.destroy();
    // Assess
    expect(failure).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: ${sessionArnOf(getOrder)} is not authorized to perform: dynamodb:PutItem on resource: ${orders.arn} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(read.Item).toBeUndefined();
  });

  it('decides DynamoDB calls that come through the gateway the same way', async () => {
    // Prepare
    const getOrder = functionOf(cloud, 'GetOrderFunction');
    const { dynamodbThroughGateway } = clientsOf(cloud, getOrder);
    // Act
    const failure = await failureOf(dynamodbThroughGateway.send(new PutItemCommand({ TableName: tableOf(cloud, 'Orders').name, Item: { orderId: { S: 'permission-test' } } })));
    dynamodbThroughGateway.destroy();
    // Assess
    expect(failure).toMatchObject({ name: 'AccessDeniedException', status: 400 });
  });

  it("authorizes each item of a transaction as its own action: a Put on a table the role can't write refuses the whole transaction", async () => {
    // Prepare: reserve-inventory may write the ledger and the inventory, not the orders.
    const reserveInventory = functionOf(cloud, 'ReserveInventoryFunction');
    const { dynamodb } = clientsOf(cloud, reserveInventory);
    const [ledger, orders] = [tableOf(cloud, 'Ledger'), tableOf(cloud, 'Orders')];
    // Act
    const failure = await failureOf(
      dynamodb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: ledger.name, Item: { orderId: { S: 'tx-test' }, step: { S: 'test' } } } },
            { Put: { TableName: orders.name, Item: { orderId: { S: 'tx-test' } } } },
          ],
        }),
      ),
    );
    const ledgerItem = await dynamodb.send(new GetItemCommand({ TableName: ledger.name, Key: { orderId: { S: 'tx-test' }, step: { S: 'test' } } }));
    dynamodb.destroy();
    // Assess
    expect(failure.name).toBe('AccessDeniedException');
    expect(failure.message).toContain(`dynamodb:PutItem on resource: ${orders.arn}`);
    expect(ledgerItem.Item).toBeUndefined();
  });

  it("refuses an SQS send to a queue the role can't write, with SQS's AccessDenied (403) and its lower-case action", async () => {
    // Prepare: project-order may park in its own DLQ, not send to ship-order's queue.
    const projectOrder = functionOf(cloud, 'ProjectOrderFunction');
    const { sqs } = clientsOf(cloud, projectOrder);
    const shipOrderQueue = queueOf(cloud, 'ShipOrderQueue');
    // Act
    const failure = await failureOf(sqs.send(new SendMessageCommand({ QueueUrl: shipOrderQueue.url, MessageBody: '{}' })));
    const parked = await sqs.send(new SendMessageCommand({ QueueUrl: queueOf(cloud, 'ProjectOrderDeadLetterQueue').url, MessageBody: '{}' }));
    sqs.destroy();
    // Assess
    expect(failure).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${sessionArnOf(projectOrder)} is not authorized to perform: sqs:sendmessage on resource: ${shipOrderQueue.arn} because no identity-based policy allows the sqs:sendmessage action`,
    });
    expect(parked.MessageId).toBeDefined();
  });

  it('answers a refused query-protocol SQS call with the AccessDenied error document', async () => {
    // Prepare: a form-encoded SendMessage signed with project-order's key, as older SDKs send it.
    const projectOrder = functionOf(cloud, 'ProjectOrderFunction');
    const { credentials } = clientsOf(cloud, projectOrder);
    const shipOrderQueue = queueOf(cloud, 'ShipOrderQueue');
    // Act
    const response = await fetch(cloud.awsEndpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body: new URLSearchParams({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl: shipOrderQueue.url, MessageBody: '{}' }),
    });
    const body = await response.text();
    // Assess
    expect(response.status).toBe(403);
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain(`is not authorized to perform: sqs:sendmessage on resource: ${shipOrderQueue.arn}`);
  });

  it('refuses PutEvents to a role without events:PutEvents on the bus with AccessDeniedException, and puts nothing', async () => {
    // Prepare
    const getOrder = functionOf(cloud, 'GetOrderFunction');
    const { events } = clientsOf(cloud, getOrder);
    const busName = cloud.plan.buses[0] as string;
    // Act
    const failure = await failureOf(events.send(new PutEventsCommand({ Entries: [{ EventBusName: busName, Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: '{}' }] })));
    events.destroy();
    // Assess
    expect(failure).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: `User: ${sessionArnOf(getOrder)} is not authorized to perform: events:PutEvents on resource: arn:aws:events:us-east-1:000000000000:event-bus/${busName} because no identity-based policy allows the events:PutEvents action`,
    });
  });

  it("lets the account's administrator (any other credentials) do what no role may, as before", async () => {
    // Prepare
    const { dynamodb } = administratorClients(cloud);
    // Act
    const put = await dynamodb.send(new PutItemCommand({ TableName: tableOf(cloud, 'Orders').name, Item: { orderId: { S: 'administrator-test' } } }));
    dynamodb.destroy();
    // Assess
    expect(put.$metadata.httpStatusCode).toBe(200);
  });

  it("reports each refusal to onAccessDenied and in one line of the function's log, naming principal, action, resource and the missing grant", async () => {
    // Prepare
    const getOrder = functionOf(cloud, 'GetOrderFunction');
    const { dynamodb } = clientsOf(cloud, getOrder);
    const orders = tableOf(cloud, 'Orders');
    // Act
    await failureOf(dynamodb.send(new PutItemCommand({ TableName: orders.name, Item: { orderId: { S: 'reported' } } })));
    dynamodb.destroy();
    await until(() => readFileSync(logFile, 'utf8').includes('dynamodb:PutItem'), { timeoutMs: 5_000 });
    // Assess
    const expected = { principal: sessionArnOf(getOrder), functionName: getOrder.name, action: 'dynamodb:PutItem', resource: orders.arn, explicit: false, policyType: 'identity-based' };
    expect(refusals).toContainEqual(expect.objectContaining({ ...expected, missingGrant: `missing grant: Allow dynamodb:PutItem on ${orders.arn} in an identity-based policy of role ${getOrder.roleArn?.split('/').pop()}` }));
    const logged = readFileSync(logFile, 'utf8').split('\n').filter((line) => line.includes('"source":"local-cloud"')).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logged).toContainEqual(expect.objectContaining({ level: 'ERROR', principal: expected.principal, action: 'dynamodb:PutItem', resource: orders.arn, missingGrant: expect.stringContaining('Allow dynamodb:PutItem') }));
  });

  it('records what the roles exercised along an order, logs included, and lists the grants no call used', async () => {
    // Prepare
    const reserveInventory = functionOf(cloud, 'ReserveInventoryFunction');
    const placeOrder = functionOf(cloud, 'PlaceOrderFunction');
    // Act
    const authorization = await customerAuthorization(cloud);
    const placed = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(anOrder()) });
    const { orderId } = (await placed.json()) as { orderId: string };
    await until(async () => ((await (await fetch(`${cloud.httpApiUrl}/orders/${orderId}`, { headers: { authorization } })).json()) as { status?: string }).status === 'notified', { timeoutMs: 15_000, intervalMs: 50 });
    const exercised = await cloud.permissions.exercised();
    const unused = await cloud.permissions.unusedGrants();
    // Assess: the poller's receive, the step's transaction item, its publish, all as reserve-inventory's role.
    const reserveRole = reserveInventory.roleArn?.split('/').pop();
    const reserveQueue = queueOf(cloud, 'ReserveInventoryQueue');
    expect(exercised).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: reserveRole, action: 'sqs:ReceiveMessage', resource: reserveQueue.arn }),
        expect.objectContaining({ role: reserveRole, action: 'sqs:DeleteMessage', resource: reserveQueue.arn }),
        expect.objectContaining({ role: reserveRole, action: 'dynamodb:UpdateItem', resource: tableOf(cloud, 'Inventory').arn }),
        expect.objectContaining({ role: reserveRole, action: 'events:PutEvents', resource: `arn:aws:events:us-east-1:000000000000:event-bus/${cloud.plan.buses[0]}` }),
      ]),
    );
    // A fulfilled order parks nothing: reserve-inventory's grant to send to its DLQ goes unused.
    expect(unused.map((grant) => `${grant.role} ${grant.action}`)).toContain(`${reserveRole} sqs:SendMessage`);
    expect(unused.map((grant) => `${grant.role} ${grant.action}`)).not.toContain(`${placeOrder.roleArn?.split('/').pop()} events:PutEvents`);
    expect(unused.every((grant) => cloud.permissions.grants().some((granted) => granted.role === grant.role && granted.action === grant.action && granted.resource === grant.resource))).toBe(true);
  });
});
