import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, TransactionCanceledException, TransactWriteItemsCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { fromAttributes, toAttributes } from '#shared/adapters/dynamodb-item';
import type { DomainEvent } from '#shared/contracts';
import { ConcurrentUpdateError, InsufficientStockError, TransientError } from '#shared/errors';
import type { StepLedger, StockChange } from '#shared/ports';
import { epochSecondOf, LEDGER_RETENTION_DAYS, SECONDS_PER_DAY, TABLE_KEYS } from '#shared/tables';

const { timeToLiveAttribute } = TABLE_KEYS.ledger;

/** Options of {@link DynamoDbStepLedger}. */
export interface DynamoDbStepLedgerOptions {
  readonly client: DynamoDBClient;
  /** Table keyed by `orderId` (partition) and `step` (sort). */
  readonly ledgerTableName: string;
  /** Table keyed by `sku` with numeric `available`, `reserved` and `shipped`; needed only for stock changes. */
  readonly inventoryTableName?: string;
}

interface LedgerItem {
  readonly orderId: string;
  readonly step: string;
  readonly outcome: DomainEvent;
  readonly recordedAt: string;
  /** Epoch second after which DynamoDB may delete the record. */
  readonly [timeToLiveAttribute]: number;
}

/**
 * The step ledger on DynamoDB: one item per order and step, written with a condition so the
 * first outcome stands, in the same transaction as the stock counters it moves.
 */
export class DynamoDbStepLedger implements StepLedger {
  readonly #client: DynamoDBClient;
  readonly #ledgerTableName: string;
  readonly #inventoryTableName?: string;

  constructor(options: DynamoDbStepLedgerOptions) {
    this.#client = options.client;
    this.#ledgerTableName = options.ledgerTableName;
    this.#inventoryTableName = options.inventoryTableName;
  }

  async find(orderId: string, step: string): Promise<DomainEvent | undefined> {
    const { Item } = await this.#client.send(
      new GetItemCommand({ TableName: this.#ledgerTableName, Key: marshall({ orderId, step }), ConsistentRead: true }),
    );
    return (fromAttributes(Item) as LedgerItem | undefined)?.outcome;
  }

  async record(orderId: string, step: string, outcome: DomainEvent, stockChanges: readonly StockChange[] = []): Promise<DomainEvent> {
    const now = new Date();
    const item: LedgerItem = { orderId, step, outcome, recordedAt: now.toISOString(), [timeToLiveAttribute]: epochSecondOf(now) + LEDGER_RETENTION_DAYS * SECONDS_PER_DAY };
    const put = {
      TableName: this.#ledgerTableName,
      Item: toAttributes(item),
      ConditionExpression: 'attribute_not_exists(orderId)',
    };
    try {
      if (stockChanges.length === 0) {
        // A single conditional put costs one write unit; a transaction costs two per item.
        await this.#client.send(new PutItemCommand(put));
      } else {
        await this.#client.send(
          new TransactWriteItemsCommand({
            TransactItems: [{ Put: put }, ...stockChanges.map((change) => ({ Update: this.#stockUpdate(change) }))],
          }),
        );
      }
      return outcome;
    } catch (error) {
      return this.#translateFailure(error, orderId, step, stockChanges);
    }
  }

  #stockUpdate(change: StockChange) {
    if (this.#inventoryTableName === undefined) throw new Error('inventoryTableName is required for stock changes');
    return {
      TableName: this.#inventoryTableName,
      Key: marshall({ sku: change.sku }),
      UpdateExpression: 'ADD available :available, reserved :reserved, shipped :shipped',
      // Counters never go below zero: that is what makes reservations all-or-nothing.
      ConditionExpression: 'attribute_exists(sku) AND available >= :availableNeeded AND reserved >= :reservedNeeded',
      ExpressionAttributeValues: marshall({
        ':available': change.availableDelta,
        ':reserved': change.reservedDelta,
        ':shipped': change.shippedDelta,
        ':availableNeeded': Math.max(0, -change.availableDelta),
        ':reservedNeeded': Math.max(0, -change.reservedDelta),
      }),
    };
  }

  async #translateFailure(error: unknown, orderId: string, step: string, stockChanges: readonly StockChange[]): Promise<DomainEvent> {
    if (error instanceof ConditionalCheckFailedException) return this.#recordedOutcome(orderId, step, error);
    if (error instanceof TransactionCanceledException) {
      // Reasons come in TransactItems order: index 0 is the ledger put, then one per stock change.
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return this.#recordedOutcome(orderId, step, error);
      const shortSkus = stockChanges.filter((_, index) => reasons[index + 1]?.Code === 'ConditionalCheckFailed').map((change) => change.sku);
      if (shortSkus.length > 0) throw new InsufficientStockError(shortSkus, { orderId, cause: error });
      throw new ConcurrentUpdateError(`step ${step} conflicted with another write: ${reasons.map((reason) => reason.Code).join(', ')}`, { orderId, cause: error });
    }
    throw error;
  }

  async #recordedOutcome(orderId: string, step: string, cause: unknown): Promise<DomainEvent> {
    const existing = await this.find(orderId, step);
    if (existing === undefined) throw new TransientError(`step ${step} for order ${orderId} was recorded but cannot be read yet`, { orderId, cause });
    return existing;
  }
}
