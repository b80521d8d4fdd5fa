/**
 * The local DynamoDB in a process of its own. dynalite does all its work on one thread; in the
 * local cloud's process it shared that thread with every other AWS API and became the
 * bottleneck under load. Functions reach it directly (the SDK's `AWS_ENDPOINT_URL_DYNAMODB`);
 * other clients still reach it through the gateway, which forwards their requests.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest, Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { DynamoDbWireClient } from '#cloud/dynamodb/dynamodb-wire-client';
import type { LocalDynamoDb, LocalDynamoDbOptions } from '#cloud/dynamodb/dynamodb-service';
import type { ExercisedCall } from '#cloud/iam/access-control';
import type { AccessRefusal } from '#cloud/iam/access-denied';
import type { PermissionModel } from '#cloud/iam/permission-model';

/** A local DynamoDB running in its own process. */
export interface LocalDynamoDbProcess extends Omit<LocalDynamoDb, 'authorizeWith' | 'requestCounts'> {
  /** Its own endpoint, for SDK clients (`AWS_ENDPOINT_URL_DYNAMODB`). */
  readonly endpoint: string;
  /** The CPU time the process has used so far (`process.cpuUsage()` in it), for benchmarks. */
  cpuUsage(): Promise<NodeJS.CpuUsage>;
  /** Requests the process answered so far, by operation, for benchmarks (functions call it directly). */
  requestCounts(): Promise<Readonly<Record<string, number>>>;
  /**
   * Has the process decide each request signed with a role session's key against `model` (it
   * compiles the policies once), reporting each refusal to `onRefusal`. Resolves once it does.
   */
  enforcePermissions(model: PermissionModel, onRefusal: (refusal: AccessRefusal) => void): Promise<void>;
  /** The calls roles made that the process allowed, so far. */
  exercisedPermissions(): Promise<ExercisedCall[]>;
}

/** What the DynamoDB process tells its parent, besides its port and CPU usage. */
export type DynamoDbProcessMessage =
  | { readonly accessDenied: AccessRefusal }
  | { readonly permissionsEnforced: true }
  | { readonly exercised: readonly ExercisedCall[] }
  | { readonly requestCounts: Readonly<Record<string, number>> };

const ENTRY = fileURLToPath(new URL('./dynamodb-process-main.ts', import.meta.url));
/** Starting takes well under a second; this only guards against a child that never answers. */
const START_TIMEOUT_MS = 30_000;

/** Starts the local DynamoDB in a child process (run with tsx, as the rest of the cloud). */
export async function startLocalDynamoDbProcess(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDbProcess> {
  const child = fork(ENTRY, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, LOCAL_DYNAMODB_PATH: options.path ?? '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await portOf(child);
  const endpoint = `http://127.0.0.1:${port}`;
  const agent = new Agent({ keepAlive: true });
  const client = new DynamoDbWireClient(port);

  const handle = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
    const forwarded = httpRequest({ host: '127.0.0.1', port, method: incoming.method, path: incoming.url, headers: incoming.headers, agent }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 500, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      outgoing.end(JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: `local DynamoDB unreachable: ${error.message}` }));
    });
    incoming.pipe(forwarded);
  };

  const cpuUsage = () =>
    new Promise<NodeJS.CpuUsage>((resolve) => {
      const onMessage = (message: { cpuUsage?: NodeJS.CpuUsage }) => {
        if (message.cpuUsage === undefined) return;
        child.off('message', onMessage);
        resolve(message.cpuUsage);
      };
      child.on('message', onMessage);
      child.send('cpu-usage');
    });

  /** The next message of the kind `pick` finds in it. */
  const nextMessage = <T>(pick: (message: Record<string, unknown>) => T | undefined) =>
    new Promise<T>((resolve) => {
      const onMessage = (message: Record<string, unknown>) => {
        const picked = typeof message === 'object' && message !== null ? pick(message) : undefined;
        if (picked === undefined) return;
        child.off('message', onMessage);
        resolve(picked);
      };
      child.on('message', onMessage);
    });

  const enforcePermissions = async (model: PermissionModel, onRefusal: (refusal: AccessRefusal) => void) => {
    child.on('message', (message: { accessDenied?: AccessRefusal }) => {
      if (message.accessDenied !== undefined) onRefusal(message.accessDenied);
    });
    const enforced = nextMessage((message) => message.permissionsEnforced as true | undefined);
    child.send({ permissions: model });
    await enforced;
  };

  const requestCounts = async () => {
    const answer = nextMessage((message) => message.requestCounts as Record<string, number> | undefined);
    child.send('request-counts');
    return answer;
  };

  const exercisedPermissions = async () => {
    const answer = nextMessage((message) => message.exercised as ExercisedCall[] | undefined);
    child.send({ exercised: true });
    return answer;
  };

  return {
    endpoint,
    handle,
    client,
    cpuUsage,
    requestCounts,
    enforcePermissions,
    exercisedPermissions,
    close: async () => {
      client.close();
      agent.destroy();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send('stop');
      await exited;
    },
  };
}

function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`the local DynamoDB process did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('message', (message: { port?: number }) => {
      clearTimeout(timer);
      if (typeof message.port === 'number') resolve(message.port);
      else reject(new Error(`the local DynamoDB process sent ${JSON.stringify(message)} instead of its port`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the local DynamoDB process exited before it started (code ${code}, signal ${signal})`));
    });
  });
}
