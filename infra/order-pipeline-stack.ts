/**
 * The order pipeline: the `OrderBus` with its archive, the Orders / Inventory / Ledger /
 * Idempotency tables, the customer pool,
 * and the functions of the pipeline's declaration (`functions/shared/pipeline.ts`): the HTTP
 * API's (POST /orders, GET /orders/{id}, GET /orders) and one `PipelineStep` per SQS-fed step, each with
 * the environment and the grants its declaration gives it, and the topic their alarms notify.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccountRecovery, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { CfnArchive, EventBus } from 'aws-cdk-lib/aws-events';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { CfnFunction, Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { EventSource } from '#shared/contracts';
import { EnvName, TABLE_NAME_ENV } from '#shared/config';
import { DEMO_CATALOGUE, inventoryItemOf } from '#shared/demo-catalogue';
import { PIPELINE } from '#shared/pipeline';
import { FunctionAccess, type ResourceNameEnv } from '#shared/pipeline-access';
import { consumedBy, HTTP_FUNCTION_NAMES, STEP_NAMES, type HttpFunctionName, type StepName } from '#shared/pipeline-graph';
import { EVENT_ARCHIVE_RETENTION_DAYS, TABLE_KEYS, TABLE_NAMES, type TableKeys, type TableName } from '#shared/tables';
import { acknowledgeUntraced, dependOnRolePolicyOnly, FUNCTION_ARCHITECTURE, FUNCTION_LOG_RETENTION, handlerEntry, handlerFunction, PROJECT_ROOT } from '#infra/function-defaults';
import type { GrantTargets } from '#infra/function-grants';
import { PipelineStep } from '#infra/pipeline-step';
import { AlarmTopic, alarmEmailFromContext } from '#infra/alarm-topic';
import { allowedOriginsFromContext, corsPreflightOf } from '#infra/allowed-origins';
import { PipelineDashboard } from '#infra/pipeline-dashboard';

/** The stack's name (and construct id). */
export const ORDER_PIPELINE_STACK_NAME = 'OrderPipeline';

