/**
 * The order pipeline: the `OrderBus` with its archive, the Orders / Inventory / Ledger tables,
 * the HTTP API (POST /orders, GET /orders/{id}), one `PipelineStep` per SQS-fed step and the
 * topic their alarms notify.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnArchive, EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { EventSource } from '#shared/contracts';
import { EnvName } from '#shared/config';
import { DEMO_CATALOGUE, inventoryItemOf } from '#shared/demo-catalogue';
import { TABLE_KEYS, type TableKeys } from '#shared/tables';
import { STEP_SUBSCRIPTIONS, type StepName } from '#shared/subscriptions';
import { acknowledgeUntraced, dependOnRolePolicyOnly, FUNCTION_ARCHITECTURE, FUNCTION_LOG_RETENTION, handlerEntry, handlerFunction } from '#infra/function-defaults';
import { PipelineStep } from '#infra/pipeline-step';
import { AlarmTopic, alarmEmailFromContext } from '#infra/alarm-topic';

/** The stack's name (and construct id). */
export const ORDER_PIPELINE_STACK_NAME = 'OrderPipeline';

/** The pipeline's tables, by the name the step table uses. */
export const TableName = { orders: 'orders', inventory: 'inventory', ledger: 'ledger' } as const;
export type TableName = (typeof TableName)[keyof typeof TableName];

/** Which tables a step needs and whether it publishes outcomes on the bus. */
export interface StepWiring {
  /** Tables the step reads and writes. */
  readonly tables: readonly TableName[];
  /** Whether the step publishes events (gets EVENT_BUS_NAME and events:PutEvents). */
  readonly publishes: boolean;
  /**
   * How long the event source mapping may gather records before invoking.
   * @default none: steps on the path that settles an order invoke as soon as records arrive
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * Most records per invocation; above 10 needs a batching window.
   * @default PipelineStepDefaults.batchSize
   */
  readonly batchSize?: number;
}

/**
 * Every SQS-fed step: what it needs besides the events it consumes (those come from
 * `STEP_SUBSCRIPTIONS`, which the handlers use too). The function is `functions/<step>/index.ts`.
 */
export const PIPELINE_STEPS = {
  'reserve-inventory': { tables: [TableName.inventory, TableName.ledger], publishes: true },
  'capture-payment': { tables: [TableName.ledger], publishes: true },
  'release-inventory': { tables: [TableName.inventory, TableName.ledger], publishes: true },
  'ship-order': { tables: [TableName.inventory, TableName.ledger], publishes: true },
  'cancel-order': { tables: [TableName.ledger], publishes: true },
  'notify-customer': { tables: [TableName.ledger], publishes: true },
  // The projection takes every event (5 of the 9 messages per order) and settles no order:
  // gathering up to 100 records for a second turns ~5 receives and deletes per order into a
  // fraction of one, and lets one read and one write of the view apply several of its events.
  'project-order': { tables: [TableName.orders], publishes: false, maxBatchingWindow: Duration.seconds(1), batchSize: 100 },
} as const satisfies Record<StepName, StepWiring>;

/** The environment variable that carries each table's name. */
const TABLE_ENV_NAME = {
  [TableName.orders]: EnvName.ordersTableName,
  [TableName.inventory]: EnvName.inventoryTableName,
  [TableName.ledger]: EnvName.ledgerTableName,
} as const satisfies Record<TableName, string>;

/** How long the bus archive keeps events for replay. */
export const ARCHIVE_RETENTION = Duration.days(30);

/**
 * Throttling of the HTTP API's default stage: generous for a demo shop, low enough that a
 * runaway client cannot run up the bill (every order costs several events and invocations).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */
export const API_THROTTLE = { rateLimit: 100, burstLimit: 200 } as const;

/** Properties of the `OrderPipelineStack`. */
export interface OrderPipelineStackProps extends StackProps {
  /**
   * What happens to the tables when they leave the stack. Keep the default for real data;
   * a throwaway environment may pass DESTROY.
   * @default RemovalPolicy.RETAIN
   */
  readonly tableRemovalPolicy?: RemovalPolicy;
}

