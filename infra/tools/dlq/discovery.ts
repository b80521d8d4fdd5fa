/**
 * Finding the stack's dead-letter queues, and what each one is the DLQ of. The one place that
 * knows how DLQs are recognised:
 * - a queue DLQ is a queue that ListDeadLetterSourceQueues gives sources for: some queue's
 *   redrive policy names it (authoritative on every target, whatever the queues are called);
 * - a rule-target DLQ is a queue a rule on the stack's bus names in a target's DeadLetterConfig
 *   (ListRules + ListTargetsByRule, which also say which queue the rule delivers to), or, when
 *   EventBridge cannot be read, a queue named `<Step>TargetDeadLetterQueue…` as `PipelineStep`
 *   names it.
 * Queues are listed by the stack's name prefix: CloudFormation names them
 * `<stack>-<logicalId>-<random suffix>` on AWS and LocalStack, the local cloud
 * `<stack>-<logicalId>`.
 */
import { ListEventBusesCommand, ListRulesCommand, ListTargetsByRuleCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetQueueAttributesCommand, ListDeadLetterSourceQueuesCommand, ListQueuesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { DeadLetterKind, type QueueReference, type RedrivableQueue } from '#cloud/dead-letter-redrive';
import { queueNameOfArn } from '#cloud/events/target-delivery';
import { DiscoveryError, QueueNotFoundError } from '#infra/tools/dlq/errors';

/** A dead-letter queue of the stack. */
export interface DeadLetterQueue extends RedrivableQueue {
  /** The name operators type: the step, kebab-case, `-target` for a rule-target DLQ (`reserve-inventory-target`). */
  readonly shortName: string;
  /** Messages received and not yet deleted or visible again (ApproximateNumberOfMessagesNotVisible). */
  readonly inFlight: number;
}

/** What discovery found. */
export interface Discovery {
  /** Sorted by short name. */
  readonly deadLetterQueues: readonly DeadLetterQueue[];
  /** What could not be read but did not stop discovery (EventBridge unreadable, say). */
  readonly warnings: readonly string[];
}

/** Options of {@link discoverDeadLetterQueues}. */
export interface DiscoveryOptions {
  /** The stack's name: its queues' and its bus's name prefix. */
  readonly stackName: string;
}

/** The marker `PipelineStep` puts in its rule-target DLQ's logical id (construct id `TargetDeadLetterQueue`). */
const TARGET_DLQ_MARKER = 'TargetDeadLetterQueue';
/** `<Step>DeadLetterQueue…` or `<Step>TargetDeadLetterQueue…`, after the stack prefix. */
const STEP_DLQ_NAME = /^(?<step>[A-Za-z0-9]+?)(?<marker>TargetDeadLetterQueue|DeadLetterQueue)/;

/** Lists the stack's DLQs with their kind, sources and depth. */
export async function discoverDeadLetterQueues(clients: { readonly sqs: SQSClient; readonly events: EventBridgeClient }, options: DiscoveryOptions): Promise<Discovery> {
  const { sqs, events } = clients;
  const prefix = `${options.stackName}-`;
  const queueUrls = await listQueueUrls(sqs, prefix);
  const byName = new Map(queueUrls.map((url) => [queueNameOfUrl(url), url]));

  const [redriveSources, ruleTargets] = await Promise.all([
    Promise.all(queueUrls.map(async (url) => [url, await listDeadLetterSources(sqs, url)] as const)),
    ruleTargetDeadLetters(events, options.stackName).catch((error: unknown) => error instanceof Error ? error : new Error(String(error))),
  ]);
  const warnings =
    ruleTargets instanceof Error
      ? [`could not read the rules of the ${options.stackName} bus (${ruleTargets.message}); rule-target DLQs are recognised by name, without their target queue`]
      : [];

  const candidates: { url: string; kind: DeadLetterKind; sourceUrls: readonly string[] }[] = [];
  for (const [url, sources] of redriveSources) {
    const name = queueNameOfUrl(url);
    const ruleTargetSources = ruleTargets instanceof Error ? undefined : ruleTargets.get(name);
    if (sources.length > 0) candidates.push({ url, kind: DeadLetterKind.queue, sourceUrls: sources });
    else if (ruleTargetSources !== undefined) {
      candidates.push({ url, kind: DeadLetterKind.ruleTarget, sourceUrls: ruleTargetSources.flatMap((target) => byName.get(target) ?? []) });
    } else if (name.slice(prefix.length).includes(TARGET_DLQ_MARKER)) {
      candidates.push({ url, kind: DeadLetterKind.ruleTarget, sourceUrls: [] });
    }
  }

  const deadLetterQueues = await Promise.all(
    candidates.map(async ({ url, kind, sourceUrls }) => {
      const attributes = await queueAttributes(sqs, url, ['QueueArn', 'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
      const sources = await Promise.all(sourceUrls.map(async (sourceUrl) => queueReference(sqs, sourceUrl)));
      const name = queueNameOfUrl(url);
      return {
        name,
        url,
        arn: attributes.QueueArn ?? '',
        shortName: shortNameOf(name, options.stackName),
        kind,
        sources,
        visible: Number(attributes.ApproximateNumberOfMessages ?? 0),
        inFlight: Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
      } satisfies DeadLetterQueue;
    }),
  );
  deadLetterQueues.sort((a, b) => a.shortName.localeCompare(b.shortName));
  return { deadLetterQueues, warnings };
}

/**
 * The DLQ a command-line `<queue>` names: its short name (`reserve-inventory`), its full name,
 * its URL or its ARN.
 */
export function findDeadLetterQueue(deadLetterQueues: readonly DeadLetterQueue[], reference: string): DeadLetterQueue {
  const found = deadLetterQueues.find(
    (queue) => queue.shortName === reference || queue.name === reference || queue.url === reference || queue.arn === reference || (reference.includes('://') && queueNameOfUrl(reference) === queue.name),
  );
  if (found !== undefined) return found;
  const known = deadLetterQueues.map((queue) => queue.shortName).join(', ');
  throw new QueueNotFoundError(`no dead-letter queue of the stack is called "${reference}"; known: ${known || 'none (is the stack deployed?)'}`);
}

/**
 * The short name of a DLQ: `OrderPipeline-ReserveInventoryDeadLetterQueueD60AB984[-suffix]` ->
 * `reserve-inventory`, `…ReserveInventoryTargetDeadLetterQueue…` -> `reserve-inventory-target`;
 * a name of another shape loses only the stack prefix.
 */
export function shortNameOf(queueName: string, stackName: string): string {
  const local = queueName.startsWith(`${stackName}-`) ? queueName.slice(stackName.length + 1) : queueName;
  const match = STEP_DLQ_NAME.exec(local);
  if (match?.groups === undefined) return local;
  const step = (match.groups.step ?? '').replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return match.groups.marker === TARGET_DLQ_MARKER ? `${step}-target` : step;
}

/** The queue name at the end of a queue URL (`…/<account>/<name>`). */
export function queueNameOfUrl(url: string): string {
  return url.replace(/\/+$/, '').split('/').pop() ?? url;
}

async function listQueueUrls(sqs: SQSClient, prefix: string): Promise<string[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    // MaxResults turns on paging; without it SQS returns at most 1000 and no token.
    const page = await call(() => sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: nextToken })), `list the queues named ${prefix}*`);
    urls.push(...(page.QueueUrls ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return urls;
}

async function listDeadLetterSources(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const urls: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await call(() => sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: queueUrl, MaxResults: 1000, NextToken: nextToken })), `list the redrive sources of ${queueUrl}`, queueUrl);
    urls.push(...(page.queueUrls ?? []));
    nextToken = page.NextToken;
  } while (nextToken !== undefined);
  return urls;
}

