/**
 * DynamoDB for the local cloud: dynalite (a well-kept DynamoDB implementation) called in-process,
 * behind a lock that adds what it lacks, TransactWriteItems and TransactGetItems. Each request is
 * read and parsed once, authorized, and handed to dynalite's action; ordinary requests run
 * together, a transaction runs alone.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AwsServiceError } from '#cloud/aws-error';
import { DynaliteActions } from '#cloud/dynamodb/dynalite-actions';
import type { DynamoDbRequestAuthorizer } from '#cloud/dynamodb/dynamodb-authorization';
import { DynamoDbError, type DynamoDbCaller } from '#cloud/dynamodb/dynamodb-caller';
import { accessKeyIdOf } from '#cloud/iam/request-credentials';
import { ReadWriteLock } from '#cloud/dynamodb/read-write-lock';
import { DynamoDbTransactions, TransactionCanceledError } from '#cloud/dynamodb/transactions';
import { UndoLog } from '#cloud/dynamodb/undo-log';

/** The JSON-protocol target prefix of DynamoDB requests. */
export const DYNAMODB_TARGET_PREFIX = 'DynamoDB_20120810';

/** The transaction operations, which this layer serves itself. */
const TRANSACTION_OPERATIONS = new Set(['TransactWriteItems', 'TransactGetItems']);

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
  readonly client: DynamoDbCaller;
  /** Decides each request signed with a role session's key before it runs; undefined stops deciding. */
  authorizeWith(authorizer: DynamoDbRequestAuthorizer | undefined): void;
  /** Requests answered so far, by operation (refused ones included), for benchmarks. */
  requestCounts(): Readonly<Record<string, number>>;
  close(): Promise<void>;
}

/** Opens dynalite's store and the transaction layer over it. */
export async function startLocalDynamoDb(options: LocalDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const actions = new DynaliteActions(options.path ? { path: options.path } : {});
  const transactions = new DynamoDbTransactions(actions, options.path ? new UndoLog(`${options.path}.undo`) : undefined);
  await transactions.rollBackInterrupted();
  const lock = new ReadWriteLock();
  const counts: Record<string, number> = {};
  let authorizer: DynamoDbRequestAuthorizer | undefined;

  /** Runs one parsed request: a transaction alone, anything else alongside other requests. */
  const run = (operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> => {
    if (operation === 'TransactWriteItems') return lock.exclusive(() => transactions.transactWriteItems(input as never));
    if (operation === 'TransactGetItems') return lock.exclusive(() => transactions.transactGetItems(input as never));
    return lock.shared(() => actions.call(operation, input));
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    // A client that went away (its SDK timed out, its function was replaced) is not served:
    // its request neither waits for nor takes the lock.
    const gone = () => request.socket.destroyed || response.destroyed;
    const [api, operation = ''] = String(request.headers['x-amz-target'] ?? '').split('.');
    counts[operation] = (counts[operation] ?? 0) + 1;
    readBody(request)
      .then((body) => {
        if (api !== DYNAMODB_TARGET_PREFIX || !(TRANSACTION_OPERATIONS.has(operation) || DynaliteActions.serves(operation))) {
          return sendJson(response, 400, { __type: 'com.amazon.coral.service#UnknownOperationException' });
        }
        const input = parseObject(body);
        if (input === undefined) return sendJson(response, 400, { __type: 'com.amazon.coral.service#SerializationException' });
        const accessKeyId = accessKeyIdOf(request.headers.authorization, request.url);
        if (accessKeyId === undefined) {
          return sendJson(response, 400, { __type: 'com.amazon.coral.service#MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' });
        }
        if (authorizer?.governs(accessKeyId)) {
          const refusal = authorizer.authorize(accessKeyId, operation, input);
          if (refusal !== undefined) return sendJson(response, refusal.statusCode, refusal.body);
        }
        if (gone()) return;
        return run(operation, input).then((output) => {
          if (!gone()) sendJson(response, 200, output);
        });
      })
      .catch((error: unknown) => {
        if (!gone()) sendError(response, error);
      });
  };

  return {
    handle,
    client: { call: (operation, input) => run(operation, structuredClone(input) as Record<string, unknown>) },
    authorizeWith: (next) => {
      authorizer = next;
    },
    requestCounts: () => ({ ...counts }),
    close: () => actions.close(),
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

/**
 * Answers as DynamoDB does, with a request id. DynamoDB also sends `x-amz-crc32`; the clients that
 * check it (botocore, the SDK for Java v1) do so only when it is present, so it is left out
 * rather than computed for every answer.
 */
function sendJson(response: ServerResponse, statusCode: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(statusCode, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  response.end(text);
}

function sendError(response: ServerResponse, error: unknown): void {
  if (error instanceof DynamoDbError) {
    sendJson(response, error.statusCode, { __type: error.type, message: error.message });
    return;
  }
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
