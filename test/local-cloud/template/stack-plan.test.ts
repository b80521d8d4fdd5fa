import { describe, expect, it } from 'vitest';
import { planStack, type CloudFormationTemplate } from '#cloud/template/stack-plan';

const endpoints = { region: 'us-east-1', accountId: '000000000000', awsEndpoint: 'http://127.0.0.1:4566', httpApiUrl: 'http://127.0.0.1:3000' };

/** A small template in the shape CDK synthesizes, with one of each resource the cloud runs. */
const template: CloudFormationTemplate = {
  Resources: {
    Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'OrderBus' } },
    Archive: { Type: 'AWS::Events::Archive', Properties: { SourceArn: { 'Fn::GetAtt': ['Bus', 'Arn'] }, EventPattern: { source: ['shop.orders'] }, RetentionDays: 30 } },
    Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 4 } } },
    Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'orderId', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'orderId', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' } },
    Fn: {
      Type: 'AWS::Lambda::Function',
      Properties: {
        Code: { S3Bucket: { 'Fn::Sub': 'cdk-assets-${AWS::AccountId}' }, S3Key: 'abc123.zip' },
        Handler: 'index.handler',
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 10,
        MemorySize: 256,
        Environment: { Variables: { TABLE: { Ref: 'Table' }, DLQ_URL: { Ref: 'Dlq' } } },
      },
    },
    Mapping: {
      Type: 'AWS::Lambda::EventSourceMapping',
      Properties: { EventSourceArn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, FunctionName: { Ref: 'Fn' }, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } },
    },
    Rule: {
      Type: 'AWS::Events::Rule',
      Properties: {
        EventBusName: { Ref: 'Bus' },
        EventPattern: { source: ['shop.orders'], 'detail-type': ['OrderPlaced'] },
        State: 'ENABLED',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Queue', 'Arn'] }, Id: 'Target0', DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['Dlq', 'Arn'] } }, RetryPolicy: { MaximumRetryAttempts: 8 } }],
      },
    },
    Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } },
    Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationType: 'AWS_PROXY', IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' } },
    Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'POST /orders', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
    Seed: { Type: 'Custom::AWS', Properties: { Create: { 'Fn::Join': ['', ['{"service":"DynamoDB","action":"batchWriteItem","parameters":{"RequestItems":{"', { Ref: 'Table' }, '":[]}}}']] } } },
    Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    Policy: { Type: 'AWS::IAM::Policy', Properties: {} },
  },
  Outputs: { ApiUrl: { Value: { 'Fn::GetAtt': ['Api', 'ApiEndpoint'] } } },
};

