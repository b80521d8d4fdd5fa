/**
 * The order pipeline on the local cloud: synthesizes the app (unless given an assembly
 * synthesized earlier) and runs its stack. `npm start`, the demo and the soak start it this way.
 */
import { resolve as resolvePath } from 'node:path';
import { startLocalCloud, type LocalCloud, type LocalCloudOptions } from '#cloud/local-cloud';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { synthesizeOrderPipeline } from '#local/synthesize';

/** Options of {@link startOrderPipelineCloud}: the local cloud's, with the synthesis's. */
export interface OrderPipelineCloudOptions extends Omit<LocalCloudOptions, 'assemblyDirectory' | 'stackName'> {
  /**
   * Run an assembly synthesized earlier instead of synthesizing (tests synthesize once).
   * @default synthesize into `outdir`
   */
  readonly assemblyDirectory?: string;
  /** Where the CDK app is synthesized. @default 'cdk.out' in the working directory */
  readonly outdir?: string;
  /**
   * CDK context values for the synthesis, as `cdk deploy -c key=value` passes them, e.g.
   * `{ logLevel: 'INFO' }` to run every function at INFO. Not used with `assemblyDirectory`.
   * @default the app's own context (cdk.json)
   */
  readonly context?: Readonly<Record<string, unknown>>;
}

/** Runs the OrderPipeline stack on the local cloud. */
export function startOrderPipelineCloud(options: OrderPipelineCloudOptions = {}): Promise<LocalCloud> {
  const { outdir, context, assemblyDirectory, ...cloudOptions } = options;
  const assembly = assemblyDirectory ?? synthesizeOrderPipeline(resolvePath(outdir ?? 'cdk.out'), context).assemblyDirectory;
  return startLocalCloud({ ...cloudOptions, assemblyDirectory: assembly, stackName: ORDER_PIPELINE_STACK_NAME });
}
