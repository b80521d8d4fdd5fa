/**
 * Runs one SQS-fed step's handler as Lambda would, against the local DynamoDB with real
 * adapters; only the bus and the DLQ are recorded in memory.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { DynamoDbCatalogue } from '#shared/adapters/dynamodb-catalogue';
import { DynamoDbOrderContacts } from '#shared/adapters/dynamodb-order-contacts';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbPaymentIntents } from '#shared/adapters/dynamodb-payment-intents';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { sqsStepHandler } from '#shared/runtime/sqs-step-handler';
import type { Detail, DetailType } from '#shared/contracts';
import { consumedBy, PIPELINE_GRAPH, type ConsumedBy, type StepName } from '#shared/pipeline-graph';
import type { DeclaredPorts } from '#shared/ports';
import { stepProcess, type StepLogic } from '#shared/steps/step';
import { aLambdaContext, anEnvelope, anSqsEvent } from '#test/support/factories';
import { RecordingParking, RecordingPublisher } from '#test/support/fakes';
import { startTestDynamoDb, type TestDynamoDb, type TestTables } from '#test/support/local-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/** The real adapters of one test environment, for a step's dependencies. */
export interface Adapters {
  readonly catalogue: DynamoDbCatalogue;
  readonly ledger: DynamoDbStepLedger;
  readonly views: DynamoDbOrderViews;
  readonly paymentIntents: DynamoDbPaymentIntents;
  readonly orderContacts: DynamoDbOrderContacts;
}

/** A step handler under test and what it touched. */
export interface StepHarness<S extends StepName = StepName> {
  readonly publisher: RecordingPublisher;
  readonly parking: RecordingParking;
  readonly tables: TestTables;
  /** The tables' document client, for the test's own reads and writes. */
  readonly documents: DynamoDBDocumentClient;
  /** The adapters' client, built as the handlers build theirs. */
  readonly client: DynamoDBClient;
  /** The real adapters on the harness's tables, to set the scene through other steps. */
  readonly adapters: Adapters;
  /** Records `outcome` for the order in its producer's ledger item, as the pipeline's earlier step would have. */
  given(orderId: string, outcome: DetailType): Promise<void>;
  /** Records what the step's declaration requires before it handles its (only) consumed event. */
  givenPrerequisite(orderId: string): Promise<void>;
  /** The envelope of the step's (only) consumed event with `detail`, whatever the declaration calls it. */
  consumed(detail: Detail<ConsumedBy<S>>, options?: { time?: string }): string;
  /** Delivers records as one SQS batch. */
  deliver(...records: SQSRecord[]): Promise<SQSBatchResponse>;
  /** A SKU's stock counters. */
  stock(sku: string): Promise<{ available: number; reserved: number; shipped: number }>;
  /** The ledger items recorded for an order. */
  ledgerItems(orderId: string): Promise<Record<string, unknown>[]>;
}

/** Options of {@link stepHarness}. */
export interface StepHarnessOptions {
  /** @default 4 */
  readonly maxReceiveCount?: number;
  /** Ports to give the step instead of the real adapters (a store that fails...). @default - the real adapters */
  readonly ports?: Partial<DeclaredPorts>;
}

/** Builds the harness of `step` with `logic`, given the real adapters its declaration names. */
export async function stepHarness<S extends StepName>(db: TestDynamoDb, step: S, logic: StepLogic<S>, options: StepHarnessOptions = {}): Promise<StepHarness<S>> {
  const tables = await db.createTables();
  const { client, documents } = db;
  const adapters: Adapters = {
    catalogue: new DynamoDbCatalogue({ client, inventoryTableName: tables.inventory }),
    ledger: new DynamoDbStepLedger({ client, ledgerTableName: tables.ledger, inventoryTableName: tables.inventory }),
    views: new DynamoDbOrderViews({ client, ordersTableName: tables.orders }),
    paymentIntents: new DynamoDbPaymentIntents({ client, paymentIntentsTableName: tables.paymentIntents }),
    orderContacts: new DynamoDbOrderContacts({ client, orderContactsTableName: tables.orderContacts }),
  };
  const process = stepProcess(step, logic, {
    catalogue: () => options.ports?.catalogue ?? adapters.catalogue,
    orderViews: () => options.ports?.orderViews ?? adapters.views,
    orderViewReader: () => options.ports?.orderViewReader ?? adapters.views,
    paymentIntentDiscarder: () => options.ports?.paymentIntentDiscarder ?? adapters.paymentIntents,
    paymentIntentRedeemer: () => options.ports?.paymentIntentRedeemer ?? adapters.paymentIntents,
    orderContactReader: () => options.ports?.orderContactReader ?? adapters.orderContacts,
    ledger: () => adapters.ledger,
  });
  const publisher = new RecordingPublisher();
  const parking = new RecordingParking();
  const handler = sqsStepHandler({ step, process, publisher, parking, maxReceiveCount: options.maxReceiveCount ?? 4 });
  const given = async (orderId: string, outcome: DetailType) => {
    const producer = PIPELINE_GRAPH.producers.get(outcome);
    if (producer === undefined) throw new Error(`no function produces ${outcome}`);
    await documents.send(new PutCommand({ TableName: tables.ledger, Item: { orderId, step: producer, outcome: { detailType: outcome, detail: { schemaVersion: 2, orderId } } } }));
  };
  const onlyConsumed = (): ConsumedBy<S> => {
    const [consumed, ...others] = consumedBy(step);
    if (consumed === undefined || others.length > 0) throw new Error(`${step} consumes ${consumedBy(step).join(', ')}: name the event`);
    return consumed;
  };
  return {
    publisher,
    parking,
    tables,
    client,
    documents,
    adapters,
    given,
    givenPrerequisite: (orderId) => given(orderId, onlyConsumed()),
    consumed: (detail, envelope = {}) => anEnvelope(onlyConsumed(), detail, envelope),
    deliver: (...records) => handler(anSqsEvent(...records), aLambdaContext),
    stock: async (sku) => {
      const { Item } = await documents.send(new GetCommand({ TableName: tables.inventory, Key: { sku } }));
      return { available: Number(Item?.available), reserved: Number(Item?.reserved), shipped: Number(Item?.shipped) };
    },
    ledgerItems: async (orderId) =>
      (await documents.send(new QueryCommand({ TableName: tables.ledger, KeyConditionExpression: 'orderId = :orderId', ExpressionAttributeValues: { ':orderId': orderId } }))).Items ?? [],
  };
}

/**
 * Registers the hooks a step's test file needs (one local DynamoDB per file, fresh tables and
 * a fresh harness per test) and returns the current test's harness.
 */
export function useStepHarness<S extends StepName>(step: S, logic: StepLogic<S>): StepHarness<S> {
  let db: TestDynamoDb | undefined;
  let current: StepHarness<S> | undefined;
  beforeAll(async () => {
    db = await startTestDynamoDb();
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    current = await stepHarness(db as TestDynamoDb, step, logic);
  });
  return new Proxy({} as StepHarness<S>, {
    get: (_target, key) => {
      if (current === undefined) throw new Error('the step harness exists only inside a test');
      return current[key as keyof StepHarness<S>];
    },
  });
}
