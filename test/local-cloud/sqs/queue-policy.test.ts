/**
 * A queue's Policy attribute, through SDK v3 over the gateway: set at creation or with
 * SetQueueAttributes, read back as set, removed by an empty value, and validated as SQS
 * validates it (InvalidAttributeValue with a reason, OverLimit over a quota, nothing changed).
 */
import { GetQueueAttributesCommand, GetQueueUrlCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, failureOf, queueArn, startLocalSqs, uniqueQueueName, type LocalSqs } from '#test/local-cloud/sqs/local-sqs';

/** A policy letting EventBridge send to `queue` for `rule`, as a queue a rule targets has. */
function eventBridgePolicy(queue: string, rule = 'arn:aws:events:us-east-1:000000000000:rule/orders/ship'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'events', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue, Condition: { ArnEquals: { 'aws:SourceArn': rule } } }],
  });
}

describe('local SQS: a queue policy (the Policy attribute)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  async function policyOf(queueUrl: string): Promise<string | undefined> {
    const { Attributes } = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['Policy'] }));
    return Attributes?.Policy;
  }

  it('keeps the policy given at creation, replaces it with SetQueueAttributes and removes it with an empty value', async () => {
    // Prepare
    const name = uniqueQueueName();
    const arn = local.sqs.queueArn(name);
    const queueUrl = await createQueue(local.client, { Policy: eventBridgePolicy(arn) }, name);
    const created = await policyOf(queueUrl);
    const replacement = eventBridgePolicy(arn, 'arn:aws:events:us-east-1:000000000000:rule/orders/other');

    // Act
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: replacement } }));
    const replaced = await policyOf(queueUrl);
    const compiledReplaced = local.sqs.queuePolicy(arn);
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: '' } }));
    const removed = await policyOf(queueUrl);

    // Assess
    expect(created).toBe(eventBridgePolicy(arn));
    expect(replaced).toBe(replacement);
    expect(compiledReplaced?.map((statement) => ({ sid: statement.sid, effect: statement.effect, actions: statement.actions }))).toEqual([{ sid: 'events', effect: 'Allow', actions: ['sqs:SendMessage'] }]);
    expect(removed).toBeUndefined();
    expect(local.sqs.queuePolicy(arn)).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"Statement": [', /^Invalid value for the parameter Policy\. Reason: Invalid JSON: /],
    ['a JSON array', '[]', /^Invalid value for the parameter Policy\. Reason: A policy document must be a JSON object\.$/],
    ['a document without Statement', '{"Version":"2012-10-17"}', /^Invalid value for the parameter Policy\. Reason: A policy document must contain a Statement\.$/],
    ['an unknown version', '{"Version":"2020-01-01","Statement":[]}', /^Invalid value for the parameter Policy\. Reason: Version must be one of 2012-10-17, 2008-10-17/],
    ['an unknown element', '{"Statement":[],"Statements":[]}', /^Invalid value for the parameter Policy\. Reason: Unknown policy element Statements\.$/],
    ['a statement without Principal', '{"Statement":[{"Effect":"Allow","Action":"sqs:SendMessage","Resource":"*"}]}', /Reason: Policy of queue .*, statement 0: a resource-based policy must name a Principal or NotPrincipal\.$/],
    ['an Effect other than Allow or Deny', '{"Statement":[{"Effect":"Permit","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}', /Reason: Policy of queue .*, statement 0: Effect must be Allow or Deny, got "Permit"\.$/],
  ])('refuses %s with InvalidAttributeValue and a reason, and leaves the policy as it was', async (_case, policy, message) => {
    // Prepare
    const name = uniqueQueueName();
    const queueUrl = await createQueue(local.client, { Policy: eventBridgePolicy(local.sqs.queueArn(name)) }, name);

    // Act
    const failure = (await failureOf(local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } })))) as Error & { $metadata: { httpStatusCode?: number } };

    // Assess
    expect(failure.name).toBe('InvalidAttributeValue');
    expect(failure.$metadata.httpStatusCode).toBe(400);
    expect(failure.message).toMatch(message);
    expect(await policyOf(queueUrl)).toBe(eventBridgePolicy(local.sqs.queueArn(name)));
  });

  describe("SQS's policy quotas", () => {
    /** A statement letting EventBridge send for the `index`th rule, about 250 bytes. */
    const ruleStatement = (queue: string, index: number) => ({
      Sid: `rule${index}`,
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sqs:SendMessage',
      Resource: queue,
      Condition: { ArnEquals: { 'aws:SourceArn': `arn:aws:events:us-east-1:000000000000:rule/orders/r${index}` } },
    });
    const SEVEN_ACTIONS = ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ListDeadLetterSourceQueues'];
    const document = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
    const allowAll = (actions: string[]) => ({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: actions, Resource: '*' });
    const principals = (count: number) => Array.from({ length: count }, (_, index) => `arn:aws:iam::${String(index).padStart(12, '0')}:root`);
    const conditionKeys = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, index) => [`aws:PrincipalTag/t${index}`, 'x']));

    it.each([
      ['20 statements', (queue: string) => document([...Array.from({ length: 10 }, (_, index) => ruleStatement(queue, index)), ...Array.from({ length: 10 }, () => allowAll(['sqs:SendMessage']))])],
      ['7 actions in a statement', () => document([allowAll(SEVEN_ACTIONS)])],
      ['50 principals', () => document([{ ...allowAll(['sqs:SendMessage']), Principal: { AWS: principals(50) } }])],
      ['10 conditions', () => document([{ ...allowAll(['sqs:SendMessage']), Condition: { StringEquals: conditionKeys(10) } }])],
    ])('takes a policy of %s, the most the quota allows', async (_case, policyFor) => {
      // Prepare
      const name = uniqueQueueName();
      const queueUrl = await createQueue(local.client, {}, name);
      const policy = policyFor(local.sqs.queueArn(name));

      // Act
      await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policy } }));

      // Assess
      expect(await policyOf(queueUrl)).toBe(policy);
    });

    it.each([
      ['21 statements', (queue: string) => document(Array.from({ length: 21 }, (_, index) => ruleStatement(queue, index % 3))), '21 statements were found in the submitted policy, max allowed is 20'],
      ['8 actions in a statement', () => document([allowAll([...SEVEN_ACTIONS, 'sqs:PurgeQueue'])]), '8 actions were found in a statement from the submitted policy, max allowed is 7'],
      ['51 principals', () => document([{ ...allowAll(['sqs:SendMessage']), Principal: { AWS: principals(51) } }]), '51 principals were found in the submitted policy, max allowed is 50'],
      ['11 conditions', () => document([{ ...allowAll(['sqs:SendMessage']), Condition: { StringEquals: conditionKeys(11) } }]), '11 conditions were found in the submitted policy, max allowed is 10'],
      ['more than 8,192 bytes', (queue: string) => document([{ ...ruleStatement(queue, 0), Sid: 'x'.repeat(8_192) }]), 'Submitted policy is over max allowed size.'],
    ])('refuses a policy of %s with OverLimit (403), and leaves the policy as it was', async (_case, policyFor, message) => {
      // Prepare
      const name = uniqueQueueName();
      const queueUrl = await createQueue(local.client, { Policy: eventBridgePolicy(local.sqs.queueArn(name)) }, name);

      // Act
      const failure = (await failureOf(local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: policyFor(local.sqs.queueArn(name)) } })))) as Error & { $metadata: { httpStatusCode?: number } };

      // Assess
      expect(failure.name).toBe('OverLimit');
      expect(failure.$metadata.httpStatusCode).toBe(403);
      expect(failure.message).toBe(message);
      expect(await policyOf(queueUrl)).toBe(eventBridgePolicy(local.sqs.queueArn(name)));
    });
  });

  it('creates no queue whose Policy is invalid', async () => {
    // Prepare
    const name = uniqueQueueName();

    // Act
    const failure = await failureOf(createQueue(local.client, { Policy: '{"Statement":{"Effect":"Allow"}}' }, name));
    const lookup = await failureOf(local.client.send(new GetQueueUrlCommand({ QueueName: name })));

    // Assess
    expect(failure).toMatchObject({ name: 'InvalidAttributeValue' });
    expect(lookup).toMatchObject({ name: 'QueueDoesNotExist' });
  });

  it('compiles a policy once per change, not per lookup', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    const arn = await queueArn(local.client, queueUrl);
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: eventBridgePolicy(arn) } }));

    // Act
    const first = local.sqs.queuePolicy(arn);
    const second = local.sqs.queuePolicy(arn);
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { Policy: eventBridgePolicy(arn, 'arn:aws:events:us-east-1:000000000000:rule/orders/next') } }));
    const afterChange = local.sqs.queuePolicy(arn);

    // Assess: the same compiled statements until the attribute changes.
    expect(first).toBeDefined();
    expect(second).toBe(first);
    expect(afterChange).not.toBe(first);
  });
});
