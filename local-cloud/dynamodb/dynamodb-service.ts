/**
 * DynamoDB for the local cloud: dynalite (a well-kept DynamoDB implementation) behind a lock
 * that adds what it lacks, TransactWriteItems and TransactGetItems. Ordinary requests are
 * handed to dynalite untouched and run together; a transaction runs alone.
 */
import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import dynalite from 'dynalite';
import { AwsServiceError } from '#cloud/aws-error';
import type { DynamoDbRequestAuthorizer } from '#cloud/dynamodb/dynamodb-authorization';
import { accessKeyIdOf } from '#cloud/iam/request-credentials';
import { DynaliteClient } from '#cloud/dynamodb/dynalite-client';
import { ReadWriteLock } from '#cloud/dynamodb/read-write-lock';
import { DynamoDbTransactions, TransactionCanceledError } from '#cloud/dynamodb/transactions';
import { UndoLog } from '#cloud/dynamodb/undo-log';

/** The JSON-protocol target prefix of DynamoDB requests. */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** Options of {@link startLocalDynamoDb}. */
export interface LocalDynamoDbOptions {
  /** Directory of the LevelDB store; the transaction undo log is the file `<path>.undo`. @default in memory */
  readonly path?: string;
}

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  /** Answers one DynamoDB request (its body not yet read). */
  handle(request: IncomingMessage, response: ServerResponse): void;
  /** Direct wire-format calls, for the local cloud's own set-up (tables, seeding). */
  readonly client: DynaliteClient;
  /** Decides each request signed with a role session's key before it runs; undefined stops deciding. */
  authorizeWith(authorizer: DynamoDbRequestAuthorizer | undefined): void;
  close(): Promise<void>;
}

/** Starts dynalite on an ephemeral loopback port and the transaction layer in front of it. */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const server: Server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const client = new DynaliteClient((server.address() as AddressInfo).port);
  const transactions = new DynamoDbTransactions(client, options.path ? new UndoLog(`${options.path}.undo`) : undefined);
  await transactions.rollBackInterrupted();
  const lock = new ReadWriteLock();
  let authorizer: DynamoDbRequestAuthorizer | undefined;

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // Whatever the request waits for, the lock it gets is released when its exchange ends. A
    // client that went away while its request waited (its SDK timed out, its function was
    // replaced) must not keep the lock: one such leak stalled every later request for good.
    const ended = new Promise<void>((resolve) => response.once('close', resolve));
    const gone = () => request.socket.destroyed || response.destroyed;
    const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const transaction = operation === 'TransactWriteItems' || operation === 'TransactGetItems';
    const runTransaction = (inputOf: () => Promise<Record<string, unknown>>) =>
      void lock
        .exclusive(async () => {
          if (gone()) return;
          const input = await inputOf();
          const output = operation === 'TransactWriteItems' ? await transactions.transactWriteItems(input as never) : await transactions.transactGetItems(input as never);
          sendJson(response, 200, output);
        })
        .catch((error: unknown) => {
          if (!gone()) sendError(response, error);
        });
    const runOnDynalite = (incoming: IncomingMessage) =>
      void lock.shared(async () => {
        if (gone()) return;
        server.emit('request', incoming, response);
        await ended;
      });

    const accessKeyId = authorizer === undefined ? undefined : accessKeyIdOf(request.headers.authorization, request.url);
    if (authorizer?.governs(accessKeyId)) {
      // A role session's request is read first, to know what it asks for; dynalite then gets it replayed.
      const decide = authorizer;
      readBody(request)
        .then((body) => {
          const input = parseObject(body);
          const refusal = input === undefined ? undefined : decide.authorize(accessKeyId as string, operation, input);
          if (refusal !== undefined) return sendJson(response, refusal.statusCode, refusal.body);
          if (transaction) return runTransaction(async () => input ?? {});
          runOnDynalite(replayed(request, body));
        })
        .catch((error: unknown) => {
          if (!gone()) sendError(response, error);
        });
      return;
    }
    if (transaction) return runTransaction(async () => JSON.parse((await readBody(request)) || '{}'));
    runOnDynalite(request);
  };

  return {
    handle,
    client,
    authorizeWith: (next) => {
      authorizer = next;
    },
    close: async () => {
      client.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error?: Error) => (error ? reject(error) : resolve())));
    },
  };
}

/** `body` as a JSON object, or undefined when it is not one (dynalite then answers the error). */
function parseObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A request whose body was already read, replayed for dynalite, which reads it as a stream. */
function replayed(request: IncomingMessage, body: string): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body, 'utf8')]), { headers: request.headers, method: request.method, url: request.url, socket: request.socket }) as unknown as IncomingMessage;
}

/** The request's body; rejects when the client goes away before sending all of it. */
function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('the client went away before sending the whole request'));
    });
  });
}

function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof AwsServiceError) {
    sendJson(response, error.statusCode, {
      __type: `com.amazonaws.dynamodb.v20120810#${error.code}`,
      message: error.message,
      ...(error instanceof TransactionCanceledError ? { CancellationReasons: error.cancellationReasons } : {}),
    });
    return;
  }
  sendJson(response, 500, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: error instanceof Error ? error.message : String(error) });
}