/** A function whose code is the bundled asset `abc123.zip`, with `LoggingConfig`. */
function aBundledFunction(LoggingConfig: Record<string, unknown>): CloudFormationTemplate['Resources'][string] {
  return { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc123.zip' }, Handler: 'index.handler', LoggingConfig } };
}

describe('stack plan: what the local cloud runs, read from the template', () => {
  const plan = planStack({ stackName: 'Stack', template, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints });

  it('creates each DLQ before the queue that redrives to it, with the template attributes', () => {
    expect(plan.queues.map((queue) => queue.QueueName)).toEqual(['Stack-Dlq', 'Stack-Queue']);
    expect(plan.queues[1]?.Attributes).toEqual({ VisibilityTimeout: '60', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:Stack-Dlq', maxReceiveCount: 4 }) });
  });

  it('runs the function bundle CDK built, with its resolved environment', () => {
    expect(plan.functions).toEqual([
      {
        logicalId: 'Fn',
        name: 'Stack-Fn',
        arn: 'arn:aws:lambda:us-east-1:000000000000:function:Stack-Fn',
        codeDirectory: '/out/asset.abc123',
        handler: 'index.handler',
        runtime: 'nodejs22.x',
        architecture: 'arm64',
        environment: { TABLE: 'Stack-Table', DLQ_URL: 'http://127.0.0.1:4566/000000000000/Stack-Dlq' },
        timeoutSeconds: 10,
        memoryMb: 256,
        logging: { logFormat: 'Text' },
        logGroupName: '/aws/lambda/Stack-Fn',
      },
    ]);
  });

  it("reads each function's LoggingConfig, with Lambda's INFO for a level JSON leaves out", () => {
    // Prepare
    const logging: CloudFormationTemplate = {
      Resources: {
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
        AtWarn: aBundledFunction({ LogGroup: { Ref: 'Logs' }, LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'WARN' }),
        JsonOnly: aBundledFunction({ LogFormat: 'JSON' }),
        GroupOnly: aBundledFunction({ LogGroup: { Ref: 'Logs' } }),
      },
    };

    // Act
    const { functions } = planStack({ stackName: 'S', template: logging, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints });

    // Assess
    expect(Object.fromEntries(functions.map((planned) => [planned.logicalId, planned.logging]))).toEqual({
      AtWarn: { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' },
      JsonOnly: { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' },
      GroupOnly: { logFormat: 'Text' },
    });
  });

  it('refuses a LoggingConfig Lambda would reject, naming the function', () => {
    const textWithLevel: CloudFormationTemplate = { Resources: { Fn: aBundledFunction({ LogFormat: 'Text', ApplicationLogLevel: 'WARN' }) } };

    expect(() => planStack({ stackName: 'S', template: textWithLevel, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints })).toThrow(
      /^function Fn: LoggingConfig\.ApplicationLogLevel and SystemLogLevel need LogFormat JSON/,
    );
  });

  it('wires the event source mapping with its batch settings', () => {
    expect(plan.eventSourceMappings).toEqual([
      { functionName: 'Stack-Fn', queueArn: 'arn:aws:sqs:us-east-1:000000000000:Stack-Queue', queueName: 'Stack-Queue', batchSize: 10, maximumBatchingWindowInSeconds: 0, reportBatchItemFailures: true, maximumConcurrency: 5, enabled: true },
    ]);
  });

  it('reads rules with their targets, and the archive on its bus', () => {
    expect(plan.rules).toEqual([
      {
        Name: 'Stack-Rule',
        EventBusName: 'OrderBus',
        EventPattern: JSON.stringify({ source: ['shop.orders'], 'detail-type': ['OrderPlaced'] }),
        State: 'ENABLED',
        Targets: [{ Arn: 'arn:aws:sqs:us-east-1:000000000000:Stack-Queue', Id: 'Target0', DeadLetterConfig: { Arn: 'arn:aws:sqs:us-east-1:000000000000:Stack-Dlq' }, RetryPolicy: { MaximumRetryAttempts: 8 } }],
      },
    ]);
    expect(plan.archives).toEqual([{ ArchiveName: 'Stack-Archive', EventBusName: 'OrderBus', EventPattern: '{"source":["shop.orders"]}', RetentionDays: 30 }]);
  });

  it('routes HTTP requests to the integrated function and resolves outputs', () => {
    expect(plan.routes).toEqual([{ routeKey: 'POST /orders', functionName: 'Stack-Fn', payloadFormatVersion: '2.0', apiId: 'api', stage: '$default' }]);
    expect(plan.outputs).toEqual({ ApiUrl: 'http://127.0.0.1:3000' });
  });

  it('makes the custom resource call with its resolved parameters', () => {
    expect(plan.customResourceCalls).toEqual([{ logicalId: 'Seed', service: 'DynamoDB', action: 'batchWriteItem', parameters: { RequestItems: { 'Stack-Table': [] } } }]);
  });

  it('lists the resource types it does not run; roles and policies it enforces', () => {
    expect(plan.notRun).toEqual([{ type: 'AWS::CloudWatch::Alarm', count: 1 }]);
  });

  it('refuses a function whose code is not a bundled asset', () => {
    const inline: CloudFormationTemplate = { Resources: { Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'exports.handler=1' }, Handler: 'index.handler' } } } };
    expect(() => planStack({ stackName: 'S', template: inline, assemblyDirectory: '/out', assetPaths: new Map(), endpoints })).toThrow(/not a file asset/);
  });

  it("gathers each role's identity-based policies: its own, those attached to it, and the managed ones it names", () => {
    // Prepare
    const withRoles: CloudFormationTemplate = {
      Resources: {
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            Policies: [{ PolicyName: 'Own', PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] } }],
            ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AWSLambdaBasicExecutionRole']] }, { Ref: 'Managed' }],
          },
        },
        Attached: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'Default', Roles: [{ Ref: 'Role' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': ['Table', 'Arn'] } }] } } },
        Managed: { Type: 'AWS::IAM::ManagedPolicy', Properties: { PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] } } },
        Unrelated: { Type: 'AWS::IAM::Policy', Properties: { PolicyName: 'Other', Roles: ['another-role'], PolicyDocument: { Statement: [] } } },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: {} },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc123.zip' }, Role: { 'Fn::GetAtt': ['Role', 'Arn'] }, LoggingConfig: { LogGroup: { Ref: 'Logs' } } } },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: {} },
      },
    };
    // Act
    const planned = planStack({ stackName: 'S', template: withRoles, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints });
    // Assess
    expect(planned.roles).toEqual([
      {
        logicalId: 'Role',
        name: 'S-Role',
        arn: 'arn:aws:iam::000000000000:role/S-Role',
        policies: [
          { name: 'S-Role/Own', document: { Statement: [{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: '*' }] } },
          { name: 'Default', document: { Statement: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:us-east-1:000000000000:table/S-Table' }] } },
          { name: 'Managed', document: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*' }] } },
        ],
        awsManagedPolicyArns: ['arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole'],
      },
    ]);
    expect(planned.functions[0]).toMatchObject({ roleArn: 'arn:aws:iam::000000000000:role/S-Role', logGroupName: 'S-Logs' });
  });

  it('reads queue policies onto their queues, and Lambda permissions onto their functions', () => {
    // Prepare
    const withResourcePolicies: CloudFormationTemplate = {
      Resources: {
        Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
        QueuePolicy: { Type: 'AWS::SQS::QueuePolicy', Properties: { Queues: [{ Ref: 'Queue' }], PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['Queue', 'Arn'] } }] } } },
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc123.zip' } } },
        Permission: { Type: 'AWS::Lambda::Permission', Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] }, Principal: 'apigateway.amazonaws.com', SourceArn: 'arn:aws:execute-api:us-east-1:000000000000:api/*/*/orders' } },
      },
    };
    // Act
    const planned = planStack({ stackName: 'S', template: withResourcePolicies, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints });
    // Assess
    expect(planned.queuePolicies).toEqual([
      { logicalId: 'QueuePolicy', queueArns: ['arn:aws:sqs:us-east-1:000000000000:S-Queue'], document: { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: 'arn:aws:sqs:us-east-1:000000000000:S-Queue' }] } },
    ]);
    expect(planned.lambdaPermissions).toEqual([
      { logicalId: 'Permission', functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:S-Fn', action: 'lambda:InvokeFunction', principal: 'apigateway.amazonaws.com', sourceArn: 'arn:aws:execute-api:us-east-1:000000000000:api/*/*/orders' },
    ]);
    expect(planned.functions[0]?.logGroupName).toBe('/aws/lambda/S-Fn');
  });

  it('reads the JWT authorizer of each route, the API\'s CORS, its stage\'s throttling, user pools with their clients, and tables\' time to live', () => {
    // Prepare
    const withAuthorization: CloudFormationTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc123.zip' } } },
        Pool: { Type: 'AWS::Cognito::UserPool', Properties: { UserPoolName: 'customers', Policies: { PasswordPolicy: { MinimumLength: 12, RequireSymbols: false } } } },
        Client: { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' }, ClientName: 'shop', ExplicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'], IdTokenValidity: 60, AccessTokenValidity: 60, TokenValidityUnits: { IdToken: 'minutes', AccessToken: 'minutes' } } },
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP', CorsConfiguration: { AllowOrigins: ['https://shop.example'], AllowMethods: ['GET'], MaxAge: 600 } } },
        Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 }, RouteSettings: { 'GET /orders': { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 } } } },
        Authorizer: {
          Type: 'AWS::ApiGatewayV2::Authorizer',
          Properties: {
            ApiId: { Ref: 'Api' },
            AuthorizerType: 'JWT',
            Name: 'customers',
            IdentitySource: ['$request.header.Authorization'],
            JwtConfiguration: { Audience: [{ Ref: 'Client' }], Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: 'Pool' }]] } },
          },
        },
        Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { ApiId: { Ref: 'Api' }, IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] }, PayloadFormatVersion: '2.0' } },
        Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /orders', AuthorizationType: 'JWT', AuthorizerId: { Ref: 'Authorizer' }, AuthorizationScopes: ['orders/read'], Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
        Table: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } } },
        Untimed: { Type: 'AWS::DynamoDB::Table', Properties: { KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] } },
      },
    };
    // Act
    const planned = planStack({ stackName: 'S', template: withAuthorization, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints });
    // Assess
    const [pool] = planned.userPools;
    expect(pool?.id).toMatch(/^us-east-1_[0-9A-Za-z]{9}$/);
    expect(pool).toMatchObject({
      name: 'customers',
      arn: `arn:aws:cognito-idp:us-east-1:000000000000:userpool/${pool?.id}`,
      issuer: `https://cognito-idp.us-east-1.amazonaws.com/${pool?.id}`,
      passwordPolicy: { minimumLength: 12, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: false },
      clients: [{ clientId: expect.stringMatching(/^[0-9a-z]{26}$/), name: 'shop', explicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'], idTokenValiditySeconds: 3_600, accessTokenValiditySeconds: 3_600 }],
    });
    expect(planned.routes[0]?.authorization).toEqual({
      authorizer: { name: 'customers', issuer: pool?.issuer, audience: [pool?.clients[0]?.clientId], identitySource: ['$request.header.Authorization'] },
      scopes: ['orders/read'],
    });
    expect(planned.httpApis).toEqual([
      { apiId: 'api', cors: { AllowOrigins: ['https://shop.example'], AllowMethods: ['GET'], MaxAge: 600 }, throttling: { defaultRoute: { rateLimit: 100, burstLimit: 200 }, routes: { 'GET /orders': { rateLimit: 5, burstLimit: 10 } } } },
    ]);
    expect(planned.timeToLive).toEqual([{ TableName: 'S-Table', AttributeName: 'expiresAt' }]);
    expect(planned.notRun).toEqual([]);
  });

  it('refuses a route whose authorization it cannot enforce, rather than run it open', () => {
    const withIam: CloudFormationTemplate = {
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { S3Key: 'abc123.zip' } } },
        Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: {} },
        Integration: { Type: 'AWS::ApiGatewayV2::Integration', Properties: { IntegrationUri: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
        Route: { Type: 'AWS::ApiGatewayV2::Route', Properties: { ApiId: { Ref: 'Api' }, RouteKey: 'GET /orders', AuthorizationType: 'AWS_IAM', Target: { 'Fn::Join': ['', ['integrations/', { Ref: 'Integration' }]] } } },
      },
    };
    expect(() => planStack({ stackName: 'S', template: withIam, assemblyDirectory: '/out', assetPaths: new Map([['abc123.zip', 'asset.abc123']]), endpoints })).toThrow(/AuthorizationType AWS_IAM is not enforced locally/);
  });
});
