import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { handlerFunction, LOG_LEVEL_CONTEXT_KEY } from '#infra/function-defaults';
import { InvalidPropError } from '#infra/validation';
import { FunctionAccess } from '#shared/pipeline-access';
import { testGrantTargets } from './fixtures/grant-targets.ts';
import { resourcesOfType, type TemplateJson } from './template-queries.ts';

const ENTRY = fileURLToPath(new URL('./fixtures/noop-handler.ts', import.meta.url));

/** The `LoggingConfig` of one function built by `handlerFunction` in an app with `context`; bundling is skipped. */
function loggingConfigWith(context: Record<string, unknown> = {}): Record<string, unknown> {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], ...context } });
  const stack = new Stack(app, 'Test');
  handlerFunction(stack, 'Fn', { entry: ENTRY, description: 'a test function', access: FunctionAccess.of('get-order'), grantTargets: testGrantTargets(stack) });
  const functions = resourcesOfType(Template.fromStack(stack).toJSON() as TemplateJson, 'AWS::Lambda::Function');
  expect(functions).toHaveLength(1);
  return functions[0]![1].Properties?.LoggingConfig as Record<string, unknown>;
}

describe('handlerFunction logging', () => {
  it('logs JSON at INFO, without the platform lines below WARN, into its own log group', () => {
    // Act
    const loggingConfig = loggingConfigWith();

    // Assess
    expect(loggingConfig).toEqual({ LogFormat: 'JSON', ApplicationLogLevel: 'INFO', SystemLogLevel: 'WARN', LogGroup: { Ref: expect.stringMatching(/^FnLogGroup/) } });
  });

  it.each([
    { logLevel: 'info', application: 'INFO', system: 'WARN' },
    { logLevel: 'debug', application: 'DEBUG', system: 'DEBUG' },
    { logLevel: 'TRACE', application: 'TRACE', system: 'DEBUG' },
  ])('takes the level from the logLevel context value $logLevel, with the platform lines at DEBUG and TRACE', ({ logLevel, application, system }) => {
    // Act
    const loggingConfig = loggingConfigWith({ [LOG_LEVEL_CONTEXT_KEY]: logLevel });

    // Assess
    expect(loggingConfig).toMatchObject({ LogFormat: 'JSON', ApplicationLogLevel: application, SystemLogLevel: system });
  });

  it.each(['verbose', '', 3, 'WARN', 'error'])('refuses the logLevel context value %j, naming the levels allowed', (logLevel) => {
    expect(() => loggingConfigWith({ [LOG_LEVEL_CONTEXT_KEY]: logLevel })).toThrow(InvalidPropError);
    expect(() => loggingConfigWith({ [LOG_LEVEL_CONTEXT_KEY]: logLevel })).toThrow(
      `context value logLevel must be one of TRACE, DEBUG, INFO (e.g. cdk deploy -c logLevel=DEBUG; above INFO Lambda would drop the EMF metric lines), got ${JSON.stringify(logLevel)}`,
    );
  });
});

describe('handlerFunction access', () => {
  it("gives the role exactly its log group and the function's declared access, sealed against grants written by hand", () => {
    // Prepare
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'Test');
    const targets = testGrantTargets(stack);
    const fn = handlerFunction(stack, 'Fn', { entry: ENTRY, description: 'a test function', access: FunctionAccess.of('get-order'), grantTargets: targets });

    // Act
    const grantByHand = () => targets.tables.orders.grantWriteData(fn);

    // Assess
    expect(grantByHand).toThrow(/Test\/FnRole: refused a statement allowing .*dynamodb:PutItem.*change the pipeline declaration \(functions\/shared\/pipeline\.ts\)/);
    const statements = resourcesOfType(Template.fromStack(stack).toJSON() as TemplateJson, 'AWS::IAM::Policy').flatMap(([, policy]) => policy.Properties?.PolicyDocument.Statement as { Action: unknown }[]);
    expect(statements.map((statement) => statement.Action)).toEqual([['logs:CreateLogStream', 'logs:PutLogEvents'], 'dynamodb:GetItem']);
  });
});
