/**
 * What the local cloud runs, read from the synthesized template and nothing else: tables (with
 * their time to live), queues, buses and archives, rules with their targets, functions with their
 * bundles and environment, event source mappings, HTTP routes with their JWT authorizers, the
 * APIs' CORS and their stages' throttling, Cognito user pools and their app clients,
 * AwsCustomResource calls, and the permissions it enforces (roles and their policies, queue
 * policies, Lambda permissions). Every resource type it does not run is listed, never silently
 * dropped.
 */
import { join } from 'node:path';
import type { CorsConfiguration } from '#cloud/http-api/cors';
import type { JwtAuthorizerConfig } from '#cloud/http-api/jwt-authorizer';
import type { StageThrottling, ThrottleSettings } from '#cloud/http-api/throttling';
import type { PolicyDocument } from '#cloud/iam/policy';
import { loggingConfigFromTemplate, type LambdaLoggingConfig } from '#cloud/lambda/logging-config';
import { resolve, type ResolutionContext, type ResolvedResource } from '#cloud/template/intrinsics';
import { physicalResource, ruleArn, type LocalEndpoints, type TemplateResource } from '#cloud/template/physical-resources';

/** A synthesized CloudFormation template. */
export interface CloudFormationTemplate {
  readonly Resources: Record<string, TemplateResource>;
  readonly Outputs?: Record<string, { readonly Value: unknown; readonly Description?: string }>;
  readonly Conditions?: Record<string, unknown>;
}

/** Resource types the local cloud runs (the rest are listed as not run). */
export const RUN_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::Events::EventBus',
  'AWS::Events::Archive',
  'AWS::Events::Rule',
  'AWS::Lambda::Function',
  'AWS::Lambda::EventSourceMapping',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'Custom::AWS',
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::SQS::QueuePolicy',
  'AWS::Lambda::Permission',
] as const;

/** A DynamoDB table to create (CreateTable input). */
export interface TablePlan {
  readonly TableName: string;
  readonly KeySchema: unknown;
  readonly AttributeDefinitions: unknown;
  readonly GlobalSecondaryIndexes?: unknown;
  readonly LocalSecondaryIndexes?: unknown;
  readonly BillingMode: string;
}

/** A table whose items expire (`TimeToLiveSpecification` enabled). */
export interface TimeToLivePlan {
  readonly TableName: string;
  /** The attribute holding each item's expiry, in epoch seconds. */
  readonly AttributeName: string;
}

/** An SQS queue to create (CreateQueue input; attributes as SQS takes them, all strings). */
export interface QueuePlan {
  readonly logicalId: string;
  readonly QueueName: string;
  readonly Attributes: Record<string, string>;
  /** The queue's DLQ name, so DLQs are created first. */
  readonly deadLetterQueueName?: string;
}

/** An EventBridge rule and its targets (PutRule + PutTargets inputs). */
export interface RulePlan {
  readonly Name: string;
  readonly EventBusName: string;
  readonly EventPattern: string;
  readonly State: string;
  readonly Targets: Record<string, unknown>[];
}

/** An archive (CreateArchive input, with the bus by name). */
export interface ArchivePlan {
  readonly ArchiveName: string;
  readonly EventBusName: string;
  readonly EventPattern?: string;
  readonly RetentionDays?: number;
}

/** A function and the bundle CDK built for it. */
export interface FunctionPlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Directory of the bundle CDK built (the asset the template names). */
  readonly codeDirectory: string;
  /** `file.export`, e.g. `index.handler`. */
  readonly handler: string;
  readonly runtime: string;
  readonly architecture: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Its `LoggingConfig`: format and log levels, Lambda's defaults applied. */
  readonly logging: LambdaLoggingConfig;
  /** The log group it writes to: `LoggingConfig.LogGroup`, else Lambda's `/aws/lambda/<name>`. */
  readonly logGroupName: string;
  /** Its execution role's ARN (`Role`). */
  readonly roleArn?: string;
}

