/**
 * What each other kind of wrong permission does locally, as on AWS, on a mutated copy of the
 * synthesized assembly: a route without its Lambda permission, a mapping whose role cannot
 * receive, a role that cannot write its logs, a PutEvents grant conditioned on another source,
 * and an explicit deny.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { anOrder } from '#test/support/factories';
import { customerAuthorization } from '#test/support/customers';
import { until } from '#test/support/until';
import { administratorClients, clientsOf, functionOf, queueOf, sessionArnOf, tableOf } from './cloud-roles.ts';
import { addStatement, mutatedAssembly, removeActions, removeResources, statementsOfRole } from './mutated-assembly.ts';

describe('local cloud permissions: each kind of wrong permission fails as on AWS', () => {
  const logDirectory = mkdtempSync(join(tmpdir(), 'mutation-logs-'));
  const logFile = join(logDirectory, 'functions.log');
  let assembly: string;
  let cloud: LocalCloud;

  beforeAll(async () => {
    assembly = mutatedAssembly(inject('assemblyDirectory'), (template) => {
      removeResources(template, (logicalId, resource) => resource.Type === 'AWS::Lambda::Permission' && logicalId.startsWith('HttpApiPOSTorders'));
      removeActions(template, 'NotifyCustomerFunctionRole', (action) => action === 'sqs:ReceiveMessage');
      removeActions(template, 'ReserveInventoryFunctionRole', (action) => action.startsWith('logs:'));
      for (const statement of statementsOfRole(template, 'CapturePaymentFunctionRole')) {
        if (statement.Action === 'events:PutEvents') statement.Condition = { StringEquals: { 'events:source': 'shop.inventory' } };
      }
      addStatement(template, 'GetOrderFunctionRole', { Effect: 'Deny', Action: 'dynamodb:GetItem', Resource: '*' });
    });
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: assembly, functionLogs: { file: logFile } });
  });

  afterAll(async () => {
    await cloud?.stop();
    rmSync(logDirectory, { recursive: true, force: true });
    rmSync(assembly, { recursive: true, force: true });
  });

  it("answers a route without its Lambda permission as API Gateway does: 500 {\"message\":\"Internal Server Error\"}, the function not invoked", async () => {
    // Prepare
    const placeOrder = functionOf(cloud, 'PlaceOrderFunction');
    // Act
    const response = await fetch(`${cloud.httpApiUrl}/orders`, { method: 'POST', headers: { authorization: await customerAuthorization(cloud), 'content-type': 'application/json' }, body: JSON.stringify(anOrder()) });
    // Assess
    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(cloud.functions.get(placeOrder.name)?.environmentCount).toBe(0);
    expect(cloud.permissions.refusals()).toContainEqual(
      expect.objectContaining({ principal: 'apigateway.amazonaws.com', action: 'lambda:InvokeFunction', resource: placeOrder.arn, policyType: 'resource-based', consequence: expect.stringContaining('500 Internal Server Error') }),
    );
    await until(() => readFileSync(logFile, 'utf8').includes('"action":"lambda:InvokeFunction"'), { timeoutMs: 5_000 });
  });

  it("does not start an event source mapping whose function's role cannot receive from its queue, with Lambda's error, in the function's log", async () => {
    // Prepare
    const notifyCustomer = functionOf(cloud, 'NotifyCustomerFunction');
    const queue = queueOf(cloud, 'NotifyCustomerQueue');
    // Assess: refused when the cloud started.
    const refusal = cloud.permissions.refusals().find((candidate) => candidate.functionName === notifyCustomer.name && candidate.action === 'sqs:ReceiveMessage');
    expect(refusal).toMatchObject({ principal: sessionArnOf(notifyCustomer), resource: queue.arn });
    expect(refusal?.consequence).toContain('InvalidParameterValueException: The provided execution role does not have permissions to call ReceiveMessage on SQS');
    await until(() => readFileSync(logFile, 'utf8').includes('The provided execution role does not have permissions to call ReceiveMessage'), { timeoutMs: 5_000 });
  });

  it("loses the log lines of a function whose role cannot write its log group, and says so", async () => {
    // Prepare: a record reserve-inventory parks, which it logs.
    const reserveInventory = functionOf(cloud, 'ReserveInventoryFunction');
    const { events } = administratorClients(cloud);
    // Act
    await events.send(new PutEventsCommand({ Entries: [{ EventBusName: cloud.plan.buses[0], Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ schemaVersion: 2, orderId: randomUUID(), order: { items: 'none' } }) }] }));
    events.destroy();
    await until(() => cloud.permissions.refusals().some((refusal) => refusal.functionName === reserveInventory.name && refusal.action === 'logs:CreateLogStream'), { timeoutMs: 15_000 });
    // Assess
    const refusal = cloud.permissions.refusals().find((candidate) => candidate.functionName === reserveInventory.name && candidate.action === 'logs:PutLogEvents');
    expect(refusal?.resource).toMatch(new RegExp(`^arn:aws:logs:us-east-1:000000000000:log-group:${reserveInventory.logGroupName}:log-stream:`));
    expect(refusal?.consequence).toContain('log lines in this execution environment are lost');
    const lines = readFileSync(logFile, 'utf8').split('\n').filter((line) => line !== '');
    expect(lines.filter((line) => line.includes('"service":"reserve-inventory"'))).toEqual([]);
  });

  it("fails a PutEvents entry whose source the role's condition does not allow with NotAuthorizedForSourceException, and puts the others", async () => {
    // Prepare: capture-payment may publish only as shop.inventory in this stack.
    const capturePayment = functionOf(cloud, 'CapturePaymentFunction');
    const { events } = clientsOf(cloud, capturePayment);
    const entry = (source: string) => ({ EventBusName: cloud.plan.buses[0], Source: source, DetailType: 'Unrouted', Detail: '{}' });
    // Act
    const result = await events.send(new PutEventsCommand({ Entries: [entry('shop.payments'), entry('shop.inventory')] }));
    events.destroy();
    // Assess
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]).toMatchObject({ ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: expect.stringContaining(`${sessionArnOf(capturePayment)} is not authorized to perform: events:PutEvents`) });
    expect(result.Entries?.[1]?.EventId).toBeDefined();
  });

  it('refuses what an explicit Deny names, with the explicit-deny message, whatever else allows it', async () => {
    // Prepare
    const getOrder = functionOf(cloud, 'GetOrderFunction');
    const { dynamodb } = clientsOf(cloud, getOrder);
    const orders = tableOf(cloud, 'Orders');
    // Act
    const failure = await dynamodb.send(new GetItemCommand({ TableName: orders.name, Key: { orderId: { S: 'x' } } })).catch((error: Error) => error);
    dynamodb.destroy();
    // Assess
    expect(failure).toMatchObject({ name: 'AccessDeniedException', message: `User: ${sessionArnOf(getOrder)} is not authorized to perform: dynamodb:GetItem on resource: ${orders.arn} with an explicit deny in an identity-based policy` });
  });
});
