import { describe, expect, it } from 'vitest';
import { DlqCommand, parseDlqArguments } from '#infra/tools/dlq/arguments';
import { UsageError } from '#infra/tools/dlq/errors';
import { TargetName } from '#infra/tools/dlq/targets';

describe('parseDlqArguments', () => {
  it('defaults to the local cloud, the OrderPipeline stack and 100 messages', () => {
    expect(parseDlqArguments(['list'])).toEqual({ command: DlqCommand.list, all: false, json: false, help: false, stackName: 'OrderPipeline', target: TargetName.local, limit: 100 });
  });

  it('takes a queue, a target, an endpoint without its trailing slash, a region and a rate', () => {
    expect(parseDlqArguments(['redrive', 'reserve-inventory', '--target', 'localstack', '--endpoint', 'http://localhost:4566/', '--region', 'eu-west-1', '--rate', '50'])).toMatchObject({
      command: DlqCommand.redrive,
      queue: 'reserve-inventory',
      target: TargetName.localstack,
      endpoint: 'http://localhost:4566',
      region: 'eu-west-1',
      rate: 50,
    });
  });

  it('accepts redrive --all without a queue, and --help without a command', () => {
    expect(parseDlqArguments(['redrive', '--all'])).toMatchObject({ command: DlqCommand.redrive, all: true });
    const help = parseDlqArguments(['--help']);
    expect(help.help).toBe(true);
    expect(help.command).toBeUndefined();
  });

  it.each([
    [[], 'a command is required: list, show or redrive'],
    [['purge', 'x'], 'unknown command "purge": use list, show or redrive'],
    [['show'], 'show takes one <queue>, got 0'],
    [['list', 'extra'], 'list takes no arguments, got "extra"'],
    [['redrive'], 'redrive takes one <queue>, or --all'],
    [['redrive', 'x', '--all'], 'with --all, redrive takes no <queue>'],
    [['list', '--target', 'gcp'], '--target must be one of local, localstack, aws, got "gcp"'],
    [['list', '--endpoint', 'localhost:4566'], '--endpoint must be an http(s) URL, got "localhost:4566"'],
    [['show', 'x', '--limit', '1.5'], '--limit must be a whole number from 1 to 10000, got "1.5"'],
    [['redrive', 'x', '--rate', '501'], '--rate must be a whole number from 1 to 500, got "501"'],
  ])('rejects %j: %s', (argv, message) => {
    expect(() => parseDlqArguments(argv)).toThrow(new UsageError(message));
  });

  it('rejects an unknown option as a usage error', () => {
    expect(() => parseDlqArguments(['list', '--purge'])).toThrow(UsageError);
  });
});
