import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SqsService } from '#cloud/sqs/sqs-service';
import { DataDirectories } from '#test/support/data-directories';

const directories = new DataDirectories();
afterAll(() => directories.removeAll());

const SEND_LOOP = fileURLToPath(new URL('./sqs-send-loop.ts', import.meta.url));
const ACKNOWLEDGED_BEFORE_KILL = 200;

/** Runs the send loop until it has acknowledged `count` sends, then SIGKILLs it; returns what it acknowledged. */
async function sendUntilKilled(directory: string, count: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', SEND_LOOP, directory], { stdio: ['ignore', 'pipe', 'inherit'] });
  const acknowledged: string[] = [];
  let partial = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    acknowledged.push(...lines);
    if (acknowledged.length >= count) child.kill('SIGKILL');
  });
  const [exitCode, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  if (signal !== 'SIGKILL') throw new Error(`the send loop ended by itself (exit code ${exitCode})`);
  return acknowledged;
}

describe('SQS persistence against a real SIGKILL', () => {
  it('loses no acknowledged message', async () => {
    // Prepare
    const directory = directories.create();
    const acknowledged = await sendUntilKilled(directory, ACKNOWLEDGED_BEFORE_KILL);

    // Act
    const sqs = new SqsService({ persistence: directory });
    const stored = new Set<string>();
    for (;;) {
      const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: 'place-order', MaxNumberOfMessages: 10 });
      if (Messages.length === 0) break;
      for (const message of Messages) stored.add(message.MessageId);
    }
    sqs.close();

    // Assess
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);
    expect(acknowledged.filter((messageId) => !stored.has(messageId))).toEqual([]);
  }, 15_000);
});
