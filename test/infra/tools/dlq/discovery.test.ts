import { DeleteRuleCommand, EventBridgeClient, ListRulesCommand, PutRuleCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { DeadLetterKind } from '#cloud/dead-letter-redrive';
import { discoverDeadLetterQueues, findDeadLetterQueue, shortNameOf } from '#infra/tools/dlq/discovery';
import { QueueNotFoundError } from '#infra/tools/dlq/errors';
import { STEP_NAMES } from '#shared/pipeline-graph';
import { startDlqTestCloud, type DlqTestCloud } from './dlq-test-cloud.ts';

/** The steps, as the tool lists them: by name. */
const STEPS = [...STEP_NAMES].sort();

describe('discoverDeadLetterQueues on the local cloud', () => {
  let target: DlqTestCloud;
  beforeAll(async () => {
    target = await startDlqTestCloud();
  });
  afterAll(async () => {
    await target?.stop();
  });

  it("finds each step's queue DLQ and rule-target DLQ, with the step's queue as their source", async () => {
    // Act
    const { deadLetterQueues, warnings } = await discoverDeadLetterQueues(target.clients, { stackName: ORDER_PIPELINE_STACK_NAME });
    // Assess
    expect(warnings).toEqual([]);
    expect(deadLetterQueues.map((queue) => [queue.shortName, queue.kind])).toEqual(STEPS.flatMap((step) => [[step, DeadLetterKind.queue], [`${step}-target`, DeadLetterKind.ruleTarget]]));
    const reserve = findDeadLetterQueue(deadLetterQueues, 'reserve-inventory');
    expect(reserve).toMatchObject({ name: 'OrderPipeline-ReserveInventoryDeadLetterQueueD60AB984', visible: 0, inFlight: 0 });
    expect(reserve.arn).toBe(`arn:aws:sqs:${target.cloud.region}:000000000000:${reserve.name}`);
    expect(reserve.sources.map((source) => source.name)).toEqual(['OrderPipeline-ReserveInventoryQueue5F4F857F']);
    expect(findDeadLetterQueue(deadLetterQueues, 'reserve-inventory-target').sources).toEqual(reserve.sources);
  });

  it("passes over the bus's rules that deliver to no queue: the archive's managed rule, and a rule without targets", async () => {
    // Prepare
    const { events } = target.clients;
    const targetless = { Name: 'audit-without-targets', EventBusName: target.busName };
    await events.send(new PutRuleCommand({ ...targetless, EventPattern: JSON.stringify({ source: ['shop.audit'] }) }));
    const { Rules = [] } = await events.send(new ListRulesCommand({ EventBusName: target.busName }));
    // Act
    const { deadLetterQueues, warnings } = await discoverDeadLetterQueues(target.clients, { stackName: ORDER_PIPELINE_STACK_NAME });
    // Assess
    expect(Rules.filter((rule) => rule.ManagedBy !== undefined)).toEqual([expect.objectContaining({ Name: expect.stringMatching(/^Events-Archive-/), ManagedBy: 'prod.vhs.events.aws.internal' })]);
    expect(Rules.map((rule) => rule.Name)).toContain(targetless.Name);
    expect(warnings).toEqual([]);
    expect(deadLetterQueues.map((queue) => [queue.shortName, queue.kind])).toEqual(STEPS.flatMap((step) => [[step, DeadLetterKind.queue], [`${step}-target`, DeadLetterKind.ruleTarget]]));
    await events.send(new DeleteRuleCommand(targetless));
  });

  it("recognises rule-target DLQs by name when the bus's rules cannot be read, and says so", async () => {
    // Prepare
    const events = new EventBridgeClient(target.clientConfig);
    events.middlewareStack.add(
      () => async () => {
        throw Object.assign(new Error('not authorized to perform events:ListEventBuses'), { name: 'AccessDeniedException' });
      },
      { step: 'initialize', name: 'denyEverything' },
    );
    // Act
    const { deadLetterQueues, warnings } = await discoverDeadLetterQueues({ sqs: target.clients.sqs, events }, { stackName: ORDER_PIPELINE_STACK_NAME });
    // Assess
    expect(warnings).toEqual([expect.stringContaining('not authorized to perform events:ListEventBuses')]);
    expect(findDeadLetterQueue(deadLetterQueues, 'ship-order-target')).toMatchObject({ kind: DeadLetterKind.ruleTarget, sources: [] });
    expect(findDeadLetterQueue(deadLetterQueues, 'ship-order').sources).toHaveLength(1);
    events.destroy();
  });

  it('finds a DLQ by its short name, full name, URL or ARN, and names the known ones otherwise', async () => {
    // Prepare
    const { deadLetterQueues } = await discoverDeadLetterQueues(target.clients, { stackName: ORDER_PIPELINE_STACK_NAME });
    const queue = findDeadLetterQueue(deadLetterQueues, 'ship-order');
    // Act
    const found = [queue.name, queue.url, queue.arn].map((reference) => findDeadLetterQueue(deadLetterQueues, reference).name);
    // Assess
    expect(found).toEqual([queue.name, queue.name, queue.name]);
    expect(() => findDeadLetterQueue(deadLetterQueues, 'shipping')).toThrow(QueueNotFoundError);
    expect(() => findDeadLetterQueue(deadLetterQueues, 'shipping')).toThrow(/known: cancel-order, cancel-order-target/);
  });
});

describe('shortNameOf', () => {
  it.each([
    ['OrderPipeline-ReserveInventoryDeadLetterQueueD60AB984', 'reserve-inventory'],
    ['OrderPipeline-ReserveInventoryTargetDeadLetterQueue8A3BE132', 'reserve-inventory-target'],
    // CloudFormation's names on AWS and LocalStack end in a random suffix.
    ['OrderPipeline-ShipOrderDeadLetterQueue5F95D0C7-Xk3vQ9pLm2Rt', 'ship-order'],
    ['OrderPipeline-SomethingElse', 'SomethingElse'],
  ])('%s is %s', (name, shortName) => {
    expect(shortNameOf(name, 'OrderPipeline')).toBe(shortName);
  });
});
