/**
 * What the DLQ tool's suites share: the local cloud (from the assembly the run synthesized)
 * with real SDK v3 clients, records parked the way production parks them (a schema-invalid
 * event on the bus, which the step's handler parks with its cause), and polling helpers.
 */
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, SQSClient, UnsupportedOperation } from '@aws-sdk/client-sqs';
import { inject } from 'vitest';
import { EventSourceOf, type DetailType } from '#shared/contracts';
import { startLocalCloud, type LocalCloud } from '#cloud/local-cloud';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { discoverDeadLetterQueues, findDeadLetterQueue, type DeadLetterQueue } from '#infra/tools/dlq/discovery';
import type { DlqClients } from '#infra/tools/dlq/targets';

/** A running local cloud, clients on it, and the events put on its bus. */
export interface DlqTestCloud {
  readonly cloud: LocalCloud;
  readonly clients: DlqClients;
  readonly clientConfig: { region: string; endpoint: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  readonly busName: string;
  /** Every event put on the bus so far (by the test or by a handler). */
  readonly events: readonly EventEnvelope[];
  stop(): Promise<void>;
}

/** Starts the local cloud on free ports. */
export async function startDlqTestCloud(): Promise<DlqTestCloud> {
  const events: EventEnvelope[] = [];
  const cloud = await startLocalCloud({ assemblyDirectory: inject('assemblyDirectory'), awsPort: 0, httpPort: 0, onEvent: (event) => events.push(event) });
  const clientConfig = { region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const clients = { sqs: new SQSClient(clientConfig), events: new EventBridgeClient(clientConfig) };
  const busName = cloud.outputs.EventBusName;
  if (busName === undefined) throw new Error('the stack has no EventBusName output');
  return {
    cloud,
    clients,
    clientConfig,
    busName,
    events,
    stop: async () => {
      clients.sqs.destroy();
      clients.events.destroy();
      await cloud.stop();
    },
  };
}

/**
 * Puts a `detailType` event whose detail has only an order id on the bus: the consuming step's
 * handler rejects it as invalid and parks it in its DLQ with the cause. Returns the order id.
 */
export async function putInvalidEvent(target: DlqTestCloud, detailType: DetailType): Promise<string> {
  const orderId = randomUUID();
  const { FailedEntryCount } = await target.clients.events.send(
    new PutEventsCommand({ Entries: [{ EventBusName: target.busName, Source: EventSourceOf[detailType], DetailType: detailType, Detail: JSON.stringify({ schemaVersion: 2, orderId }) }] }),
  );
  if (FailedEntryCount !== 0) throw new Error(`PutEvents failed for ${detailType}`);
  return orderId;
}

/** The stack's DLQ with this short name, as discovery sees it now. */
export async function deadLetterQueue(target: DlqTestCloud, shortName: string): Promise<DeadLetterQueue> {
  const { deadLetterQueues } = await discoverDeadLetterQueues(target.clients, { stackName: ORDER_PIPELINE_STACK_NAME });
  return findDeadLetterQueue(deadLetterQueues, shortName);
}

/** The queue's message counts. */
export async function depth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
  return { visible: Number(Attributes?.ApproximateNumberOfMessages), inFlight: Number(Attributes?.ApproximateNumberOfMessagesNotVisible) };
}

/** Polls `probe` until it returns true. */
export async function eventually(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * An SQS client on the same cloud whose `commandName` calls fail with `error` before they are
 * sent (a middleware, so the rest of the client is the real one); `calls` counts every call by
 * command name.
 */
export function sqsClientRefusing(target: DlqTestCloud, refusals: Readonly<Record<string, () => Error>>): { sqs: SQSClient; calls: Map<string, number> } {
  const sqs = new SQSClient(target.clientConfig);
  const calls = new Map<string, number>();
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const commandName = context.commandName ?? '';
      calls.set(commandName, (calls.get(commandName) ?? 0) + 1);
      const refusal = refusals[commandName];
      if (refusal !== undefined) throw refusal();
      return next(args);
    },
    { step: 'initialize', name: 'refuseCommands' },
  );
  return { sqs, calls };
}

/** The error an SQS without message move tasks answers StartMessageMoveTask with. */
export function unsupportedOperation(): Error {
  return new UnsupportedOperation({ message: 'StartMessageMoveTask is not supported here', $metadata: { httpStatusCode: 400 } });
}
