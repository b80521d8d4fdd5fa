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
});
