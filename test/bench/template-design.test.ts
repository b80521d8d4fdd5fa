import { describe, expect, it } from 'vitest';
import { designFromTemplate } from '../../bench/template-design.ts';

function aFunction(serviceName: string | undefined, properties: Record<string, unknown> = {}) {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: { ...(serviceName === undefined ? {} : { Environment: { Variables: { POWERTOOLS_SERVICE_NAME: serviceName } } }), ...properties },
  };
}

describe('designFromTemplate', () => {
  it('reads memory, architecture and the mapping of each pipeline function', () => {
    // Prepare
    const template = {
      Resources: {
        StepFunction: aFunction('reserve-inventory', { MemorySize: 256, Architectures: ['arm64'] }),
        StepMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'StepFunction' }, BatchSize: 10, MaximumBatchingWindowInSeconds: 2 } },
        HttpFunction: aFunction('place-order', { MemorySize: 512, Architectures: ['x86_64'] }),
        Provider: aFunction(undefined, { MemorySize: 256 }),
      },
    };

    // Act
    const design = designFromTemplate(template);

    // Assess
    expect(design).toEqual({
      polledQueues: 1,
      alarms: 0,
      kmsKeys: 0,
      functions: [
        { name: 'reserve-inventory', memoryMb: 256, architecture: 'arm64', logging: { logFormat: 'Text' }, batchSize: 10, batchingWindowSeconds: 2 },
        { name: 'place-order', memoryMb: 512, architecture: 'x86_64', logging: { logFormat: 'Text' } },
      ],
    });
  });

  it('counts the alarms and the KMS keys, which cost by the month', () => {
    // Prepare
    const template = {
      Resources: {
        DeadLetterQueueAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 60 } },
        AgeAlarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 60 } },
        AlarmTopicKey: { Type: 'AWS::KMS::Key' },
        AlarmTopic: { Type: 'AWS::SNS::Topic' },
      },
    };

    // Act
    const design = designFromTemplate(template);

    // Assess
    expect({ alarms: design.alarms, kmsKeys: design.kmsKeys }).toEqual({ alarms: 2, kmsKeys: 1 });
  });

  it("takes Lambda's defaults for what the template leaves out", () => {
    // Prepare
    const template = {
      Resources: {
        StepFunction: aFunction('notify-customer'),
        StepMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: { Ref: 'StepFunction' } } },
      },
    };

    // Act
    const design = designFromTemplate(template);

    // Assess
    expect(design.functions).toEqual([{ name: 'notify-customer', memoryMb: 128, architecture: 'x86_64', logging: { logFormat: 'Text' }, batchSize: 10, batchingWindowSeconds: 0 }]);
  });

  it("reads each function's logging configuration, with Lambda's INFO for a level JSON leaves out", () => {
    // Prepare
    const template = {
      Resources: {
        AtWarn: aFunction('ship-order', { LoggingConfig: { LogGroup: { Ref: 'Logs' }, LogFormat: 'JSON', ApplicationLogLevel: 'WARN', SystemLogLevel: 'WARN' } }),
        JsonOnly: aFunction('place-order', { LoggingConfig: { LogFormat: 'JSON' } }),
      },
    };

    // Act
    const design = designFromTemplate(template);

    // Assess
    expect(design.functions.map((fn) => [fn.name, fn.logging])).toEqual([
      ['ship-order', { logFormat: 'JSON', applicationLogLevel: 'WARN', systemLogLevel: 'WARN' }],
      ['place-order', { logFormat: 'JSON', applicationLogLevel: 'INFO', systemLogLevel: 'INFO' }],
    ]);
  });

  it('refuses a mapping that names its function by anything but a Ref', () => {
    const template = { Resources: { StepMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: 'arn:aws:lambda:…' } } } };
    expect(() => designFromTemplate(template)).toThrow(/FunctionName is not a Ref/);
  });
});
