/**
 * The no-op EventBridge server: PutEvents answered with one event id per entry, the response
 * SDK v3 expects, and nothing delivered.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html
 */
import { randomUUID } from 'node:crypto';
import { startNoopAwsServer, type NoopAwsServer } from './noop-aws-server.ts';

/** Starts the no-op EventBridge server. */
export function startNoopEventsServer(): Promise<NoopAwsServer> {
  return startNoopAwsServer({
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    operations: {
      PutEvents: (input) => {
        const entries = Array.isArray(input.Entries) ? input.Entries : [];
        return { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
      },
    },
  });
}
