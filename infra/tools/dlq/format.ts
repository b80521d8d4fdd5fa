/**
 * What the CLI prints: tables and blocks for people, plain objects for `--json`. Pure functions
 * of the data, so the layout is tested without a cloud.
 */
import type { DeadLetterQueue } from '#infra/tools/dlq/discovery';
import type { ParkedMessage, PeekResult } from '#infra/tools/dlq/inspect';
import { DeadLetterKind, RedriveMethod, type RedriveProgress, type RedriveResult } from '#cloud/dead-letter-redrive';

/** A DLQ with what a read of its messages found (undefined: empty, so not read). */
export interface DeadLetterQueueListing {
  readonly queue: DeadLetterQueue;
  readonly peek?: PeekResult;
}

const KIND_LABEL: Record<DeadLetterKind, string> = {
  [DeadLetterKind.queue]: 'queue DLQ',
  [DeadLetterKind.ruleTarget]: 'rule-target DLQ',
};
const METHOD_LABEL: Record<RedriveMethod, string> = {
  [RedriveMethod.moveTask]: 'SQS message move task',
  [RedriveMethod.copy]: 'copy, then delete',
};

/** The `list` table. */
export function formatList(listings: readonly DeadLetterQueueListing[], stackName: string, now: Date): string {
  if (listings.length === 0) return `No dead-letter queues of ${stackName} found (is the stack deployed to this target?).`;
  const rows = listings.map(({ queue, peek }) => [
    queue.shortName,
    KIND_LABEL[queue.kind],
    queue.sources.map((source) => withoutStackPrefix(source.name, stackName)).join(', ') || '?',
    String(queue.visible),
    String(queue.inFlight),
    oldestAge(peek, now),
  ]);
  return table(['DLQ', 'KIND', 'SOURCE', 'VISIBLE', 'IN FLIGHT', 'OLDEST'], rows);
}

/** The `list --json` document. */
export function listAsJson(listings: readonly DeadLetterQueueListing[]): unknown {
  return listings.map(({ queue, peek }) => {
    const oldest = peek?.messages[0]?.sentAt;
    return {
      shortName: queue.shortName,
      name: queue.name,
      url: queue.url,
      arn: queue.arn,
      kind: queue.kind,
      sources: queue.sources.map((source) => source.name),
      visible: queue.visible,
      inFlight: queue.inFlight,
      oldestSentAt: oldest?.toISOString() ?? null,
      // False when only some messages were read: the oldest may be older.
      oldestIsExact: peek === undefined || peek.complete,
    };
  });
}

/** The `show` output: a heading, then one block per message. */
export function formatShow(queue: DeadLetterQueue, peek: PeekResult, now: Date): string {
  const sources = queue.sources.map((source) => source.name).join(', ') || 'an unknown queue';
  const heading = `${queue.shortName}: ${KIND_LABEL[queue.kind]} of ${sources}; ${plural(peek.visible, 'message')} visible, ${peek.messages.length} shown${peek.complete ? '' : ' (not all: raise --limit, or SQS sampled)'}`;
  return [heading, ...peek.messages.map((message) => formatMessage(message, now))].join('\n\n');
}

/** The `show --json` document. */
export function showAsJson(queue: DeadLetterQueue, peek: PeekResult): unknown {
  return { queue: { shortName: queue.shortName, name: queue.name, url: queue.url, kind: queue.kind }, visible: peek.visible, complete: peek.complete, messages: peek.messages };
}

/** One line of redrive progress. */
export function formatProgress(queue: DeadLetterQueue, progress: RedriveProgress): string {
  return `${queue.shortName}: ${progress.moved}/${progress.toMove} moved`;
}

/** The line a finished redrive ends with. */
export function formatRedriveResult(queue: DeadLetterQueue, result: RedriveResult, stackName: string): string {
  const to = result.destinations.length === 0 ? 'their source queues' : result.destinations.map((arn) => withoutStackPrefix(arn.split(':').pop() ?? arn, stackName)).join(', ');
  return `${queue.shortName}: moved ${result.moved} of ${result.toMove} to ${to} (${METHOD_LABEL[result.method]})`;
}

function formatMessage(message: ParkedMessage, now: Date): string {
  const receives =
    message.receiveCountSource === 'parking-record'
      ? `${message.receiveCount} (when ${message.step ?? 'the step'} parked it)`
      : `${message.receiveCount} (SQS ApproximateReceiveCount, this read included)`;
  const fields: [string, string | undefined][] = [
    ['order id', message.orderId ?? '?'],
    ['detail-type', message.detailType ?? '?'],
    ['error', message.error ?? 'none recorded (moved by the redrive policy after maxReceiveCount receives)'],
    ['receive count', receives],
    ['sent', `${message.sentAt.toISOString()} (${age(now.getTime() - message.sentAt.getTime())} ago)`],
    ['rule', message.ruleArn],
    ['target', message.targetArn],
    ['source message', message.sourceMessageId],
  ];
  const shown = fields.filter((field): field is [string, string] => field[1] !== undefined);
  return [`message ${message.messageId}`, ...shown.map(([name, value]) => `  ${name.padEnd(15)}${value}`)].join('\n');
}

function oldestAge(peek: PeekResult | undefined, now: Date): string {
  const oldest = peek?.messages[0];
  if (peek === undefined || oldest === undefined) return '-';
  return `${peek.complete ? '' : '>='}${age(now.getTime() - oldest.sentAt.getTime())}`;
}

/** A duration as people read it: 42s, 7m, 3h 5m, 2d 4h. */
function age(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours}h ${minutes % 60}m`;
  return `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

function table(headings: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headings.map((heading, column) => Math.max(heading.length, ...rows.map((row) => row[column]?.length ?? 0)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(headings), ...rows.map(line)].join('\n');
}

function withoutStackPrefix(name: string, stackName: string): string {
  return name.startsWith(`${stackName}-`) ? name.slice(stackName.length + 1) : name;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