/** Rule-target DLQ name -> names of the queues the rules deliver to, over the stack's buses. */
async function ruleTargetDeadLetters(events: EventBridgeClient, stackName: string): Promise<Map<string, string[]>> {
  const deadLetters = new Map<string, string[]>();
  const { EventBuses } = await events.send(new ListEventBusesCommand({ NamePrefix: stackName }));
  for (const bus of EventBuses ?? []) {
    let nextToken: string | undefined;
    do {
      const page = await events.send(new ListRulesCommand({ EventBusName: bus.Name, NextToken: nextToken }));
      for (const rule of page.Rules ?? []) {
        const { Targets } = await events.send(new ListTargetsByRuleCommand({ Rule: rule.Name, EventBusName: bus.Name }));
        for (const target of Targets ?? []) {
          const deadLetterArn = target.DeadLetterConfig?.Arn;
          if (deadLetterArn === undefined || target.Arn === undefined || !target.Arn.startsWith('arn:aws:sqs:')) continue;
          const name = queueNameOfArn(deadLetterArn);
          deadLetters.set(name, [...(deadLetters.get(name) ?? []), queueNameOfArn(target.Arn)]);
        }
      }
      nextToken = page.NextToken;
    } while (nextToken !== undefined);
  }
  return deadLetters;
}

async function queueReference(sqs: SQSClient, url: string): Promise<QueueReference> {
  const { QueueArn } = await queueAttributes(sqs, url, ['QueueArn']);
  return { name: queueNameOfUrl(url), url, arn: QueueArn ?? '' };
}

async function queueAttributes(sqs: SQSClient, url: string, names: ('QueueArn' | 'ApproximateNumberOfMessages' | 'ApproximateNumberOfMessagesNotVisible')[]): Promise<Partial<Record<string, string>>> {
  const { Attributes } = await call(() => sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names })), `read the attributes of ${url}`, url);
  return Attributes ?? {};
}

async function call<T>(run: () => Promise<T>, what: string, queueUrl?: string): Promise<T> {
  try {
    return await run();
  } catch (cause) {
    throw new DiscoveryError(`could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause, ...(queueUrl === undefined ? {} : { queueUrl }) });
  }
}
