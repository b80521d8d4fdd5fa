/**
 * The adapters a function builds at initialisation, from its configuration. Factories rather
 * than module-level instances so each bundle keeps only the SDK clients its function uses.
 * Clients take the endpoint from the SDK's standard `AWS_ENDPOINT_URL` variable when it is set.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbCatalogue } from '#shared/adapters/dynamodb-catalogue';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { EventBridgePublisher } from '#shared/adapters/eventbridge-publisher';
import { SqsDeadLetterParking } from '#shared/adapters/sqs-dead-letter-parking';
import { config } from '#shared/config';
import { sqsStepHandler } from '#shared/runtime/sqs-step-handler';
import type { StepLogic } from '#shared/steps/step';
import type { StepName } from '#shared/subscriptions';

/** A DynamoDB document client that drops undefined attributes (optional fields of the model). */
export function documentClient(): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
}

/** The publisher to the bus named by EVENT_BUS_NAME. */
export function eventPublisher(): EventBridgePublisher {
  return new EventBridgePublisher({ client: new EventBridgeClient({}), eventBusName: config.eventBusName() });
}

/** Parking in the DLQ named by DEAD_LETTER_QUEUE_URL. */
export function deadLetterParking(): SqsDeadLetterParking {
  return new SqsDeadLetterParking({ client: new SQSClient({}), deadLetterQueueUrl: config.deadLetterQueueUrl() });
}

/** The step ledger, with the inventory table when the step moves stock. */
export function stepLedger(client: DynamoDBDocumentClient, options: { readonly movesStock: boolean }): DynamoDbStepLedger {
  return new DynamoDbStepLedger({
    client,
    ledgerTableName: config.ledgerTableName(),
    inventoryTableName: options.movesStock ? config.inventoryTableName() : undefined,
  });
}

/** The catalogue on the inventory table. */
export function catalogue(client: DynamoDBDocumentClient): DynamoDbCatalogue {
  return new DynamoDbCatalogue({ client, inventoryTableName: config.inventoryTableName() });
}

/** The order read models. */
export function orderViews(client: DynamoDBDocumentClient): DynamoDbOrderViews {
  return new DynamoDbOrderViews({ client, ordersTableName: config.ordersTableName() });
}

/**
 * The handler of SQS-fed step `step`, wired from the function's configuration: its logic with
 * `deps` bound, the bus publisher (unless the step publishes nothing), and DLQ parking.
 */
export function configuredStepHandler<S extends StepName, Deps>(
  step: S,
  logic: StepLogic<S, Deps>,
  deps: Deps,
  options: { readonly publishes: boolean } = { publishes: true },
): ReturnType<typeof sqsStepHandler<S>> {
  return sqsStepHandler({
    step,
    handle: (event) => logic(event, deps),
    publisher: options.publishes ? eventPublisher() : undefined,
    parking: deadLetterParking(),
    maxReceiveCount: config.maxReceiveCount(),
  });
}