/** How long the bus archive keeps events for replay. */
export const ARCHIVE_RETENTION = Duration.days(EVENT_ARCHIVE_RETENTION_DAYS);

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
  /** The read model (one item per order), served by GET /orders/{id}; its `customerOrders` index serves GET /orders. */
  readonly ordersTable: Table;
  /** Stock per SKU, seeded with the demo catalogue. */
  readonly inventoryTable: Table;
  /** Each step's record per order: what makes the steps idempotent. */
  readonly ledgerTable: Table;
  /** Each customer's Idempotency-Keys and the orders they placed, for a day. */
  readonly idempotencyTable: Table;
  /** Each placed order's payment token, for capture-payment alone, until it is used or a day has passed. */
  readonly paymentIntentsTable: Table;
  /** The customer's name, e-mail and address of each order, for the steps that ship and notify. */
  readonly orderContactsTable: Table;
  /** The shop's customers: every route of the HTTP API takes a token of this pool. */
  readonly userPool: UserPool;
  /** The app client the shop's customers sign in through: the authorizer's audience. */
  readonly userPoolClient: UserPoolClient;
  /** The HTTP API. */
  readonly api: HttpApi;
  /** Its `$default` stage. */
  readonly apiStage: HttpStage;
  /** The functions behind the HTTP API, by name (`place-order` serves POST /orders...). */
  readonly httpFunctions: Readonly<Record<HttpFunctionName, NodejsFunction>>;
  /** Seeds the demo catalogue into Inventory when the stack is created. */
  readonly seedDemoCatalogue: AwsCustomResource;
  /** The SQS-fed steps, by name. */
  readonly steps: Readonly<Record<StepName, PipelineStep>>;
  /**
   * The encrypted topic every alarm notifies; it e-mails the `alarmEmail` context value
   * (`cdk deploy -c alarmEmail=ops@example.com`) when one is given.
   */
  readonly alarmTopic: AlarmTopic;
  /** The CloudWatch dashboard: a row per step (from the declaration), the API and the orders' latency. */
  readonly dashboard: PipelineDashboard;

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
    this.idempotencyTable = this.table('IdempotencyTable', TABLE_KEYS.idempotency, tableRemovalPolicy);
    // Without point-in-time recovery: its backups would keep every payment token for 35 days,
    // and an intent has no use once its payment is captured or declined.
    this.paymentIntentsTable = this.table('PaymentIntentsTable', TABLE_KEYS.paymentIntents, tableRemovalPolicy, { pointInTimeRecovery: false });
    Validations.of(this.paymentIntentsTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason: 'Point-in-time recovery would keep every payment token in backups for up to 35 days; an intent is worth nothing once used or a day old, and a lost intent only makes its customer place the order again.',
    });
    this.orderContactsTable = this.table('OrderContactsTable', TABLE_KEYS.orderContacts, tableRemovalPolicy);
    this.seedDemoCatalogue = this.demoCatalogueSeed();

    const grantTargets: GrantTargets = { bus: this.bus, tables: { orders: this.ordersTable, inventory: this.inventoryTable, ledger: this.ledgerTable, idempotency: this.idempotencyTable, paymentIntents: this.paymentIntentsTable, orderContacts: this.orderContactsTable } };
    this.alarmTopic = new AlarmTopic(this, 'AlarmTopic', { email: alarmEmailFromContext(this) });
    this.steps = this.pipelineSteps(grantTargets);
    this.httpFunctions = this.httpFunctionsOf(grantTargets);

    ({ pool: this.userPool, client: this.userPoolClient } = this.customerPool(tableRemovalPolicy));
    ({ api: this.api, stage: this.apiStage } = this.httpApi());
    this.dashboard = new PipelineDashboard(this, 'Dashboard', {
      dashboardName: `${this.stackName}-${Aws.REGION}`,
      steps: this.steps,
      httpFunctions: this.httpFunctions,
      api: this.api,
      latencyEmittedBy: 'project-order' satisfies StepName,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.apiStage.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId, description: "The shop's customers (npm run token signs one in)" });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId, description: 'The app client customers sign in through' });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'OrdersTableName', { value: this.ordersTable.tableName });
    new CfnOutput(this, 'InventoryTableName', { value: this.inventoryTable.tableName });
    new CfnOutput(this, 'LedgerTableName', { value: this.ledgerTable.tableName });
    new CfnOutput(this, 'DashboardUrl', { value: this.dashboard.url, description: 'The CloudWatch dashboard of the pipeline' });

    this.acknowledgeNagFindings();
  }

  private table(id: string, keys: TableKeys, removalPolicy: RemovalPolicy, options: { readonly pointInTimeRecovery?: boolean } = {}): Table {
    const table = new Table(this, id, {
      partitionKey: { name: keys.partitionKey, type: AttributeType.STRING },
      sortKey: keys.sortKey === undefined ? undefined : { name: keys.sortKey, type: AttributeType.STRING },
      timeToLiveAttribute: keys.timeToLiveAttribute,
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: options.pointInTimeRecovery ?? true },
      encryption: TableEncryption.AWS_MANAGED,
      removalPolicy,
    });
    for (const [indexName, index] of Object.entries(keys.globalSecondaryIndexes ?? {})) {
      table.addGlobalSecondaryIndex({
        indexName,
        partitionKey: { name: index.partitionKey, type: AttributeType.STRING },
        sortKey: { name: index.sortKey, type: AttributeType.STRING },
        projectionType: ProjectionType.INCLUDE,
        nonKeyAttributes: [...index.nonKeyAttributes],
      });
    }
    return table;
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

  /** One `PipelineStep` per declared step, with its rule, batching, environment and grants from the declaration. */
  private pipelineSteps(grantTargets: GrantTargets): Record<StepName, PipelineStep> {
    const entries = STEP_NAMES.map((stepName) => {
      const declaration = PIPELINE.steps[stepName];
      const access = FunctionAccess.of(stepName);
      const batching: { readonly batchSize: number; readonly maxBatchingWindowSeconds: number } | undefined = 'batching' in declaration ? declaration.batching : undefined;
      const step = new PipelineStep(this, pascalCase(stepName), {
        bus: this.bus,
        alarmTopic: this.alarmTopic.topic,
        stepName,
        description: `Order pipeline step ${stepName}: ${declaration.description}`,
        consumes: consumedBy(stepName),
        entry: declaredEntry(stepName, `import { stepHandler } from '#shared/runtime/aws-clients';\nimport { ${camelCase(stepName)} } from '#shared/steps/${stepName}';\n\nexport const handler = stepHandler('${stepName}', ${camelCase(stepName)});`),
        access,
        grantTargets,
        environment: this.environmentOf(access, grantTargets.tables),
        batchSize: batching?.batchSize,
        maxBatchingWindow: batching === undefined ? undefined : Duration.seconds(batching.maxBatchingWindowSeconds),
      });
      return [stepName, step] as const;
    });
    return Object.fromEntries(entries) as Record<StepName, PipelineStep>;
  }

  /** One function per declared HTTP function, with its environment and grants from the declaration. */
  private httpFunctionsOf(grantTargets: GrantTargets): Record<HttpFunctionName, NodejsFunction> {
    const entries = HTTP_FUNCTION_NAMES.map((name) => {
      const access = FunctionAccess.of(name);
      const fn = handlerFunction(this, `${pascalCase(name)}Function`, {
        entry: declaredEntry(name, `export const handler = ...; // the handler of ${PIPELINE.http[name].route}, given httpDependencies('${name}')`),
        description: `Order pipeline ${name}: ${PIPELINE.http[name].description}`,
        environment: { ...this.environmentOf(access, grantTargets.tables), [EnvName.serviceName]: name },
        access,
        grantTargets,
      });
      return [name, fn] as const;
    });
    return Object.fromEntries(entries) as Record<HttpFunctionName, NodejsFunction>;
  }

  /** The variables naming the tables and the bus a function's access refers to. */
  private environmentOf(access: FunctionAccess, tables: Readonly<Record<TableName, ITable>>): Record<string, string> {
    const values = {
      [EnvName.eventBusName]: this.bus.eventBusName,
      ...Object.fromEntries(TABLE_NAMES.map((table) => [TABLE_NAME_ENV[table], tables[table].tableName])),
    } as Record<ResourceNameEnv, string>;
    return Object.fromEntries(access.environment.map((name) => [name, values[name]]));
  }

  /**
   * The shop's customers. A customer's orders are the token's subject's (`sub`), and the
   * pipeline writes to the e-mail address of the token, so the pool verifies e-mail addresses.
   * The app client signs customers in without a secret (a browser or app cannot keep one):
   * SRP from a storefront, the admin password flow for the project's tools and tests.
   * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html
   */
  private customerPool(removalPolicy: RemovalPolicy): { pool: UserPool; client: UserPoolClient } {
    const pool = new UserPool(this, 'CustomerPool', {
      userPoolName: customerPoolName(this.stackName),
      selfSignUpEnabled: true,
      signInAliases: { username: true, email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: { minLength: 12, requireLowercase: true, requireUppercase: true, requireDigits: true, requireSymbols: true },
      // Customers may add an authenticator app; requiring one is acknowledged below.
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      removalPolicy,
    });
    const client = pool.addClient('ShopClient', {
      userPoolClientName: 'shop',
      authFlows: { userSrp: true, adminUserPassword: true },
      generateSecret: false,
      // No hosted UI or OAuth redirects: the shop signs customers in through the API (CDK's default allows implicit grants to example.com).
      disableOAuth: true,
      preventUserExistenceErrors: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
    });
    Validations.of(pool).acknowledge(
      {
        id: 'AwsSolutions-COG2',
        reason: 'MFA is optional (an authenticator app): a shopper may enable it; requiring it before a first order would turn most shoppers away. A token lets its customer place orders and read their own, nothing else.',
      },
      {
        id: 'AwsSolutions-COG8',
        reason: "The Plus feature plan (threat protection) is billed per monthly active user; this demo shop stays on Essentials. A production shop with real customers should weigh turning it on.",
      },
    );
    return { pool, client };
  }

  private httpApi(): { api: HttpApi; stage: HttpStage } {
    const allowedOrigins = allowedOriginsFromContext(this);
    const routeMethods = HTTP_FUNCTION_NAMES.map((name) => PIPELINE.http[name].route.split(' ')[0] as 'GET' | 'POST');
    const api = new HttpApi(this, 'HttpApi', {
      apiName: `${this.stackName}-shop`,
      description: 'Order pipeline shop API',
      createDefaultStage: false,
      // Every route takes a customer's token of the pool, checked by API Gateway before any function runs.
      // https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
      defaultAuthorizer: new HttpUserPoolAuthorizer('CustomerAuthorizer', this.userPool, { userPoolClients: [this.userPoolClient] }),
      // Browsers on the origins of `-c allowedOrigins=...` only; none without it (infra/allowed-origins.ts).
      ...(allowedOrigins === undefined ? {} : { corsPreflight: corsPreflightOf(allowedOrigins, routeMethods) }),
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

    for (const name of HTTP_FUNCTION_NAMES) {
      const [method, path] = PIPELINE.http[name].route.split(' ') as [keyof typeof HttpMethod, string];
      api.addRoutes({
        path,
        methods: [HttpMethod[method]],
        integration: new HttpLambdaIntegration(`${pascalCase(name)}Integration`, this.httpFunctions[name], {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        }),
      });
    }
    return { api, stage };
  }

  /** cdk-nag findings that don't apply here, acknowledged with the reason. */
  private acknowledgeNagFindings(): void {
    for (const fn of Object.values<NodejsFunction>(this.httpFunctions)) {
      Validations.of(fn).acknowledge({
        id: 'Serverless-LambdaDLQ',
        reason: 'API Gateway invokes the function synchronously and returns its error to the client; a Lambda DLQ applies only to asynchronous invocations.',
      });
    }
  }
}

/** The name of the stack's customer pool, by which the token tool finds it (`ListUserPools`). */
export function customerPoolName(stackName: string = ORDER_PIPELINE_STACK_NAME): string {
  return `${stackName}-customers`;
}

/** A declared function's handler has no entry file. */
export class MissingHandlerError extends Error {
  constructor(entry: string, example: string, options?: { cause?: unknown }) {
    super(`${entry} is missing: every function of the pipeline's declaration has its Lambda entry point there. Write it (README "Adding a step"):\n\n${example}\n`, options);
    this.name = 'MissingHandlerError';
  }
}

/** The entry file of declared function `name`. @throws MissingHandlerError saying what to write when it does not exist. */
function declaredEntry(name: string, example: string): string {
  const entry = handlerEntry(name);
  if (!existsSync(entry)) throw new MissingHandlerError(path.relative(PROJECT_ROOT, entry), example);
  return entry;
}

function camelCase(kebab: string): string {
  const pascal = pascalCase(kebab);
  return pascal.charAt(0).toLowerCase() + pascal.slice(1);
}

function pascalCase(kebab: string): string {
  return kebab
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
