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
      functions: [
        { name: 'reserve-inventory', memoryMb: 256, architecture: 'arm64', batchSize: 10, batchingWindowSeconds: 2 },
        { name: 'place-order', memoryMb: 512, architecture: 'x86_64' },
      ],
    });
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
    expect(design.functions).toEqual([{ name: 'notify-customer', memoryMb: 128, architecture: 'x86_64', batchSize: 10, batchingWindowSeconds: 0 }]);
  });

  it('refuses a mapping that names its function by anything but a Ref', () => {
    const template = { Resources: { StepMapping: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { FunctionName: 'arn:aws:lambda:…' } } } };
    expect(() => designFromTemplate(template)).toThrow(/FunctionName is not a Ref/);
  });
});
