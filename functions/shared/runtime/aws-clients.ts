/**
 * The handlers, wired at initialisation from the function's configuration and the pipeline's
 * declaration: a function gets the adapters its declaration names and nothing else, so its
 * code, its environment and its grants (all computed from the same declaration) agree.
 * Adapters are built only when needed, so each bundle keeps only the SDK clients its function
 * uses. Clients take the endpoint from the SDK's standard `AWS_ENDPOINT_URL` variable when it is set.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbCatalogue } from '#shared/adapters/dynamodb-catalogue';
import { DynamoDbIdempotencyKeys } from '#shared/adapters/dynamodb-idempotency-keys';
import { DynamoDbOrderContacts } from '#shared/adapters/dynamodb-order-contacts';
import { DynamoDbOrderViews } from '#shared/adapters/dynamodb-order-views';
import { DynamoDbPaymentIntents } from '#shared/adapters/dynamodb-payment-intents';
import { DynamoDbStepLedger } from '#shared/adapters/dynamodb-step-ledger';
import { EventBridgePublisher } from '#shared/adapters/eventbridge-publisher';
import { SqsDeadLetterParking } from '#shared/adapters/sqs-dead-letter-parking';
import { config } from '#shared/config';
import { PIPELINE_GRAPH, type HttpFunctionName, type PortsOf, type ProducedBy, type StepName } from '#shared/pipeline-graph';
import type { DeclaredPorts, EventPublisher } from '#shared/ports';
import { SDK_CLIENT_SETTINGS } from '#shared/runtime/sdk-client-settings';
import { sqsStepHandler } from '#shared/runtime/sqs-step-handler';
import { stepProcess, type StepLogic } from '#shared/steps/step';

/** The publisher to the bus named by EVENT_BUS_NAME. */
export function eventPublisher(): EventBridgePublisher {
  return new EventBridgePublisher({ client: new EventBridgeClient(SDK_CLIENT_SETTINGS), eventBusName: config.eventBusName() });
}

/** The adapter behind each port, on the tables the configuration names. */
function portAdapters(client: () => DynamoDBClient): { readonly [P in keyof DeclaredPorts]: () => DeclaredPorts[P] } {
  const orderViews = () => new DynamoDbOrderViews({ client: client(), ordersTableName: config.ordersTableName() });
  const paymentIntents = () => new DynamoDbPaymentIntents({ client: client(), paymentIntentsTableName: config.paymentIntentsTableName() });
  const orderContacts = () => new DynamoDbOrderContacts({ client: client(), orderContactsTableName: config.orderContactsTableName() });
  return {
    catalogue: () => new DynamoDbCatalogue({ client: client(), inventoryTableName: config.inventoryTableName() }),
    orderViews,
    orderViewReader: orderViews,
    orderLister: orderViews,
    idempotencyKeys: () => new DynamoDbIdempotencyKeys({ client: client(), idempotencyTableName: config.idempotencyTableName() }),
    paymentIntentIssuer: paymentIntents,
    paymentIntentDiscarder: paymentIntents,
    paymentIntentRedeemer: paymentIntents,
    orderContactKeeper: orderContacts,
    orderContactReader: orderContacts,
  };
}

/** One DynamoDB client per function, made on first use. */
function sharedClient(): () => DynamoDBClient {
  let client: DynamoDBClient | undefined;
  return () => (client ??= new DynamoDBClient(SDK_CLIENT_SETTINGS));
}

/**
 * The Lambda handler of step `step`: `logic` with the ports, ledger and publisher its
 * declaration gives it, prerequisite checks, and parking in the DLQ named by DEAD_LETTER_QUEUE_URL.
 */
export function stepHandler<S extends StepName>(step: S, logic: StepLogic<S>): ReturnType<typeof sqsStepHandler<S>> {
  const client = sharedClient();
  const process = stepProcess(step, logic, {
    ...portAdapters(client),
    ledger: () =>
      new DynamoDbStepLedger({
        client: client(),
        ledgerTableName: config.ledgerTableName(),
        inventoryTableName: PIPELINE_GRAPH.movesStock(step) ? config.inventoryTableName() : undefined,
      }),
  });
  return sqsStepHandler({
    step,
    process,
    publisher: PIPELINE_GRAPH.records(step) ? eventPublisher() : undefined,
    parking: new SqsDeadLetterParking({ client: new SQSClient(SDK_CLIENT_SETTINGS), deadLetterQueueUrl: config.deadLetterQueueUrl() }),
    maxReceiveCount: config.maxReceiveCount(),
  });
}

/** What HTTP function `F` is given: the ports it declares, and the publisher when it produces events. */
export type HttpDependencies<F extends HttpFunctionName> = { readonly [P in PortsOf<F>]: DeclaredPorts[P] } & ([ProducedBy<F>] extends [never] ? unknown : { readonly publisher: EventPublisher });

/**
 * The dependencies of HTTP function `name`, built from its configuration as its declaration
 * says. A function that produces events passes `eventPublisher` (and must: the type says so);
 * the others leave it out, so their bundles carry no EventBridge client.
 */
export function httpDependencies<F extends HttpFunctionName>(
  name: F,
  ...publishing: [ProducedBy<F>] extends [never] ? [] : [publishing: { readonly publisher: () => EventPublisher }]
): HttpDependencies<F> {
  const declaration = PIPELINE_GRAPH.function(name);
  const adapters = portAdapters(sharedClient());
  const dependencies: Record<string, unknown> = Object.fromEntries((declaration.uses ?? []).map((port) => [port, adapters[port]()]));
  const [factories] = publishing;
  if (factories !== undefined) dependencies.publisher = factories.publisher();
  return dependencies as HttpDependencies<F>;
}
