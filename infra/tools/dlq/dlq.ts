/**
 * `npm run dlq -- list | show <queue> | redrive <queue>|--all`: inspect and redrive the order
 * pipeline's dead-letter queues on the local cloud, LocalStack or AWS. This file wires the
 * command line to the modules and prints; `npm run dlq -- --help` says the rest.
 *
 * Exit codes: 0 done, 1 failed (AWS error, endpoint not answering, a redrive that stopped),
 * 2 wrong command line (including a `<queue>` the stack does not have).
 */
import { parseDlqArguments, USAGE, DlqCommand, type DlqArguments } from '#infra/tools/dlq/arguments';
import { discoverDeadLetterQueues, findDeadLetterQueue, type DeadLetterQueue } from '#infra/tools/dlq/discovery';
import { QueueNotFoundError, UsageError } from '#infra/tools/dlq/errors';
import { formatList, formatProgress, formatRedriveResult, formatShow, listAsJson, showAsJson, type DeadLetterQueueListing } from '#infra/tools/dlq/format';
import { peekMessages } from '#infra/tools/dlq/inspect';
import { RedriveError, redriveDeadLetterQueue, type RedriveResult } from '#cloud/dead-letter-redrive';
import { createClients, resolveTarget, unreachableEndpointError, type DlqClients, type Target } from '#infra/tools/dlq/targets';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';

silenceSdkNodeNotice();

const ExitCode = { ok: 0, failure: 1, usage: 2 } as const;
type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const out = (text: string) => process.stdout.write(`${text}\n`);
const err = (text: string) => process.stderr.write(`${text}\n`);

async function main(argv: readonly string[]): Promise<ExitCode> {
  let args: DlqArguments;
  try {
    args = parseDlqArguments(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`dlq: ${error.message}\nRun npm run dlq -- --help for the usage.`);
    return ExitCode.usage;
  }
  if (args.help || args.command === undefined) {
    out(USAGE);
    return ExitCode.ok;
  }

  const target = resolveTarget({ target: args.target, endpoint: args.endpoint, region: args.region });
  const clients = createClients(target);
  try {
    const discovery = await discoverDeadLetterQueues(clients, { stackName: args.stackName });
    for (const warning of discovery.warnings) err(`dlq: warning: ${warning}`);
    switch (args.command) {
      case DlqCommand.list:
        return await list(clients, discovery.deadLetterQueues, args);
      case DlqCommand.show:
        return await show(clients, findDeadLetterQueue(discovery.deadLetterQueues, args.queue ?? ''), args);
      case DlqCommand.redrive: {
        const queues = args.all ? discovery.deadLetterQueues.filter((queue) => queue.visible > 0) : [findDeadLetterQueue(discovery.deadLetterQueues, args.queue ?? '')];
        return await redrive(clients, queues, args, target);
      }
    }
  } catch (error) {
    const reported = unreachableEndpointError(error, target) ?? error;
    err(`dlq: ${reported instanceof Error ? reported.message : String(reported)}`);
    return reported instanceof QueueNotFoundError ? ExitCode.usage : ExitCode.failure;
  } finally {
    clients.sqs.destroy();
    clients.events.destroy();
  }
}

async function list(clients: DlqClients, queues: readonly DeadLetterQueue[], args: DlqArguments): Promise<ExitCode> {
  // Only a read tells a message's age (SQS reports the oldest's age as a CloudWatch metric only).
  const listings: DeadLetterQueueListing[] = await Promise.all(
    queues.map(async (queue) => (queue.visible > 0 ? { queue, peek: await peekMessages(clients.sqs, queue.url, { limit: args.limit }) } : { queue })),
  );
  out(args.json ? JSON.stringify(listAsJson(listings), null, 2) : formatList(listings, args.stackName, new Date()));
  return ExitCode.ok;
}

async function show(clients: DlqClients, queue: DeadLetterQueue, args: DlqArguments): Promise<ExitCode> {
  const peek = await peekMessages(clients.sqs, queue.url, { limit: args.limit });
  out(args.json ? JSON.stringify(showAsJson(queue, peek), null, 2) : formatShow(queue, peek, new Date()));
  return ExitCode.ok;
}

/** One DLQ's line in `redrive --json`. */
interface RedriveReport extends Partial<RedriveResult> {
  readonly queue: string;
  readonly moved: number;
  readonly error?: string;
}

async function redrive(clients: DlqClients, queues: readonly DeadLetterQueue[], args: DlqArguments, target: Target): Promise<ExitCode> {
  const reports: RedriveReport[] = [];
  if (queues.length === 0 && !args.json) out('No dead-letter queue holds messages: nothing to redrive.');
  for (const queue of queues) {
    if (queue.visible === 0) {
      reports.push({ queue: queue.shortName, moved: 0, toMove: 0 });
      if (!args.json) out(`${queue.shortName}: nothing to redrive (${queue.inFlight} in flight)`);
      continue;
    }
    let lastMoved = -1;
    try {
      const result = await redriveDeadLetterQueue(clients.sqs, queue, {
        ...(args.rate === undefined ? {} : { ratePerSecond: args.rate }),
        onProgress: (progress) => {
          if (args.json || progress.moved === lastMoved) return;
          lastMoved = progress.moved;
          out(formatProgress(queue, progress));
        },
      });
      reports.push({ queue: queue.shortName, ...result });
      if (!args.json) out(formatRedriveResult(queue, result, args.stackName));
    } catch (error) {
      // Report and go on with the other queues: one DLQ's trouble should not hold up the rest.
      const reported = unreachableEndpointError(error, target) ?? error;
      const message = reported instanceof Error ? reported.message : String(reported);
      reports.push({ queue: queue.shortName, moved: error instanceof RedriveError ? error.moved : 0, error: message });
      err(`dlq: ${queue.shortName}: ${message}`);
    }
  }
  if (args.json) out(JSON.stringify(reports, null, 2));
  return reports.some((report) => report.error !== undefined) ? ExitCode.failure : ExitCode.ok;
}

process.exitCode = await main(process.argv.slice(2));
