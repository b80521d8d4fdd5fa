/**
 * A queue's Policy attribute is the resource policy the local cloud evaluates for SQS actions on
 * it, as on AWS: for EventBridge's deliveries to a queue a rule targets (created at run time
 * here, as a user adds one), and for a role's own SQS calls (identity OR resource allow, an
 * explicit Deny in either wins). The template's QueuePolicy resources set the attribute.
 */
import { randomUUID } from 'node:crypto';
import { PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SetQueueAttributesCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Delivery, DeliveryOutcome } from '#cloud/events/target-delivery';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import { until } from '#test/support/until';
import { administratorClients, clientsOf, functionOf, queueOf, sessionArnOf } from './cloud-roles.ts';

type Statement = Record<string, unknown>;

/** A statement letting EventBridge send to `queueArn` for the rule `ruleArn`, as the docs write it. */
function eventBridgeMaySend(queueArn: string, ruleArn: string): Statement {
  return { Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queueArn, Condition: { ArnEquals: { 'aws:SourceArn': ruleArn } } };
}

function policy(...statements: Statement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

describe("local cloud permissions: a queue's Policy attribute is its resource policy", () => {
  const outcomes: { delivery: Delivery; outcome: DeliveryOutcome }[] = [];
  let cloud: LocalCloud;
  let admin: ReturnType<typeof administratorClients>;

  beforeAll(async () => {
    cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory'), eventBridgeRetryBaseDelayMs: 10, onDelivery: (delivery, outcome) => outcomes.push({ delivery, outcome }) });
    admin = administratorClients(cloud);
  });

  afterAll(async () => {
    for (const client of Object.values(admin ?? {})) client.destroy();
    await cloud?.stop();
  });

  async function newQueue(name: string): Promise<{ url: string; arn: string }> {
    const { QueueUrl } = await admin.sqs.send(new CreateQueueCommand({ QueueName: name }));
    const { Attributes } = await admin.sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    return { url: QueueUrl as string, arn: Attributes?.QueueArn as string };
  }

  async function setPolicy(queueUrl: string, value: string): Promise<void> {
    await admin.sqs.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: value } }));
  }

  /**
   * A rule of its own on the stack's bus (matching a source no other rule does) whose target is a
   * queue created now, with a dead-letter queue that lets the rule send; `targetPolicy` is set on
   * the target queue before the target is added (none when it answers undefined).
   */
  async function ruleTargetingNewQueue(targetPolicy: (queueArn: string, ruleArn: string) => string | undefined) {
    const id = randomUUID().slice(0, 8);
    const source = `test.queue-policy.${id}`;
    const bus = cloud.outputs.EventBusName as string;
    const [target, deadLetter] = [await newQueue(`policy-target-${id}`), await newQueue(`policy-target-dlq-${id}`)];
    const { RuleArn } = await admin.events.send(new PutRuleCommand({ Name: `policy-rule-${id}`, EventBusName: bus, EventPattern: JSON.stringify({ source: [source] }) }));
    const ruleArn = RuleArn as string;
    await setPolicy(deadLetter.url, policy(eventBridgeMaySend(deadLetter.arn, ruleArn)));
    const stated = targetPolicy(target.arn, ruleArn);
    if (stated !== undefined) await setPolicy(target.url, stated);
    await admin.events.send(new PutTargetsCommand({ Rule: `policy-rule-${id}`, EventBusName: bus, Targets: [{ Id: 'queue', Arn: target.arn, DeadLetterConfig: { Arn: deadLetter.arn } }] }));
    /** Puts one event for the rule and waits for the delivery's outcome. */
    const deliverOne = async (): Promise<DeliveryOutcome> => {
      const detail = JSON.stringify({ id: randomUUID() });
      await admin.events.send(new PutEventsCommand({ Entries: [{ EventBusName: bus, Source: source, DetailType: 'PolicyTest', Detail: detail }] }));
      let found: DeliveryOutcome | undefined;
      await until(() => (found = outcomes.find((entry) => entry.delivery.targetArn === target.arn && entry.delivery.body.includes(detail))?.outcome) !== undefined, { timeoutMs: 10_000 });
      return found as DeliveryOutcome;
    };
    return { target, deadLetter, ruleArn, deliverOne };
  }

  async function receiveAll(queueUrl: string): Promise<Message[]> {
    const { Messages = [] } = await admin.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], WaitTimeSeconds: 0 }));
    return Messages;
  }

  it("delivers a rule's events to a queue created at run time whose policy lets that rule send", async () => {
    // Prepare
    const { target, deliverOne } = await ruleTargetingNewQueue((queueArn, ruleArn) => policy(eventBridgeMaySend(queueArn, ruleArn)));
    // Act
    const outcome = await deliverOne();
    const received = await receiveAll(target.url);
    // Assess
    expect(outcome).toEqual({ status: 'delivered', attempts: 1 });
    expect(received.map((message) => JSON.parse(message.Body ?? '{}') as { 'detail-type': string })).toEqual([expect.objectContaining({ 'detail-type': 'PolicyTest' })]);
  });

  it.each([
    ['without a policy', () => undefined, 'because no resource-based policy allows the sqs:sendmessage action'],
    ['whose policy names another rule', (queueArn: string, ruleArn: string) => policy(eventBridgeMaySend(queueArn, `${ruleArn}-other`)), 'because no resource-based policy allows the sqs:sendmessage action'],
    [
      'whose policy denies what it also allows',
      (queueArn: string, ruleArn: string) => policy(eventBridgeMaySend(queueArn, ruleArn), { Sid: 'nothing-from-events', Effect: 'Deny', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:*', Resource: queueArn }),
      'with an explicit deny in a resource-based policy',
    ],
  ])("refuses the rule's delivery to a queue %s: no retry, the event in the target's DLQ with NO_PERMISSIONS", async (_case, targetPolicy, reason) => {
    // Prepare
    const { target, deadLetter, ruleArn, deliverOne } = await ruleTargetingNewQueue(targetPolicy);
    // Act
    const outcome = await deliverOne();
    const parked = await receiveAll(deadLetter.url);
    const delivered = await receiveAll(target.url);
    // Assess
    expect(outcome).toMatchObject({ status: 'dead-lettered', attempts: 1, errorCode: 'NO_PERMISSIONS' });
    expect(parked).toHaveLength(1);
    const attributes = Object.fromEntries(Object.entries(parked[0]?.MessageAttributes ?? {}).map(([name, value]) => [name, value.StringValue]));
    expect(attributes).toMatchObject({ RULE_ARN: ruleArn, TARGET_ARN: target.arn, ERROR_CODE: 'NO_PERMISSIONS', RETRY_ATTEMPTS: '0' });
    expect(attributes.ERROR_MESSAGE).toBe(`User: events.amazonaws.com is not authorized to perform: sqs:sendmessage on resource: ${target.arn} ${reason}`);
    expect(delivered).toEqual([]);
    expect(cloud.permissions.refusals()).toContainEqual(expect.objectContaining({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: target.arn, policyType: 'resource-based' }));
  });

  it('decides by the policy the queue has at each delivery: set after a refusal, it lets the next event in; removed, it refuses again', async () => {
    // Prepare
    const { target, ruleArn, deliverOne } = await ruleTargetingNewQueue(() => undefined);
    const refused = await deliverOne();
    // Act
    await setPolicy(target.url, policy(eventBridgeMaySend(target.arn, ruleArn)));
    const allowed = await deliverOne();
    await setPolicy(target.url, '');
    const refusedAgain = await deliverOne();
    // Assess
    expect([refused.status, allowed.status, refusedAgain.status]).toEqual(['dead-lettered', 'delivered', 'dead-lettered']);
    expect(await receiveAll(target.url)).toHaveLength(1);
  });

  it("lets a role send to a queue its own policies don't cover when the queue's policy names the role, and not before", async () => {
    // Prepare: project-order's role has no grant on a queue created now.
    const projectOrder = functionOf(cloud, 'ProjectOrderFunction');
    const { sqs } = clientsOf(cloud, projectOrder);
    const queue = await newQueue(`policy-role-${randomUUID().slice(0, 8)}`);
    const before = await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{}' })).catch((error: Error) => error);
    // Act
    await setPolicy(queue.url, policy({ Effect: 'Allow', Principal: { AWS: projectOrder.roleArn }, Action: 'sqs:SendMessage', Resource: queue.arn }));
    const after = await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: '{}' }));
    sqs.destroy();
    // Assess
    expect(before).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('because no identity-based policy allows the sqs:sendmessage action') });
    expect(after.MessageId).toBeDefined();
  });

  it("refuses a role's call its own policy allows when the queue's policy denies it explicitly", async () => {
    // Prepare: project-order may park records in its DLQ; the DLQ's policy now denies it.
    const projectOrder = functionOf(cloud, 'ProjectOrderFunction');
    const { sqs } = clientsOf(cloud, projectOrder);
    const deadLetterQueue = queueOf(cloud, 'ProjectOrderDeadLetterQueue');
    const { Attributes: original } = await admin.sqs.send(new GetQueueAttributesCommand({ QueueUrl: deadLetterQueue.url, AttributeNames: ['Policy'] }));
    await setPolicy(deadLetterQueue.url, policy({ Sid: 'no-parking', Effect: 'Deny', Principal: { AWS: projectOrder.roleArn }, Action: 'sqs:SendMessage', Resource: deadLetterQueue.arn }));
    // Act
    const failure = await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueue.url, MessageBody: '{}' })).catch((error: Error) => error);
    await setPolicy(deadLetterQueue.url, original?.Policy ?? '');
    const restored = await sqs.send(new SendMessageCommand({ QueueUrl: deadLetterQueue.url, MessageBody: '{}' }));
    sqs.destroy();
    // Assess
    expect(failure).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${sessionArnOf(projectOrder)} is not authorized to perform: sqs:sendmessage on resource: ${deadLetterQueue.arn} with an explicit deny in a resource-based policy`,
    });
    expect(restored.MessageId).toBeDefined();
  });

  it("answers GetQueueAttributes Policy of the template's queues with the template's QueuePolicy document", async () => {
    // Prepare
    const queuePolicies = cloud.plan.queuePolicies.flatMap((queuePolicy) => queuePolicy.queueArns.map((queueArn) => ({ queueArn, document: queuePolicy.document })));
    // Act
    const answered = await Promise.all(
      queuePolicies.map(async ({ queueArn }) => {
        const { Attributes } = await admin.sqs.send(new GetQueueAttributesCommand({ QueueUrl: cloud.services.sqs.queueUrl(queueArn.split(':').pop() as string), AttributeNames: ['Policy'] }));
        return JSON.parse(Attributes?.Policy ?? 'null') as unknown;
      }),
    );
    // Assess: every rule target queue and its DLQ has one.
    expect(queuePolicies.length).toBeGreaterThanOrEqual(cloud.plan.rules.filter((rule) => rule.Targets.length > 0).length);
    expect(answered).toEqual(queuePolicies.map(({ document }) => document));
  });
});
