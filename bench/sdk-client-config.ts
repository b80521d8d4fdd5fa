/**
 * The one SDK client configuration every load in the bench uses, whatever the server: the
 * local cloud and its no-op counterpart differ only in `endpoint`, so their rates are compared
 * under the same client, and it has the handlers' own settings, so the floor's call costs what
 * a handler's would.
 */
import { Agent } from 'node:http';
import { SDK_CLIENT_SETTINGS } from '#shared/runtime/sdk-client-settings';

/** Bench credentials: the local cloud and the no-op servers check no signature. */
const BENCH_CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' } as const;

/** The client settings shared by every benchmarked SDK client. */
export interface BenchClientConfig {
  readonly endpoint: string;
  readonly region: string;
  readonly credentials: typeof BENCH_CREDENTIALS;
  readonly maxAttempts: number;
  readonly requestHandler: { readonly httpAgent: Agent };
  readonly cacheMiddleware: boolean;
}

/**
 * A configuration for an SDK v3 client against `endpoint`: keep-alive connections, as many as
 * requests in flight (so none waits for a socket), and no retries, so an error shows as an
 * error instead of as a slower rate.
 */
export function benchClientConfig(endpoint: string, concurrency: number): BenchClientConfig {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: BENCH_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
    ...SDK_CLIENT_SETTINGS,
  };
}
