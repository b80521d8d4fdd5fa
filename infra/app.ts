/**
 * The CDK app: the `OrderPipeline` stack checked by cdk-nag (AWS Solutions and Serverless packs).
 * `npm run synth` (and `cdk synth`, through cdk.json) runs this file; the local cloud and the
 * tests call `buildOrderPipeline` in-process instead, so importing this module has no side effect.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { PROJECT_ROOT } from '#infra/function-defaults';
import { ORDER_PIPELINE_STACK_NAME, OrderPipelineStack, type OrderPipelineStackProps } from '#infra/order-pipeline-stack';

/** Options of `buildOrderPipeline`. */
export interface BuildOrderPipelineOptions {
  /**
   * The app to add the stack to. Its context should include `appContext()`, or the template
   * lacks the `aws:asset:path` metadata that maps a function to its bundle.
   * @default - `new App({ outdir, context: appContext() })`
   */
  readonly app?: App;
  /**
   * Where `app.synth()` writes the cloud assembly (only used when `app` is not given).
   * @default - `CDK_OUTDIR` when the CDK CLI runs the app, else a new temporary directory
   */
  readonly outdir?: string;
  /**
   * Stack properties, e.g. `{ tableRemovalPolicy: RemovalPolicy.DESTROY }` for a throwaway run.
   * @default - an environment-agnostic stack whose tables are retained
   */
  readonly stackProps?: OrderPipelineStackProps;
}

/** The app and its one stack, ready for `app.synth()`. */
export interface OrderPipeline {
  readonly app: App;
  readonly stack: OrderPipelineStack;
}

/**
 * The context every synthesis of the pipeline uses, whoever runs it: cdk.json's `context`, plus
 * what the CDK CLI would add: resource metadata `aws:cdk:path` (construct path) and
 * `aws:asset:path` / `aws:asset:property` (which asset directory a function's code comes from).
 */
export function appContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as { context?: Record<string, unknown> };
  return {
    ...cdkJson.context,
    'aws:cdk:enable-path-metadata': true,
    'aws:cdk:enable-asset-metadata': true,
  };
}

/**
 * Builds the app with the `OrderPipeline` stack and the cdk-nag packs. The functions are bundled
 * (local esbuild) into the app's outdir while the stack is constructed. Nothing is synthesized
 * yet: call `app.synth()`, which runs cdk-nag and throws on an unacknowledged error, then read
 * `assembly.getStackByName(stack.stackName)`: `.template`, `.assets`, and `assembly.directory`.
 */
export function buildOrderPipeline(options: BuildOrderPipelineOptions = {}): OrderPipeline {
  const app = options.app ?? new App({ outdir: options.outdir, context: appContext() });
  const stack = new OrderPipelineStack(app, ORDER_PIPELINE_STACK_NAME, options.stackProps);
  // cdk-nag 3 packs are CDK validation plugins that run during app.synth(). Acknowledgements
  // (each with its reason) sit next to the resources they concern.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new ServerlessChecks(app, { verbose: true }));
  return { app, stack };
}

function isEntrypoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntrypoint()) {
  // Run by the CDK CLI, write where it says; run directly (`npm run synth`), write ./cdk.out.
  buildOrderPipeline({ outdir: process.env.CDK_OUTDIR ?? path.join(PROJECT_ROOT, 'cdk.out') }).app.synth();
}