/** The whole order pipeline. */
export class OrderPipelineStack extends Stack {
  /** The custom bus every event goes through. */
  readonly bus: EventBus;
  /** The read model (one item per order), served by GET /orders/{id}. */
  readonly ordersTable: Table;
  /** Stock per SKU, seeded with the demo catalogue. */
  readonly inventoryTable: Table;
  /** Each step's record per order: what makes the steps idempotent. */
  readonly ledgerTable: Table;
  /** The HTTP API. */
  readonly api: HttpApi;
  /** Its `$default` stage. */
  readonly apiStage: HttpStage;
  /** POST /orders. */
  readonly placeOrderFunction: NodejsFunction;
  /** GET /orders/{id}. */
  readonly getOrderFunction: NodejsFunction;
  /** Seeds the demo catalogue into Inventory when the stack is created. */
  readonly seedDemoCatalogue: AwsCustomResource;
  /** The SQS-fed steps, by name. */
  readonly steps: Readonly<Record<StepName, PipelineStep>>;
  /**
   * The encrypted topic every alarm notifies; it e-mails the `alarmEmail` context value
   * (`cdk deploy -c alarmEmail=ops@example.com`) when one is given.
   */
  readonly alarmTopic: AlarmTopic;

  constructor(scope: Construct, id: string = ORDER_PIPELINE_STACK_NAME, props: OrderPipelineStackProps = {}) {
    super(scope, id, { description: 'Event-driven order pipeline: EventBridge, SQS, Lambda, DynamoDB', ...props });
    const tableRemovalPolicy = props.tableRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.bus = new EventBus(this, 'OrderBus', { description: 'Order pipeline domain events' });
    const archive = this.bus.archive('OrderBusArchive', {
      archiveName: `${this.stackName}-order-events`,
      description: 'Every order pipeline event, for replay',
      eventPattern: { source: Object.values(EventSource) },
      retention: ARCHIVE_RETENTION,
    });
    // The Archive construct writes `KmsKeyIdentifier: ""` when it has no key, a value reported
    // to fail the deployment in some regions; without the property the archive uses an AWS
    // owned key, as intended. https://github.com/aws/aws-cdk/issues/37847
    (archive.node.defaultChild as CfnArchive).addPropertyDeletionOverride('KmsKeyIdentifier');

    this.ordersTable = this.table('OrdersTable', TABLE_KEYS.orders, tableRemovalPolicy);
    this.inventoryTable = this.table('InventoryTable', TABLE_KEYS.inventory, tableRemovalPolicy);
    this.ledgerTable = this.table('LedgerTable', TABLE_KEYS.ledger, tableRemovalPolicy);
    this.seedDemoCatalogue = this.demoCatalogueSeed();

    const tables: Record<TableName, ITable> = {
      [TableName.orders]: this.ordersTable,
      [TableName.inventory]: this.inventoryTable,
      [TableName.ledger]: this.ledgerTable,
    };
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { email: alarmEmailFromContext(this) });
    this.steps = this.pipelineSteps(tables);

    this.placeOrderFunction = handlerFunction(this, 'PlaceOrderFunction', {
      entry: handlerEntry('place-order'),
      description: 'Order pipeline POST /orders: accepts an order and publishes OrderPlaced',
      environment: {
        [EnvName.eventBusName]: this.bus.eventBusName,
        [EnvName.ordersTableName]: this.ordersTable.tableName,
        [EnvName.serviceName]: 'place-order',
      },
    });
    this.bus.grantPutEventsTo(this.placeOrderFunction);
    // It writes the order's read model right after publishing OrderPlaced (functions/shared/place-order.ts).
    this.ordersTable.grantReadWriteData(this.placeOrderFunction);

    this.getOrderFunction = handlerFunction(this, 'GetOrderFunction', {
      entry: handlerEntry('get-order'),
      description: "Order pipeline GET /orders/{id}: serves an order's status and timeline",
      environment: {
        [EnvName.ordersTableName]: this.ordersTable.tableName,
        [EnvName.serviceName]: 'get-order',
      },
    });
    this.ordersTable.grantReadData(this.getOrderFunction);