/** An SQS event source mapping. */
export interface EventSourceMappingPlan {
  readonly functionName: string;
  readonly queueArn: string;
  readonly queueName: string;
  readonly batchSize: number;
  readonly maximumBatchingWindowInSeconds: number;
  readonly reportBatchItemFailures: boolean;
  readonly maximumConcurrency?: number;
  readonly enabled: boolean;
}

/** An HTTP API route to a function. */
export interface RoutePlan {
  readonly routeKey: string;
  readonly functionName: string;
  readonly payloadFormatVersion: string;
  /** The id of the API the route belongs to, as its `execute-api` ARNs name it. */
  readonly apiId: string;
  /** The stage requests go through (`$default` for an HTTP API's default stage). */
  readonly stage: string;
  /**
   * The route's JWT authorizer and the scopes the route asks for (`AuthorizationScopes`).
   * @default - none: `AuthorizationType: NONE`
   */
  readonly authorization?: { readonly authorizer: JwtAuthorizerConfig; readonly scopes: readonly string[] };
}

/** An HTTP API: its CORS and its stage's throttling. */
export interface HttpApiPlan {
  readonly apiId: string;
  /** `CorsConfiguration`. @default - none */
  readonly cors?: CorsConfiguration;
  /** The throttling of the stage requests go through. */
  readonly throttling: StageThrottling;
}

/** A Cognito user pool's `Policies.PasswordPolicy`, Cognito's defaults applied. */
export interface PasswordPolicyPlan {
  readonly minimumLength: number;
  readonly requireLowercase: boolean;
  readonly requireUppercase: boolean;
  readonly requireNumbers: boolean;
  readonly requireSymbols: boolean;
}

/** A Cognito user pool app client. */
export interface UserPoolClientPlan {
  readonly clientId: string;
  readonly name: string;
  /** `ExplicitAuthFlows`, e.g. `ALLOW_ADMIN_USER_PASSWORD_AUTH`. */
  readonly explicitAuthFlows: readonly string[];
  /** How long its ID and access tokens are valid, in seconds. */
  readonly idTokenValiditySeconds: number;
  readonly accessTokenValiditySeconds: number;
}

/** A Cognito user pool and its app clients. */
export interface UserPoolPlan {
  readonly logicalId: string;
  /** Its id, `<region>_<9 characters>`. */
  readonly id: string;
  readonly name: string;
  readonly arn: string;
  /** The issuer of its tokens: `https://cognito-idp.<region>.amazonaws.com/<id>`. */
  readonly issuer: string;
  readonly passwordPolicy: PasswordPolicyPlan;
  readonly clients: readonly UserPoolClientPlan[];
}

/** An AwsCustomResource call to make once, as CloudFormation's create would. */
export interface CustomResourceCallPlan {
  readonly logicalId: string;
  readonly service: string;
  readonly action: string;
  readonly parameters: Record<string, unknown>;
  /** The function that makes the call on AWS (its `ServiceToken`), whose role authorizes it. */
  readonly providerFunctionName?: string;
}

/** A policy document as a template states it. */
export interface PolicyDocumentPlan {
  readonly name: string;
  readonly document: PolicyDocument;
}

/** An IAM role and the identity-based policies it has. */
export interface RolePlan {
  readonly logicalId: string;
  readonly name: string;
  readonly arn: string;
  /** Its own `Policies`, then the `AWS::IAM::Policy` and customer managed policies attached to it. */
  readonly policies: readonly PolicyDocumentPlan[];
  /** AWS managed policies it names in `ManagedPolicyArns` (customer managed ones are in `policies`). */
  readonly awsManagedPolicyArns: readonly string[];
}

/** An `AWS::SQS::QueuePolicy`: one document on each of its queues. */
export interface QueuePolicyPlan {
  readonly logicalId: string;
  readonly queueArns: readonly string[];
  readonly document: PolicyDocument;
}

