/**
 * Synthesizing the order pipeline in-process for the local cloud: the same app `cdk deploy`
 * deploys, so a local run executes exactly what ships.
 */
import { App } from 'aws-cdk-lib';
import { readSynthesizedStack, type SynthesizedStack } from '#cloud/template/cloud-assembly';
import { appContext, buildOrderPipeline } from '#infra/app';

/**
 * Synthesizes the order pipeline into `outdir`, with `context` over the app's own context as
 * `cdk synth -c key=value` would put it, e.g. `{ logLevel: 'INFO' }`.
 */
export function synthesizeOrderPipeline(outdir: string, context: Readonly<Record<string, unknown>> = {}): SynthesizedStack {
  const { app, stack } = buildOrderPipeline({ app: new App({ outdir, context: { ...appContext(), ...context } }) });
  const assembly = app.synth();
  return readSynthesizedStack(assembly.directory, stack.stackName);
}
