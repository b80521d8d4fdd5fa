/**
 * The command line of `npm run dlq`: parsing and validation as pure functions, so a mistake is
 * reported (exit code 2) before any AWS call.
 */
import { parseArgs } from 'node:util';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { UsageError } from '#infra/tools/dlq/errors';
import { LOCAL_CLOUD_ENDPOINT, LOCALSTACK_DEFAULT_ENDPOINT, TargetName } from '#infra/tools/dlq/targets';

/** The tool's commands. */
export const DlqCommand = {
  list: 'list',
  show: 'show',
  redrive: 'redrive',
} as const;
export type DlqCommand = (typeof DlqCommand)[keyof typeof DlqCommand];

/** A valid command line. */
export interface DlqArguments {
  /** Undefined with `--help`. */
  readonly command?: DlqCommand;
  /** The `<queue>` of show and redrive. */
  readonly queue?: string;
  /** `redrive --all`: every DLQ that holds messages. */
  readonly all: boolean;
  readonly json: boolean;
  readonly help: boolean;
  /** @default 'OrderPipeline' */
  readonly stackName: string;
  readonly target: TargetName;
  readonly endpoint?: string;
  readonly region?: string;
  /** Messages `show` and `list` read at most per DLQ. @default 100 */
  readonly limit: number;
  /** Messages a redrive moves per second at most. @default unlimited */
  readonly rate?: number;
}

/** The help text. */
export const USAGE = `Usage: npm run dlq -- <command> [options]

Inspect and redrive the order pipeline's dead-letter queues.

Commands:
  list                  each DLQ of the stack: kind, source queue, messages visible / in flight, oldest message's age
  show <queue>          the messages parked in a DLQ: order id, error, receive count, sent time, detail-type
                        (read without consuming: each read adds 1 to SQS's ApproximateReceiveCount)
  redrive <queue>       move a DLQ's messages back: a queue DLQ's to its queue (SQS message move task,
                        or receive/send/delete where the target lacks it), a rule-target DLQ's to the
                        queue EventBridge could not deliver to (copy). Nothing is deleted before it was sent.
  redrive --all         redrive every DLQ that holds messages

<queue> is a name from list (reserve-inventory, reserve-inventory-target), a queue's full name, URL or ARN.

Options:
  --target <t>          local (default; the local cloud of npm start), localstack, aws
  --endpoint <url>      the AWS API endpoint (local: ${LOCAL_CLOUD_ENDPOINT}; localstack: $LOCALSTACK_ENDPOINT,
                        $AWS_ENDPOINT_URL or ${LOCALSTACK_DEFAULT_ENDPOINT}; aws: the SDK's)
  --region <region>     local targets: us-east-1 (localstack: $AWS_REGION); aws: the SDK's (AWS_REGION, profile)
  --stack <name>        the stack whose queues to look at (default ${ORDER_PIPELINE_STACK_NAME})
  --limit <n>           show, list: read at most n messages of a DLQ (default 100)
  --rate <n>            redrive: move at most n messages per second, 1 to 500 (default: as fast as SQS goes)
  --json                machine-readable output
  -h, --help            this text

Exit codes: 0 done, 1 failed, 2 wrong command line (or a <queue> the stack has no DLQ of).`;

const MAX_MOVE_RATE = 500;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;

/** Parses and checks the arguments after the script name; throws `UsageError`. */
export function parseDlqArguments(argv: readonly string[]): DlqArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        target: { type: 'string' },
        endpoint: { type: 'string' },
        region: { type: 'string' },
        stack: { type: 'string' },
        limit: { type: 'string' },
        rate: { type: 'string' },
        all: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause), { cause });
  }
  const { values, positionals } = parsed;
  const base = {
    all: values.all,
    json: values.json,
    help: values.help,
    stackName: values.stack ?? ORDER_PIPELINE_STACK_NAME,
    target: targetOf(values.target),
    ...(values.endpoint === undefined ? {} : { endpoint: endpointOf(values.endpoint) }),
    ...(values.region === undefined ? {} : { region: values.region }),
    limit: values.limit === undefined ? DEFAULT_LIMIT : integerOption('limit', values.limit, 1, MAX_LIMIT),
    ...(values.rate === undefined ? {} : { rate: integerOption('rate', values.rate, 1, MAX_MOVE_RATE) }),
  };
  if (values.help) return base;

  const [command, ...operands] = positionals;
  if (command === undefined) throw new UsageError('a command is required: list, show or redrive');
  switch (command) {
    case DlqCommand.list:
      expectOperands(command, operands, 0);
      return { ...base, command };
    case DlqCommand.show:
      expectOperands(command, operands, 1);
      return { ...base, command, queue: operands[0] };
    case DlqCommand.redrive:
      if (values.all) {
        expectOperands(command, operands, 0, 'with --all, redrive takes no <queue>');
        return { ...base, command };
      }
      expectOperands(command, operands, 1, 'redrive takes one <queue>, or --all');
      return { ...base, command, queue: operands[0] };
    default:
      throw new UsageError(`unknown command "${command}": use list, show or redrive`);
  }
}

function expectOperands(command: string, operands: readonly string[], count: number, message?: string): void {
  if (operands.length === count) return;
  throw new UsageError(message ?? (count === 0 ? `${command} takes no arguments, got "${operands.join(' ')}"` : `${command} takes one <queue>, got ${operands.length}`));
}

function targetOf(value: string | undefined): TargetName {
  if (value === undefined) return TargetName.local;
  const names: readonly string[] = Object.values(TargetName);
  if (!names.includes(value)) throw new UsageError(`--target must be one of ${names.join(', ')}, got "${value}"`);
  return value as TargetName;
}

function endpointOf(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) throw new UsageError(`--endpoint must be an http(s) URL, got "${value}"`);
  return value.replace(/\/+$/, '');
}

function integerOption(name: string, value: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return number;
}
