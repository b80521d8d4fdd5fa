import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AwsServiceError } from '#cloud/aws-error';
import type { QueryParameters } from '#cloud/gateway-query-codec';

/** What the gateway knows about the request an operation is serving. */
export interface AwsRequestContext {
  /** The id sent back in `x-amzn-RequestId` / `<RequestId>`. */
  readonly requestId: string;
  /** The request path, e.g. `/000000000000/orders` when a client posts to a queue URL. */
  readonly path: string;
  /** The access key the request was signed with (its SigV4 credential scope), when it has one. */
  readonly accessKeyId?: string;
}

/**
 * Serves one operation of the AWS JSON protocol: takes the parsed JSON body, returns the
 * output object (serialized as the JSON body), throws {@link AwsServiceError} for failures.
 */
export type JsonOperationHandler = (input: Record<string, unknown>, context: AwsRequestContext) => unknown;

/** How a service speaks the AWS JSON protocol (`X-Amz-Target: <targetPrefix>.<Operation>`). */
export interface JsonProtocolBinding {
  /** The part of `X-Amz-Target` before the operation, e.g. `AmazonSQS` or `AWSEvents`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-<version>` of the responses: SQS uses 1.0, EventBridge 1.1. */
  readonly jsonVersion: '1.0' | '1.1';
  /** Operation name -> handler. An operation missing here is answered as unsupported. */
  readonly operations: Readonly<Record<string, JsonOperationHandler>>;
  /**
   * Whether the service is "awsQueryCompatible" (SQS): its errors then also carry
   * `x-amzn-query-error: <queryCode>;Sender|Receiver`, from which SDK v3 picks the exception class.
   * @default false
   */
  readonly queryCompatible?: boolean;
  /**
   * The error for an operation missing from {@link operations}.
   * @default an `UnknownOperationException` naming the operation
   */
  readonly unsupportedOperation?: (operation: string) => AwsServiceError;
}

/** Serves one action of the AWS query protocol and returns the complete XML response document. */
export type QueryActionHandler = (params: QueryParameters, context: AwsRequestContext) => Promise<string>;

/** How a service speaks the AWS query protocol (form-encoded `Action=…&Version=…`, XML responses). */
export interface QueryProtocolBinding {
  /** XML namespace of responses and errors, e.g. `http://queue.amazonaws.com/doc/2012-11-05/`. */
  readonly xmlNamespace: string;
  /** Whether a query request is for this service (typically by its `Version` parameter). */
  matches(params: QueryParameters, context: AwsRequestContext): boolean;
  /** Action name -> handler. An action missing here is answered with `InvalidAction`. */
  readonly actions: Readonly<Record<string, QueryActionHandler>>;
}

/**
 * Hands whole requests to another HTTP handler, body unread, e.g. DynamoDB to an in-process
 * dynalite server: `handle: (req, res) => { dynaliteServer.emit('request', req, res) }`.
 * Give a `targetPrefix`, a `matches` predicate, or both.
 */
export interface PassthroughBinding {
  /** `X-Amz-Target` prefix served by this handler, e.g. `DynamoDB_20120810`. */
  readonly targetPrefix?: string;
  /** Claims requests by other means (path, host…); consulted when no target prefix matched. */
  matches?(request: IncomingMessage): boolean;
  /** Answers the request; a throw or rejection becomes a 500 `InternalFailure` if nothing was sent yet. */
  handle(request: IncomingMessage, response: ServerResponse): void | Promise<void>;
}

/**
 * A local AWS service as the gateway sees it: a name (for logs) and the protocols it speaks.
 * Register it with `startAwsGateway({ services })` or `gateway.register(service)`.
 */
export interface AwsServiceRegistration {
  /** Service name for logs and conflict messages, e.g. `sqs`. */
  readonly name: string;
  /** JSON-protocol operations, if the service speaks it. */
  readonly json?: JsonProtocolBinding;
  /** Query-protocol actions, if the service speaks it. */
  readonly query?: QueryProtocolBinding;
  /** Raw request handler, for services emulated by another HTTP server. */
  readonly passthrough?: PassthroughBinding;
}
