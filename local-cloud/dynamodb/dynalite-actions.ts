/**
 * dynalite's DynamoDB actions called in-process, on its LevelDB store: what dynalite's own HTTP
 * handler does once it has the request's JSON (type checks, validations, the action), without
 * the HTTP. The transaction layer used to reach dynalite through loopback HTTP, about ten
 * requests per order, each paying node:http on both sides and a JSON round trip; the
 * validations are dynalite's, so every request still gets DynamoDB's answers and errors.
 *
 * dynalite publishes no API below its HTTP server; its modules (`db`, `validations`,
 * `actions/*`) are what its handler itself calls, and the version is pinned in package.json.
 */
import { createRequire } from 'node:module';
import { DynamoDbError, type DynamoDbCaller } from '#cloud/dynamodb/dynamodb-caller';

/** An error dynalite throws for an answer: its HTTP status and body. */
interface DynaliteAnswerError extends Error {
  readonly statusCode?: number;
  readonly body?: { readonly __type?: string; readonly message?: string; readonly Message?: string };
}

/** dynalite's store: opaque here, handed back to its actions. */
interface DynaliteStore {
  readonly db: { close(callback: (error?: Error) => void): void };
  readonly lifecycleManager?: { gracefulClose(callback: (error?: Error) => void): void };
}

type ActionCallback = (error: DynaliteAnswerError | null | undefined, output?: Record<string, unknown>) => void;
type Action = (store: DynaliteStore, data: Record<string, unknown>, callback: ActionCallback) => void;
interface ActionValidation {
  readonly types: Record<string, unknown>;
  readonly custom?: unknown;
}

const require = createRequire(import.meta.url);
const dynaliteDb = require('dynalite/db') as { create(options: Record<string, unknown>): DynaliteStore };
const validations = require('dynalite/validations') as {
  checkTypes(data: unknown, types: Record<string, unknown>): Record<string, unknown>;
  checkValidations(data: Record<string, unknown>, types: Record<string, unknown>, custom: unknown, store: DynaliteStore): void;
};

/** The operations dynalite serves (its own list), each as its action module's name. */
const OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'DescribeTimeToLive',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;

/** Each operation's action and validation, loaded once. */
const HANDLERS: ReadonlyMap<string, { readonly action: Action; readonly validation: ActionValidation }> = new Map(
  OPERATIONS.map((operation) => {
    const module = operation.charAt(0).toLowerCase() + operation.slice(1);
    return [operation, { action: require(`dynalite/actions/${module}`) as Action, validation: require(`dynalite/validations/${module}`) as ActionValidation }];
  }),
);

/** Operations after which dynalite changes the table's status on a timer. */
const TABLE_LIFECYCLE_OPERATIONS: ReadonlySet<string> = new Set(['CreateTable', 'UpdateTable', 'DeleteTable']);

/** Options of {@link DynaliteActions}. */
export interface DynaliteActionsOptions {
  /** Directory of the LevelDB store. @default in memory */
  readonly path?: string;
}

/** dynalite's store and actions in this process; see the module comment. */
export class DynaliteActions implements DynamoDbCaller {
  readonly #store: DynaliteStore;

  constructor(options: DynaliteActionsOptions = {}) {
    // Tables are ACTIVE at once: nothing here waits for CREATING to pass.
    this.#store = dynaliteDb.create({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(options.path ? { path: options.path } : {}) });
  }

  /** Whether dynalite serves `operation`. */
  static serves(operation: string): boolean {
    return HANDLERS.has(operation);
  }

  /**
   * Runs `operation` on `input` (which dynalite's type checks may change: pass a copy to keep
   * it) as dynalite's HTTP handler would, and resolves with its output.
   */
  call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const handler = HANDLERS.get(operation);
    if (handler === undefined) return Promise.reject(new DynamoDbError('com.amazon.coral.service#UnknownOperationException', `Unknown operation ${operation}`, 400));
    let data: Record<string, unknown>;
    try {
      data = validations.checkTypes(input ?? {}, handler.validation.types);
      validations.checkValidations(data, handler.validation.types, handler.validation.custom, this.#store);
    } catch (error) {
      return Promise.reject(answerError(error));
    }
    const answered = new Promise<Record<string, unknown>>((resolve, reject) => {
      try {
        handler.action(this.#store, data, (error, output) => (error ? reject(answerError(error)) : resolve(output ?? {})));
      } catch (error) {
        reject(answerError(error));
      }
    });
    return TABLE_LIFECYCLE_OPERATIONS.has(operation) ? answered.then(async (output) => (await this.#tableSettled(operation, data.TableName as string), output)) : answered;
  }

  /**
   * dynalite answers CreateTable, UpdateTable and DeleteTable first and makes the table ACTIVE
   * (or deletes it) on a timer afterwards, even at 0 ms; over HTTP the next request came later,
   * in-process it comes at once and would find the table CREATING (ResourceNotFoundException).
   * Waiting here keeps the promise that tables are ready as soon as the call returns.
   */
  async #tableSettled(operation: string, tableName: string): Promise<void> {
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const status = await this.call('DescribeTable', { TableName: tableName }).then(
        (output) => (output.Table as { TableStatus?: string } | undefined)?.TableStatus,
        (error: unknown) => {
          if (error instanceof DynamoDbError && error.code.endsWith('ResourceNotFoundException')) return undefined;
          throw error;
        },
      );
      if (operation === 'DeleteTable' ? status === undefined : status === 'ACTIVE') return;
    }
  }

  /** Closes the store once its pending writes are done. */
  close(): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => (error ? reject(error) : resolve());
      if (this.#store.lifecycleManager) this.#store.lifecycleManager.gracefulClose(done);
      else this.#store.db.close(done);
    });
  }
}

/** dynalite's answer as a {@link DynamoDbError}; anything else (a bug, a store failure) as it is. */
function answerError(error: unknown): unknown {
  const answer = error as DynaliteAnswerError;
  if (answer?.statusCode === undefined || answer.body === undefined) return error;
  return new DynamoDbError(String(answer.body.__type ?? 'InternalFailure'), String(answer.body.message ?? answer.body.Message ?? ''), answer.statusCode);
}
