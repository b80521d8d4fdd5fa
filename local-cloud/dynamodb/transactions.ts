/**
 * TransactWriteItems and TransactGetItems over dynalite, which has neither. The caller holds
 * the exclusive lock, so no other request sees or changes the items in between: every item is
 * read first, each action is applied as its own conditional write, and if any condition fails
 * every item is put back as it was, with one cancellation reason per action, as DynamoDB does.
 * With an undo log, a transaction a crash cut in half is put back at the next start.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/APIReference/API_TransactWriteItems.html
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '#cloud/dynamodb/canonical-json';
import { AwsServiceError } from '#cloud/aws-error';
import { DynamoDbError, type DynamoDbCaller } from '#cloud/dynamodb/dynamodb-caller';
import type { BeforeImage, UndoLog } from '#cloud/dynamodb/undo-log';

type AttributeMap = Record<string, unknown>;

interface WriteAction {
  readonly kind: 'Put' | 'Update' | 'Delete' | 'ConditionCheck';
  readonly TableName: string;
  readonly Key?: AttributeMap;
  readonly Item?: AttributeMap;
  readonly ConditionExpression?: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
  readonly ExpressionAttributeValues?: AttributeMap;
  readonly UpdateExpression?: string;
  readonly ReturnValuesOnConditionCheckFailure?: 'ALL_OLD' | 'NONE';
}

interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
  readonly Item?: AttributeMap;
}

/** A cancelled transaction; its reasons go in the error body, one per action. */
export class TransactionCanceledError extends AwsServiceError {
  constructor(readonly cancellationReasons: readonly CancellationReason[]) {
    super(
      'TransactionCanceledException',
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${cancellationReasons.map((reason) => reason.Code).join(', ')}]`,
    );
  }
}

/** A transaction holds at most 100 actions. */
const MAX_TRANSACTION_ITEMS = 100;
/** A ClientRequestToken makes a transaction idempotent for 10 minutes. */
const CLIENT_TOKEN_TTL_MS = 10 * 60 * 1000;

/** Runs DynamoDB transactions against one dynalite store. */
export class DynamoDbTransactions {
  readonly #keySchemas = new Map<string, readonly string[]>();
  readonly #clientTokens = new Map<string, { readonly requestHash: string; readonly expiresAt: number }>();

  constructor(
    private readonly dynalite: DynamoDbCaller,
    private readonly undoLog?: UndoLog,
  ) {}

  /** Puts back the items of a transaction the last run was killed in the middle of. */
  async rollBackInterrupted(): Promise<void> {
    if (!this.undoLog) return;
    await Promise.all(this.undoLog.interrupted().map((image) => this.#restore(image)));
    this.undoLog.clear();
  }

  /** TransactWriteItems; the caller must hold the exclusive lock. */
  async transactWriteItems(input: { TransactItems?: Record<string, unknown>[]; ClientRequestToken?: string }): Promise<Record<string, unknown>> {
    const actions = this.#writeActions(input.TransactItems);
    if (input.ClientRequestToken !== undefined && this.#alreadyApplied(input.ClientRequestToken, input)) return {};
    const keys = await Promise.all(actions.map((action) => this.#keyOf(action)));
    this.#rejectRepeatedItems(actions, keys);
    const before = await Promise.all(actions.map((action, index) => this.#get(action.TableName, keys[index] as AttributeMap)));
    const images: BeforeImage[] = actions.map((action, index) => ({ TableName: action.TableName, Key: keys[index] as AttributeMap, ...(before[index] ? { Item: before[index] } : {}) }));

    this.undoLog?.record(images);
    const restore = (indexes: readonly number[]) => Promise.all(indexes.map((index) => this.#restore(images[index] as BeforeImage)));

    const reasons: CancellationReason[] = [];
    try {
      for (const [index, action] of actions.entries()) reasons.push(await this.#apply(action, keys[index] as AttributeMap, before[index]));
    } catch (error) {
      await restore(actions.map((_action, index) => index));
      this.undoLog?.clear();
      throw error;
    }
    const cancelled = reasons.some((reason) => reason.Code !== 'None');
    // A condition check only tests; its probe write is always undone.
    await restore(actions.flatMap((action, index) => (cancelled || action.kind === 'ConditionCheck' ? [index] : [])));
    this.undoLog?.clear();
    if (cancelled) {
      throw new TransactionCanceledError(reasons);
    }
    if (input.ClientRequestToken !== undefined) this.#remember(input.ClientRequestToken, input);
    return {};
  }

  /** TransactGetItems; the caller must hold the exclusive lock (or a shared one: it only reads). */
  async transactGetItems(input: { TransactItems?: { Get?: { TableName: string; Key: AttributeMap; ProjectionExpression?: string; ExpressionAttributeNames?: Record<string, string> } }[] }): Promise<Record<string, unknown>> {
    const items = input.TransactItems ?? [];
    if (items.length < 1 || items.length > MAX_TRANSACTION_ITEMS) {
      throw new AwsServiceError('ValidationException', `TransactItems must have between 1 and ${MAX_TRANSACTION_ITEMS} items, got ${items.length}`);
    }
    const responses = await Promise.all(
      items.map(async ({ Get }) => {
        if (!Get) throw new AwsServiceError('ValidationException', 'each TransactItems entry must be a Get');
        const { Item } = await this.#call('GetItem', { ...Get, ConsistentRead: true });
        return Item === undefined ? {} : { Item };
      }),
    );
    return { Responses: responses };
  }

  #writeActions(items: Record<string, unknown>[] | undefined): WriteAction[] {
    if (!Array.isArray(items) || items.length < 1 || items.length > MAX_TRANSACTION_ITEMS) {
      throw new AwsServiceError('ValidationException', `TransactItems must have between 1 and ${MAX_TRANSACTION_ITEMS} items, got ${Array.isArray(items) ? items.length : 0}`);
    }
    return items.map((item, index) => {
      const kinds = (['Put', 'Update', 'Delete', 'ConditionCheck'] as const).filter((kind) => item[kind] !== undefined);
      if (kinds.length !== 1) {
        throw new AwsServiceError('ValidationException', `TransactItems.${index + 1} must set exactly one of Put, Update, Delete, ConditionCheck`);
      }
      const kind = kinds[0] as WriteAction['kind'];
      return { kind, ...(item[kind] as Omit<WriteAction, 'kind'>) };
    });
  }

  async #keyOf(action: WriteAction): Promise<AttributeMap> {
    if (action.kind !== 'Put') {
      if (!action.Key) throw new AwsServiceError('ValidationException', `${action.kind} on ${action.TableName} needs a Key`);
      return action.Key;
    }
    const names = await this.#keySchema(action.TableName);
    const item = action.Item ?? {};
    const missing = names.filter((name) => item[name] === undefined);
    if (missing.length > 0) throw new AwsServiceError('ValidationException', `One or more parameter values were invalid: Missing the key ${missing.join(', ')} in the item`);
    return Object.fromEntries(names.map((name) => [name, item[name]]));
  }

  async #keySchema(tableName: string): Promise<readonly string[]> {
    const known = this.#keySchemas.get(tableName);
    if (known) return known;
    const { Table } = (await this.#call('DescribeTable', { TableName: tableName })) as { Table: { KeySchema: { AttributeName: string }[] } };
    const names = Table.KeySchema.map((element) => element.AttributeName);
    this.#keySchemas.set(tableName, names);
    return names;
  }

  #rejectRepeatedItems(actions: readonly WriteAction[], keys: readonly AttributeMap[]): void {
    const seen = new Set<string>();
    for (const [index, action] of actions.entries()) {
      const identity = `${action.TableName}\u0000${canonicalJson(keys[index])}`;
      if (seen.has(identity)) throw new AwsServiceError('ValidationException', 'Transaction request cannot include multiple operations on one item');
      seen.add(identity);
    }
  }

  async #get(tableName: string, key: AttributeMap): Promise<AttributeMap | undefined> {
    const { Item } = await this.#call('GetItem', { TableName: tableName, Key: key, ConsistentRead: true });
    return Item as AttributeMap | undefined;
  }

  async #apply(action: WriteAction, key: AttributeMap, before: AttributeMap | undefined): Promise<CancellationReason> {
    const condition = {
      ...(action.ConditionExpression !== undefined ? { ConditionExpression: action.ConditionExpression } : {}),
      ...(action.ExpressionAttributeNames !== undefined ? { ExpressionAttributeNames: action.ExpressionAttributeNames } : {}),
      ...(action.ExpressionAttributeValues !== undefined ? { ExpressionAttributeValues: action.ExpressionAttributeValues } : {}),
    };
    try {
      switch (action.kind) {
        case 'Put':
          await this.#call('PutItem', { TableName: action.TableName, Item: action.Item, ...condition });
          break;
        case 'Update':
          await this.#call('UpdateItem', { TableName: action.TableName, Key: key, UpdateExpression: action.UpdateExpression, ...condition });
          break;
        case 'Delete':
          await this.#call('DeleteItem', { TableName: action.TableName, Key: key, ...condition });
          break;
        case 'ConditionCheck':
          // Writing the item back unchanged evaluates the condition against it; restored afterwards.
          await this.#call('PutItem', { TableName: action.TableName, Item: before ?? key, ...condition });
          break;
      }
      return { Code: 'None' };
    } catch (error) {
      if (error instanceof DynamoDbError && error.code === 'ConditionalCheckFailedException') {
        return {
          Code: 'ConditionalCheckFailed',
          Message: 'The conditional request failed',
          ...(action.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' && before ? { Item: before } : {}),
        };
      }
      if (error instanceof DynamoDbError && error.code === 'ValidationException') return { Code: 'ValidationError', Message: error.message };
      throw error;
    }
  }

  async #restore({ TableName, Key, Item }: BeforeImage): Promise<void> {
    if (Item) await this.#call('PutItem', { TableName, Item });
    else await this.#call('DeleteItem', { TableName, Key });
  }

  #alreadyApplied(token: string, input: unknown): boolean {
    // Tokens are remembered in the order they expire (one TTL for all): only the oldest need checking.
    const now = Date.now();
    for (const [known, entry] of this.#clientTokens) {
      if (entry.expiresAt > now) break;
      this.#clientTokens.delete(known);
    }
    const entry = this.#clientTokens.get(token);
    if (!entry) return false;
    if (entry.requestHash !== requestHash(input)) {
      throw new AwsServiceError('IdempotentParameterMismatchException', 'The ClientRequestToken was already used for a different request');
    }
    return true;
  }

  #remember(token: string, input: unknown): void {
    this.#clientTokens.set(token, { requestHash: requestHash(input), expiresAt: Date.now() + CLIENT_TOKEN_TTL_MS });
  }

  async #call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    try {
      return await this.dynalite.call(operation, input);
    } catch (error) {
      if (error instanceof DynamoDbError && error.code !== 'ConditionalCheckFailedException') {
        throw new AwsServiceError(error.code, error.message, { statusCode: error.statusCode });
      }
      throw error;
    }
  }
}

function requestHash(input: unknown): string {
  const { ClientRequestToken: _token, ...rest } = input as Record<string, unknown>;
  return createHash('sha256').update(canonicalJson(rest)).digest('hex');
}