/** An `AWS::Lambda::Permission`: a statement of its function's resource-based policy. */
export interface LambdaPermissionPlan {
  readonly logicalId: string;
  readonly functionArn: string;
  readonly action: string;
  /** A service principal (`apigateway.amazonaws.com`), an account or an ARN. */
  readonly principal: string;
  readonly sourceArn?: string;
  readonly sourceAccount?: string;
}

/** Everything the local cloud runs for one stack. */
export interface StackPlan {
  readonly stackName: string;
  readonly tables: readonly TablePlan[];
  readonly queues: readonly QueuePlan[];
  readonly buses: readonly string[];
  readonly archives: readonly ArchivePlan[];
  readonly rules: readonly RulePlan[];
  readonly functions: readonly FunctionPlan[];
  readonly eventSourceMappings: readonly EventSourceMappingPlan[];
  readonly routes: readonly RoutePlan[];
  readonly httpApis: readonly HttpApiPlan[];
  readonly userPools: readonly UserPoolPlan[];
  readonly timeToLive: readonly TimeToLivePlan[];
  readonly customResourceCalls: readonly CustomResourceCallPlan[];
  readonly roles: readonly RolePlan[];
  readonly queuePolicies: readonly QueuePolicyPlan[];
  readonly lambdaPermissions: readonly LambdaPermissionPlan[];
  readonly outputs: Readonly<Record<string, string>>;
  /** Resource types present but not run, with how many of each. */
  readonly notRun: readonly { readonly type: string; readonly count: number }[];
}

/** Inputs of {@link planStack}. */
export interface PlanStackInput {
  readonly stackName: string;
  readonly template: CloudFormationTemplate;
  /** The cloud assembly directory (cdk.out or the in-process outdir). */
  readonly assemblyDirectory: string;
  /** S3 object key (`<hash>.zip`) -> asset directory relative to the assembly, from the assets manifest. */
  readonly assetPaths: ReadonlyMap<string, string>;
  readonly endpoints: LocalEndpoints;
}

