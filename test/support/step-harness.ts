/**
 * Runs one SQS-fed step's handler as Lambda would, against the local DynamoDB with real
 * adapters; only the bus and the DLQ are recorded in memory.
 */
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { DynamoDbCatalogue } from '#shared/adapters/dynamodb-catalogue';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { sqsStepHandler } from '#shared/runtime/sqs-step-handler';
import type { DetailType } from '#shared/contracts';
import type { StepLogic } from '#shared/steps/step';
import type { StepName } from '#shared/subscriptions';
import { aLambdaContext, anSqsEvent } from '#test/support/factories';
import { RecordingParking, RecordingPublisher } from '#test/support/fakes';
import { startTestDynamoDb, type TestDynamoDb, type TestTables } from '#test/support/local-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The real adapters of one test environment, for a step's dependencies. */
export interface Adapters {
  readonly catalogue: DynamoDbCatalogue;
  readonly ledger: DynamoDbStepLedger;
  readonly views: DynamoDbOrderViews;
}

/** A step handler under test and what it touched. */
export interface StepHarness {
  readonly publisher: RecordingPublisher;
  readonly parking: RecordingParking;
  readonly tables: TestTables;
  readonly client: DynamoDBDocumentClient;
  /** The real adapters on the harness's tables, to set the scene through other steps. */
  readonly adapters: Adapters;
  /** Records that `step` already reached `outcome` for the order, as the pipeline's earlier steps would have. */
  given(orderId: string, step: string, outcome: DetailType): Promise<void>;
  /** Delivers records as one SQS batch. */
  deliver(...records: SQSRecord[]): Promise<SQSBatchResponse>;
  /** A SKU's stock counters. */
  stock(sku: string): Promise<{ available: number; reserved: number; shipped: number }>;
  /** The ledger items recorded for an order. */
  ledgerItems(orderId: string): Promise<Record<string, unknown>[]>;
}

/** Builds the harness of `step` with `logic`, its dependencies picked from the real adapters. */
export async function stepHarness<S extends StepName, Deps>(
  db: TestDynamoDb,
  step: S,
  logic: StepLogic<S, Deps>,
  pick: (adapters: Adapters) => Deps,
  options: { maxReceiveCount?: number } = {},
): Promise<StepHarness> {
  const tables = await db.createTables();
  const { client } = db;
  const adapters: Adapters = {
    catalogue: new DynamoDbCatalogue({ client, inventoryTableName: tables.inventory }),
    ledger: new DynamoDbStepLedger({ client, ledgerTableName: tables.ledger, inventoryTableName: tables.inventory }),
    views: new DynamoDbOrderViews({ client, ordersTableName: tables.orders }),
  };
  const deps = pick(adapters);
  const publisher = new RecordingPublisher();
  const parking = new RecordingParking();
  const handler = sqsStepHandler({ step, handle: (event) => logic(event, deps), publisher, parking, maxReceiveCount: options.maxReceiveCount ?? 4 });
  return {
    publisher,
    parking,
    tables,
    client,
    adapters,
    given: async (orderId, givenStep, outcome) => {
      await client.send(new PutCommand({ TableName: tables.ledger, Item: { orderId, step: givenStep, outcome: { detailType: outcome, detail: { schemaVersion: 1, orderId } } } }));
    },
    deliver: (...records) => handler(anSqsEvent(...records), aLambdaContext),
    stock: async (sku) => {
      const { Item } = await client.send(new GetCommand({ TableName: tables.inventory, Key: { sku } }));
      return { available: Number(Item?.available), reserved: Number(Item?.reserved), shipped: Number(Item?.shipped) };
    },
    ledgerItems: async (orderId) =>
      (await client.send(new QueryCommand({ TableName: tables.ledger, KeyConditionExpression: 'orderId = :orderId', ExpressionAttributeValues: { ':orderId': orderId } }))).Items ?? [],
  };
}

/**
 * Registers the hooks a step's test file needs (one local DynamoDB per file, fresh tables and
 * a fresh harness per test) and returns the current test's harness.
 */
export function useStepHarness<S extends StepName, Deps>(step: S, logic: StepLogic<S, Deps>, pick: (adapters: Adapters) => Deps): StepHarness {
  let db: TestDynamoDb | undefined;
  let current: StepHarness | undefined;
  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    current = await stepHarness(db as TestDynamoDb, step, logic, pick);
  });
  return new Proxy({} as StepHarness, {
    get: (_target, key) => {
      if (current === undefined) throw new Error('the step harness exists only inside a test');
      return current[key as keyof StepHarness];
    },
  });
}
