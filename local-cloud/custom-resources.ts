/**
 * Making an AwsCustomResource's SDK call against the local cloud, once, as CloudFormation's
 * create would (the stack seeds its demo catalogue this way).
 */
import type { CustomResourceCallPlan } from '#cloud/template/stack-plan';

/** A service that takes an operation name and the AWS JSON input. */
export type LocalServiceCall = (operation: string, input: Record<string, unknown>) => Promise<unknown>;

/**
 * Authorizes a call with the role of the function that makes it on AWS (the custom resource's
 * provider); throws, as the provider's SDK call would fail, when the role may not.
 */
export type CustomResourceAuthorizer = (call: CustomResourceCallPlan, operation: string) => void;

/** Runs each call on the service it names; a service the local cloud lacks is an error naming it. */
export async function runCustomResourceCalls(calls: readonly CustomResourceCallPlan[], services: Readonly<Record<string, LocalServiceCall>>, authorize?: CustomResourceAuthorizer): Promise<void> {
  for (const call of calls) {
    const service = services[call.service.toLowerCase()];
    if (!service) {
      throw new Error(`custom resource ${call.logicalId} calls ${call.service}.${call.action}, a service the local cloud does not run (it runs ${Object.keys(services).join(', ')})`);
    }
    // AwsCustomResource names actions in SDK style (batchWriteItem); the APIs name them BatchWriteItem.
    const operation = call.action.charAt(0).toUpperCase() + call.action.slice(1);
    authorize?.(call, operation);
    await service(operation, call.parameters);
  }
}