    ({ api: this.api, stage: this.apiStage } = this.httpApi());

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
    new CfnOutput(this, 'InventoryTableName', { value: this.inventoryTable.tableName });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledgerTable.tableName });

    this.acknowledgeNagFindings();
  }

  private table(id: string, keys: TableKeys, removalPolicy: RemovalPolicy): Table {
    return new Table(this, id, {
      partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
      sortKey: keys.sortKey === undefined ? undefined : { name: keys.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy,
    });
  }

  /**
   * Writes the demo catalogue into Inventory once, when the stack is created. Only on create:
   * an update must never reset stock counters that orders have moved since.
   */
  private demoCatalogueSeed(): AwsCustomResource {
    const putRequests = DEMO_CATALOGUE.map((entry) => ({
      PutRequest: {
        // DynamoDB's attribute-value form of the item the handlers read.
        Item: Object.fromEntries(
          Object.entries(inventoryItemOf(entry)).map(([name, value]) => [name, typeof value === 'number' ? { N: String(value) } : { S: value }]),
        ),
      },
    }));
    const logGroup = new LogGroup(this, 'SeedDemoCatalogueLogGroup', {
      retention: FUNCTION_LOG_RETENTION,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // Our own role, so the provider function gets no AWS-managed policy: it may write its log
    // group and BatchWriteItem on the Inventory table, nothing else.
    const role = new Role(this, 'SeedDemoCatalogueRole', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: 'Seeds the demo catalogue into the Inventory table',
    });
    logGroup.grantWrite(role);
    const seed = new AwsCustomResource(this, 'SeedDemoCatalogue', {
      onCreate: {
        service: 'DynamoDB',
        action: 'batchWriteItem',
        // At most 25 put requests: the catalogue module keeps to BatchWriteItem's limit.
        parameters: { RequestItems: { [this.inventoryTable.tableName]: putRequests } },
        physicalResourceId: PhysicalResourceId.of('demo-catalogue'),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: [this.inventoryTable.tableArn] }),
      role,
      logGroup,
      memorySize: 256,
      timeout: Duration.minutes(1),
      installLatestAwsSdk: false,
    });
    // The provider is a singleton function at the stack's top level, not under `seed`: find it by its role.
    const providers = this.node.findAll().filter((child): child is LambdaFunction => child instanceof LambdaFunction && child.role === role);
    for (const provider of providers) {
      // Plain JavaScript on the runtime's own SDK, so it runs on Graviton like every other function.
      (provider.node.defaultChild as CfnFunction).architectures = [FUNCTION_ARCHITECTURE.name];
      acknowledgeUntraced(provider);
      dependOnRolePolicyOnly(provider, role);
      Validations.of(provider).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'The AwsCustomResource provider runs only during deployments and reports its failure to CloudFormation, which fails and rolls back the stack operation; a DLQ message would have no reader.',
      });
    }
    return seed;
  }

  private pipelineSteps(tables: Record<TableName, ITable>): Record<StepName, PipelineStep> {
    const entries = (Object.keys(PIPELINE_STEPS) as StepName[]).map((stepName) => {
      const wiring: StepWiring = PIPELINE_STEPS[stepName];
      const environment: Record<string, string> = {};
      for (const name of wiring.tables) environment[TABLE_ENV_NAME[name]] = tables[name].tableName;
      if (wiring.publishes) environment[EnvName.eventBusName] = this.bus.eventBusName;

      const step = new PipelineStep(this, pascalCase(stepName), {
        bus: this.bus,
        alarmTopic: this.alarmTopic.topic,
        stepName,
        consumes: STEP_SUBSCRIPTIONS[stepName],
        entry: handlerEntry(stepName),
        environment,
        maxBatchingWindow: wiring.maxBatchingWindow,
        batchSize: wiring.batchSize,
      });
      for (const name of wiring.tables) tables[name].grantReadWriteData(step.function);
      if (wiring.publishes) this.bus.grantPutEventsTo(step.function);
      return [stepName, step] as const;
    });
    return Object.fromEntries(entries) as Record<StepName, PipelineStep>;
  }

  private httpApi(): { api: HttpApi; stage: HttpStage } {
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-shop`,
      description: 'Order pipeline shop API',
      createDefaultStage: false,
    });
    const accessLogGroup = new LogGroup(this, 'HttpApiAccessLogs', {
      retention: RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // HTTP API context variables only; https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
    const accessLogFormat = AccessLogFormat.custom(
      JSON.stringify({
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        requestTime: '$context.requestTime',
        httpMethod: '$context.httpMethod',
        routeKey: '$context.routeKey',
        path: '$context.path',
        status: '$context.status',
        protocol: '$context.protocol',
        responseLength: '$context.responseLength',
        integrationLatency: '$context.integrationLatency',
        integrationError: '$context.integrationErrorMessage',
      }),
    );
    const stage = new HttpStage(this, 'HttpApiDefaultStage', {
      httpApi: api,
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogGroup), format: accessLogFormat },
    });

    api.addRoutes({
      path: '/orders',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('PlaceOrderIntegration', this.placeOrderFunction, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });
    api.addRoutes({
      path: '/orders/{id}',
      methods: [HttpMethod.GET],
      integration: new HttpLambdaIntegration('GetOrderIntegration', this.getOrderFunction, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });
    return { api, stage };
  }

  /** cdk-nag findings that don't apply here, acknowledged with the reason. */
  private acknowledgeNagFindings(): void {
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'A public demo shop API: anyone may place an order and look it up by its unguessable id (a UUID); there is no user to authorize. The stage is throttled.',
    });
    for (const fn of [this.placeOrderFunction, this.getOrderFunction]) {
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'API Gateway invokes the function synchronously and returns its error to the client; a Lambda DLQ applies only to asynchronous invocations.',
      });
    }
  }
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
