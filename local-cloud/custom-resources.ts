/**
 * Making an AwsCustomResource's SDK call against the local cloud, once, as CloudFormation's
 * create would (the stack seeds its demo catalogue this way).
 */
import type { CustomResourceCallPlan } from '#cloud/template/stack-plan';

/** A service that takes an operation name and the AWS JSON input. */
export type LocalServiceCall = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/** Runs each call on the service it names; a service the local cloud lacks is an error naming it. */
export async function runCustomResourceCalls(calls: readonly CustomResourceCallPlan[], services: Readonly<Record<string, LocalServiceCall>>): Promise<void> {
  for (const call of calls) {
    const service = services[call.service.toLowerCase()];
    if (!service) {
      throw new Error(`custom resource ${call.logicalId} calls ${call.service}.${call.action}, a service the local cloud does not run (it runs ${Object.keys(services).join(', ')})`);
    }
    // AwsCustomResource names actions in SDK style (batchWriteItem); the APIs name them BatchWriteItem.
    await service(call.action.charAt(0).toUpperCase() + call.action.slice(1), call.parameters);
  }
}
