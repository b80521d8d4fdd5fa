/**
 * What the cost model needs from the synthesized template: each pipeline function's memory,
 * architecture and logging configuration, the batch size and window of the SQS event source
 * mapping that feeds it, and how many alarms and KMS keys cost by the month.
 * Read from the template itself (not from the CDK constructs), so it is what would be deployed.
 */
import { EnvName } from '#shared/config';
import { loggingConfigFromTemplate } from '#cloud/lambda/logging-config';
import type { Architecture, FunctionDesign, PipelineDesign } from './cost-model.ts';

/** The parts of a CloudFormation template read here. */
export interface TemplateResources {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Readonly<Record<string, unknown>> }>>;
}

/** Lambda's defaults when the template leaves a property out. */
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_ARCHITECTURE: Architecture = 'x86_64';
/** An SQS event source mapping's default `BatchSize`. */
const DEFAULT_SQS_BATCH_SIZE = 10;

/**
 * The pipeline's functions (those with a service name: CDK's own custom-resource providers run
 * only at deployment and are left out), the queues their mappings poll, the alarms and the KMS
 * keys.
 * @throws Error when a mapping names a function by anything but a `Ref`.
 * @throws InvalidLoggingConfigError when a function's `LoggingConfig` is one Lambda would reject.
 */
export function designFromTemplate(template: TemplateResources): PipelineDesign {
  const resources = Object.entries(template.Resources);
  const mappings = new Map<string, { batchSize: number; batchingWindowSeconds: number }>();
  let polledQueues = 0;
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const properties = resource.Properties ?? {};
    const functionRef = (properties.FunctionName as { Ref?: string } | undefined)?.Ref;
    if (functionRef === undefined) throw new Error(`event source mapping ${logicalId}: FunctionName is not a Ref to a function of the template`);
    mappings.set(functionRef, {
      batchSize: Number(properties.BatchSize ?? DEFAULT_SQS_BATCH_SIZE),
      batchingWindowSeconds: Number(properties.MaximumBatchingWindowInSeconds ?? 0),
    });
    polledQueues += 1;
  }
  const functions = resources.flatMap(([logicalId, resource]): FunctionDesign[] => {
    if (resource.Type !== 'AWS::Lambda::Function') return [];
    const properties = resource.Properties ?? {};
    const variables = (properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {};
    const name = variables[EnvName.serviceName];
    if (typeof name !== 'string') return [];
    const mapping = mappings.get(logicalId);
    return [
      {
        name,
        memoryMb: Number(properties.MemorySize ?? DEFAULT_MEMORY_MB),
        architecture: ((properties.Architectures as string[] | undefined)?.[0] ?? DEFAULT_ARCHITECTURE) as Architecture,
        logging: loggingConfigFromTemplate(properties.LoggingConfig),
        ...(mapping === undefined ? {} : mapping),
      },
    ];
  });
  const count = (type: string) => resources.filter(([, resource]) => resource.Type === type).length;
  return { functions, polledQueues, alarms: count('AWS::CloudWatch::Alarm'), kmsKeys: count('AWS::KMS::Key') };
}
