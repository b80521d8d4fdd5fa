/**
 * A local service's operations as a table: operation name -> how its input is read from the
 * JSON the client sent (validated into the operation's typed input) and which service call
 * serves it. The table is a module-level constant, bound to a running service by
 * {@link bindOperations}, so the gateway dispatches by name and every input is checked before
 * the service sees it.
 */
import type { AwsRequestContext, JsonOperationHandler } from '#cloud/gateway-registration';

/** One operation of service `S`, input not yet read. */
export type ServiceOperation<S> = (service: S, input: Readonly<Record<string, unknown>>, context: AwsRequestContext) => unknown;

/** A service's operations by name. */
export type OperationTable<S> = Readonly<Record<string, ServiceOperation<S>>>;

/**
 * An operation: `read` turns the request's JSON into the typed input (throwing the service's
 * AWS error for a member that is missing or of the wrong type), `serve` answers it.
 */
export function operation<S, I, O>(read: (input: Readonly<Record<string, unknown>>) => I, serve: (service: S, input: I, context: AwsRequestContext) => O): ServiceOperation<S> {
  return (service, input, context) => serve(service, read(input), context);
}

/** The table's operations served by `service`, as the gateway takes them. */
export function bindOperations<S>(table: OperationTable<S>, service: S): Readonly<Record<string, JsonOperationHandler>> {
  return Object.fromEntries(Object.entries(table).map(([name, serve]) => [name, (input: Record<string, unknown>, context: AwsRequestContext) => serve(service, input, context)]));
}