/** Reads the template into the plan of what to run locally. */
export function planStack(input: PlanStackInput): StackPlan {
  const { template, stackName, endpoints } = input;
  const resources = new Map<string, ResolvedResource>(
    Object.entries(template.Resources).map(([logicalId, resource]) => [logicalId, physicalResource(logicalId, resource, stackName, endpoints)]),
  );
  const pseudo = {
    'AWS::Region': endpoints.region,
    'AWS::AccountId': endpoints.accountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${endpoints.region}:${endpoints.accountId}:stack/${stackName}/local`,
  };
  // A rule on a custom bus is `rule/<bus>/<rule>`: its ARN needs its bus's name, resolved first.
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule' || resource.Properties?.EventBusName === undefined) continue;
    const bus = String(resolve(resource.Properties.EventBusName, { resources, pseudo })).split('/').pop() as string;
    const rule = resources.get(logicalId) as ResolvedResource;
    resources.set(logicalId, { ...rule, attributes: { ...rule.attributes, Arn: ruleArn(endpoints, rule.ref, bus) } });
  }
  const context: ResolutionContext = { resources, pseudo };
  const byType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
  const props = (resource: TemplateResource) => (resolve(resource.Properties ?? {}, context) ?? {}) as Record<string, unknown>;
  const nameOf = (logicalId: string) => resources.get(logicalId)?.ref as string;
  const functionNameByArn = new Map(byType('AWS::Lambda::Function').map(([logicalId]) => [resources.get(logicalId)?.attributes.Arn, nameOf(logicalId)]));
  const queueNameByArn = new Map(byType('AWS::SQS::Queue').map(([logicalId]) => [resources.get(logicalId)?.attributes.Arn, resources.get(logicalId)?.attributes.QueueName]));

  const tables = byType('AWS::DynamoDB::Table').map(([logicalId, resource]): TablePlan => {
    const p = props(resource);
    return {
      TableName: nameOf(logicalId),
      KeySchema: p.KeySchema,
      AttributeDefinitions: p.AttributeDefinitions,
      ...(p.GlobalSecondaryIndexes ? { GlobalSecondaryIndexes: p.GlobalSecondaryIndexes } : {}),
      ...(p.LocalSecondaryIndexes ? { LocalSecondaryIndexes: p.LocalSecondaryIndexes } : {}),
      BillingMode: String(p.BillingMode ?? 'PROVISIONED'),
    };
  });

  const timeToLive = byType('AWS::DynamoDB::Table').flatMap(([logicalId, resource]): TimeToLivePlan[] => {
    const specification = props(resource).TimeToLiveSpecification as { Enabled?: unknown; AttributeName?: unknown } | undefined;
    return specification?.Enabled === true && typeof specification.AttributeName === 'string' ? [{ TableName: nameOf(logicalId), AttributeName: specification.AttributeName }] : [];
  });

  const queues = byType('AWS::SQS::Queue').map(([logicalId, resource]): QueuePlan => {
    const p = props(resource);
    const redrive = p.RedrivePolicy as { deadLetterTargetArn?: string; maxReceiveCount?: number } | undefined;
    const attributes: Record<string, string> = {};
    for (const key of ['VisibilityTimeout', 'MessageRetentionPeriod', 'DelaySeconds', 'ReceiveMessageWaitTimeSeconds', 'MaximumMessageSize', 'FifoQueue', 'ContentBasedDeduplication', 'KmsMasterKeyId', 'SqsManagedSseEnabled', 'DeduplicationScope', 'FifoThroughputLimit']) {
      if (p[key] !== undefined) attributes[key] = String(p[key]);
    }
    if (redrive) attributes.RedrivePolicy = JSON.stringify(redrive);
    if (p.RedriveAllowPolicy) attributes.RedriveAllowPolicy = JSON.stringify(p.RedriveAllowPolicy);
    return {
      logicalId,
      QueueName: resources.get(logicalId)?.attributes.QueueName as string,
      Attributes: attributes,
      deadLetterQueueName: redrive?.deadLetterTargetArn ? queueNameByArn.get(redrive.deadLetterTargetArn) : undefined,
    };
  });

  const archives = byType('AWS::Events::Archive').map(([logicalId, resource]): ArchivePlan => {
    const p = props(resource);
    return {
      ArchiveName: nameOf(logicalId),
      EventBusName: String(p.SourceArn).split('/').pop() as string,
      ...(p.EventPattern ? { EventPattern: JSON.stringify(p.EventPattern) } : {}),
      ...(p.RetentionDays !== undefined ? { RetentionDays: Number(p.RetentionDays) } : {}),
    };
  });

  const rules = byType('AWS::Events::Rule').map(([logicalId, resource]): RulePlan => {
    const p = props(resource);
    return {
      Name: nameOf(logicalId),
      EventBusName: String(p.EventBusName ?? 'default').split('/').pop() as string,
      EventPattern: JSON.stringify(p.EventPattern ?? {}),
      State: String(p.State ?? 'ENABLED'),
      Targets: (p.Targets as Record<string, unknown>[] | undefined) ?? [],
    };
  });

  const functions = byType('AWS::Lambda::Function').map(([logicalId, resource]): FunctionPlan => {
    const p = props(resource);
    const code = p.Code as { S3Key?: string } | undefined;
    const assetPath = code?.S3Key ? input.assetPaths.get(code.S3Key) : undefined;
    if (!assetPath) throw new Error(`function ${logicalId}: its code is not a file asset of this assembly (only bundled assets can run locally)`);
    return {
      logicalId,
      name: nameOf(logicalId),
      arn: resources.get(logicalId)?.attributes.Arn as string,
      codeDirectory: join(input.assemblyDirectory, assetPath),
      handler: String(p.Handler ?? 'index.handler'),
      runtime: String(p.Runtime ?? ''),
      architecture: String((p.Architectures as string[] | undefined)?.[0] ?? 'x86_64'),
      environment: Object.fromEntries(Object.entries(((p.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {})).map(([key, value]) => [key, String(value)])),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      logging: functionLogging(logicalId, p.LoggingConfig),
      logGroupName: String((p.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup ?? `/aws/lambda/${nameOf(logicalId)}`),
      ...(typeof p.Role === 'string' ? { roleArn: p.Role } : {}),
    };
  });

  const eventSourceMappings = byType('AWS::Lambda::EventSourceMapping').map(([, resource]): EventSourceMappingPlan => {
    const p = props(resource);
    const queueArn = String(p.EventSourceArn);
    const functionRef = String(p.FunctionName);
    return {
      functionName: functionNameByArn.get(functionRef) ?? functionRef,
      queueArn,
      queueName: queueNameByArn.get(queueArn) ?? (queueArn.split(':').pop() as string),
      batchSize: Number(p.BatchSize ?? 10),
      maximumBatchingWindowInSeconds: Number(p.MaximumBatchingWindowInSeconds ?? 0),
      reportBatchItemFailures: ((p.FunctionResponseTypes as string[] | undefined) ?? []).includes('ReportBatchItemFailures'),
      ...((p.ScalingConfig as { MaximumConcurrency?: number } | undefined)?.MaximumConcurrency ? { maximumConcurrency: Number((p.ScalingConfig as { MaximumConcurrency: number }).MaximumConcurrency) } : {}),
      enabled: p.Enabled !== false,
    };
  });

  const integrations = new Map(
    byType('AWS::ApiGatewayV2::Integration').map(([logicalId, resource]) => {
      const p = props(resource);
      return [nameOf(logicalId), { functionArn: String(p.IntegrationUri), payloadFormatVersion: String(p.PayloadFormatVersion ?? '2.0') }];
    }),
  );
  // An HTTP API's requests go through its `$default` stage when it has one (`AutoDeploy`).
  const stageByApi = new Map<string, { name: string; throttling: StageThrottling }>();
  for (const [, resource] of byType('AWS::ApiGatewayV2::Stage')) {
    const p = props(resource);
    const apiId = String(p.ApiId);
    const routeSettings = Object.entries((p.RouteSettings as Record<string, unknown> | undefined) ?? {}).flatMap(([routeKey, settings]) => {
      const throttle = throttleSettings(settings);
      return throttle === undefined ? [] : [[routeKey, throttle] as const];
    });
    const defaultRoute = throttleSettings(p.DefaultRouteSettings);
    const stage = { name: String(p.StageName ?? DEFAULT_STAGE), throttling: { ...(defaultRoute ? { defaultRoute } : {}), routes: Object.fromEntries(routeSettings) } };
    if (!stageByApi.has(apiId) || p.StageName === DEFAULT_STAGE) stageByApi.set(apiId, stage);
  }
  const authorizers = new Map(
    byType('AWS::ApiGatewayV2::Authorizer').map(([logicalId, resource]) => {
      const p = props(resource);
      if (p.AuthorizerType !== 'JWT') throw new Error(`authorizer ${logicalId}: only JWT authorizers run locally, not ${String(p.AuthorizerType)}`);
      const jwt = (p.JwtConfiguration ?? {}) as { Issuer?: unknown; Audience?: unknown };
      const authorizer: JwtAuthorizerConfig = { name: String(p.Name ?? logicalId), issuer: String(jwt.Issuer), audience: asList(jwt.Audience).map(String), identitySource: asList(p.IdentitySource).map(String) };
      return [nameOf(logicalId), authorizer];
    }),
  );
  const routes = byType('AWS::ApiGatewayV2::Route').flatMap(([logicalId, resource]): RoutePlan[] => {
    const p = props(resource);
    const integration = integrations.get(String(p.Target ?? '').replace(/^integrations\//, ''));
    const functionName = integration ? functionNameByArn.get(integration.functionArn) : undefined;
    if (!integration || !functionName) throw new Error(`route ${logicalId} (${String(p.RouteKey)}): only Lambda proxy integrations run locally`);
    const apiId = String(p.ApiId);
    const authorizationType = String(p.AuthorizationType ?? 'NONE');
    let authorization: RoutePlan['authorization'];
    if (authorizationType === 'JWT') {
      const authorizer = authorizers.get(String(p.AuthorizerId));
      if (authorizer === undefined) throw new Error(`route ${logicalId} (${String(p.RouteKey)}): its authorizer ${String(p.AuthorizerId)} is not in the template`);
      authorization = { authorizer, scopes: asList(p.AuthorizationScopes).map(String) };
    } else if (authorizationType !== 'NONE') {
      // Running such a route open would let through what AWS refuses: refuse to start instead.
      throw new Error(`route ${logicalId} (${String(p.RouteKey)}): AuthorizationType ${authorizationType} is not enforced locally (only JWT and NONE are)`);
    }
    return [{ routeKey: String(p.RouteKey), functionName, payloadFormatVersion: integration.payloadFormatVersion, apiId, stage: stageByApi.get(apiId)?.name ?? DEFAULT_STAGE, ...(authorization ? { authorization } : {}) }];
  });
  const httpApis = byType('AWS::ApiGatewayV2::Api').map(([logicalId, resource]): HttpApiPlan => {
    const p = props(resource);
    const apiId = nameOf(logicalId);
    return { apiId, ...(p.CorsConfiguration !== undefined ? { cors: p.CorsConfiguration as CorsConfiguration } : {}), throttling: stageByApi.get(apiId)?.throttling ?? {} };
  });

  const userPoolClients = byType('AWS::Cognito::UserPoolClient').map(([logicalId, resource]) => {
    const p = props(resource);
    const units = (p.TokenValidityUnits ?? {}) as { IdToken?: string; AccessToken?: string };
    const client: UserPoolClientPlan = {
      clientId: nameOf(logicalId),
      name: String(p.ClientName ?? logicalId),
      explicitAuthFlows: asList(p.ExplicitAuthFlows).map(String),
      idTokenValiditySeconds: tokenValiditySeconds(p.IdTokenValidity, units.IdToken),
      accessTokenValiditySeconds: tokenValiditySeconds(p.AccessTokenValidity, units.AccessToken),
    };
    return { userPoolId: String(p.UserPoolId), client };
  });
  const userPools = byType('AWS::Cognito::UserPool').map(([logicalId, resource]): UserPoolPlan => {
    const p = props(resource);
    const id = nameOf(logicalId);
    const policy = ((p.Policies as { PasswordPolicy?: Record<string, unknown> } | undefined)?.PasswordPolicy ?? {}) as Record<string, unknown>;
    return {
      logicalId,
      id,
      name: String(p.UserPoolName ?? logicalId),
      arn: resources.get(logicalId)?.attributes.Arn as string,
      issuer: resources.get(logicalId)?.attributes.ProviderURL as string,
      // Cognito's defaults: 8 characters, each class required.
      passwordPolicy: {
        minimumLength: Number(policy.MinimumLength ?? 8),
        requireLowercase: policy.RequireLowercase !== false,
        requireUppercase: policy.RequireUppercase !== false,
        requireNumbers: policy.RequireNumbers !== false,
        requireSymbols: policy.RequireSymbols !== false,
      },
      clients: userPoolClients.filter((entry) => entry.userPoolId === id).map((entry) => entry.client),
    };
  });

  const customResourceCalls = byType('Custom::AWS').flatMap(([logicalId, resource]): CustomResourceCallPlan[] => {
    const p = props(resource);
    if (typeof p.Create !== 'string') return [];
    const call = JSON.parse(p.Create) as { service: string; action: string; parameters?: Record<string, unknown> };
    const providerFunctionName = functionNameByArn.get(String(p.ServiceToken));
    return [{ logicalId, service: call.service, action: call.action, parameters: call.parameters ?? {}, ...(providerFunctionName !== undefined ? { providerFunctionName } : {}) }];
  });

  const queueArnByUrl = new Map(byType('AWS::SQS::Queue').map(([logicalId]) => [resources.get(logicalId)?.ref, resources.get(logicalId)?.attributes.Arn as string]));
  const { roles, queuePolicies, lambdaPermissions } = planPermissions({
    roles: byType('AWS::IAM::Role').map(([logicalId, resource]) => ({ logicalId, name: nameOf(logicalId), arn: resources.get(logicalId)?.attributes.Arn as string, properties: props(resource) })),
    policies: [...byType('AWS::IAM::Policy'), ...byType('AWS::IAM::ManagedPolicy')].map(([logicalId, resource]) => ({ logicalId, type: resource.Type, ref: resources.get(logicalId)?.ref as string, properties: props(resource) })),
    queuePolicies: byType('AWS::SQS::QueuePolicy').map(([logicalId, resource]) => ({ logicalId, properties: props(resource) })),
    lambdaPermissions: byType('AWS::Lambda::Permission').map(([logicalId, resource]) => ({ logicalId, properties: props(resource) })),
    queueArnByUrl,
    functionArnByName: new Map(functions.map((fn) => [fn.name, fn.arn])),
  });

  const counts = new Map<string, number>();
  for (const resource of Object.values(template.Resources)) {
    if (!(RUN_TYPES as readonly string[]).includes(resource.Type)) counts.set(resource.Type, (counts.get(resource.Type) ?? 0) + 1);
  }

  return {
    stackName,
    tables,
    queues: orderDeadLetterQueuesFirst(queues),
    buses: byType('AWS::Events::EventBus').map(([logicalId]) => nameOf(logicalId)),
    archives,
    rules,
    functions,
    eventSourceMappings,
    routes,
    httpApis,
    userPools,
    timeToLive,
    customResourceCalls,
    roles,
    queuePolicies,
    lambdaPermissions,
    outputs: Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([key, output]) => [key, String(resolve(output.Value, context))])),
    notRun: [...counts].map(([type, count]) => ({ type, count })).sort((a, b) => a.type.localeCompare(b.type)),
  };
}

/** The name of an HTTP API's default stage. @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-stages.html */
const DEFAULT_STAGE = '$default';

/** The permission resources of a template, properties resolved. */
interface PermissionResources {
  readonly roles: readonly { logicalId: string; name: string; arn: string; properties: Record<string, unknown> }[];
  /** `AWS::IAM::Policy` and `AWS::IAM::ManagedPolicy` resources, with their `Ref`. */
  readonly policies: readonly { logicalId: string; type: string; ref: string; properties: Record<string, unknown> }[];
  readonly queuePolicies: readonly { logicalId: string; properties: Record<string, unknown> }[];
  readonly lambdaPermissions: readonly { logicalId: string; properties: Record<string, unknown> }[];
  readonly queueArnByUrl: ReadonlyMap<unknown, string>;
  readonly functionArnByName: ReadonlyMap<string, string>;
}

const asList = (value: unknown): unknown[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/**
 * Gathers each role's identity-based policies (its own `Policies`; every `AWS::IAM::Policy` and
 * customer managed policy whose `Roles` names it, or that its `ManagedPolicyArns` names; the
 * AWS managed policies it names), the queue policies and the Lambda permissions.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-iam-role.html
 */
function planPermissions(resources: PermissionResources): { roles: RolePlan[]; queuePolicies: QueuePolicyPlan[]; lambdaPermissions: LambdaPermissionPlan[] } {
  const customerManaged = new Map(resources.policies.filter((policy) => policy.type === 'AWS::IAM::ManagedPolicy').map((policy) => [policy.ref, policy]));
  const roles = resources.roles.map((role): RolePlan => {
    const own = asList(role.properties.Policies).map((policy) => {
      const { PolicyName, PolicyDocument } = policy as { PolicyName?: unknown; PolicyDocument?: PolicyDocument };
      return { name: `${role.name}/${String(PolicyName)}`, document: PolicyDocument as PolicyDocument };
    });
    const managedArns = asList(role.properties.ManagedPolicyArns).map(String);
    const attached = resources.policies
      .filter((policy) => asList(policy.properties.Roles).map(String).includes(role.name) || managedArns.includes(policy.ref))
      .map((policy) => ({ name: String(policy.properties.PolicyName ?? policy.properties.ManagedPolicyName ?? policy.logicalId), document: policy.properties.PolicyDocument as PolicyDocument }));
    return { logicalId: role.logicalId, name: role.name, arn: role.arn, policies: [...own, ...attached], awsManagedPolicyArns: managedArns.filter((arn) => !customerManaged.has(arn)) };
  });
  const queuePolicies = resources.queuePolicies.map(({ logicalId, properties }): QueuePolicyPlan => ({
    logicalId,
    queueArns: asList(properties.Queues).map((url) => resources.queueArnByUrl.get(url) ?? String(url)),
    document: properties.PolicyDocument as PolicyDocument,
  }));
  const lambdaPermissions = resources.lambdaPermissions.map(({ logicalId, properties }): LambdaPermissionPlan => {
    const functionName = String(properties.FunctionName);
    return {
      logicalId,
      functionArn: resources.functionArnByName.get(functionName) ?? functionName,
      action: String(properties.Action),
      principal: String(properties.Principal),
      ...(properties.SourceArn !== undefined ? { sourceArn: String(properties.SourceArn) } : {}),
      ...(properties.SourceAccount !== undefined ? { sourceAccount: String(properties.SourceAccount) } : {}),
    };
  });
  return { roles, queuePolicies, lambdaPermissions };
}

/** A stage's or route's `ThrottlingRateLimit` and `ThrottlingBurstLimit`, when it sets both. */
function throttleSettings(settings: unknown): ThrottleSettings | undefined {
  const { ThrottlingRateLimit: rate, ThrottlingBurstLimit: burst } = (settings ?? {}) as { ThrottlingRateLimit?: unknown; ThrottlingBurstLimit?: unknown };
  return rate === undefined || burst === undefined ? undefined : { rateLimit: Number(rate), burstLimit: Number(burst) };
}

/**
 * A token validity in seconds: `value` in `unit` (`TokenValidityUnits`, hours by default), one
 * hour when the client sets none.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-cognito-userpoolclient.html
 */
function tokenValiditySeconds(value: unknown, unit: string | undefined): number {
  if (value === undefined) return 3_600;
  const seconds = { seconds: 1, minutes: 60, hours: 3_600, days: 86_400 }[unit ?? 'hours'] ?? 3_600;
  return Number(value) * seconds;
}

/** A queue's redrive policy names its DLQ by ARN, so the DLQ must exist first. */
function orderDeadLetterQueuesFirst(queues: QueuePlan[]): QueuePlan[] {
  const deadLetterNames = new Set(queues.flatMap((queue) => (queue.deadLetterQueueName ? [queue.deadLetterQueueName] : [])));
  return [...queues.filter((queue) => deadLetterNames.has(queue.QueueName)), ...queues.filter((queue) => !deadLetterNames.has(queue.QueueName))];
}

/** A function's `LoggingConfig` as Lambda applies it; a value Lambda would reject names the function. */
function functionLogging(logicalId: string, property: unknown): LambdaLoggingConfig {
  try {
    return loggingConfigFromTemplate(property);
  } catch (cause) {
    throw new Error(`function ${logicalId}: ${(cause as Error).message}`, { cause });
  }
}
