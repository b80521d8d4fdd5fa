import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsServiceError } from '#cloud/aws-error';
import { encodeQueryError, type QueryParameters } from '#cloud/gateway-query-codec';
import { accessKeyIdOf } from '#cloud/iam/request-credentials';
import type {
  AwsRequestContext,
  AwsServiceRegistration,
  JsonProtocolBinding,
  PassthroughBinding,
  QueryProtocolBinding,
} from '#cloud/gateway-registration';

export type * from '#cloud/gateway-registration';

/** Options of {@link startAwsGateway}. */
export interface AwsGatewayOptions {
  /** TCP port; 0 picks a free one (tests). LocalStack's is 4566. */
  readonly port: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** Services served from the start; more can be added with {@link AwsGateway.register}. @default [] */
  readonly services?: readonly AwsServiceRegistration[];
  /** Where internal failures are logged, one JSON line each. @default console */
  readonly logger?: Pick<Console, 'error'>;
}

/** A running gateway. */
export interface AwsGateway {
  /** Base URL clients use as their endpoint, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  /**
   * Adds a service. Throws when another service already claims the same target prefix,
   * because requests would silently go to whichever was registered first.
   */
  register(service: AwsServiceRegistration): void;
  /** Stops listening and drops open (keep-alive, long-poll) connections. */
  close(): Promise<void>;
}

/** Namespace of errors for query requests no registered service claims. */
const GENERIC_FAULT_NAMESPACE = 'http://webservices.amazon.com/AWSFault/2005-15-09';

/**
 * Starts the HTTP gateway of the local cloud: one port that speaks the AWS JSON and query
 * protocols and dispatches each request by operation name to the registered services.
 *
 * @example
 * const gateway = await startAwsGateway({ port: 4566 });
 * const sqs = new SqsService({ endpoint: gateway.endpoint });
 * gateway.register(sqsRegistration(sqs));
 */
export async function startAwsGateway(options: AwsGatewayOptions): Promise<AwsGateway> {
  const router = new AwsRequestRouter(options.logger ?? console);
  for (const service of options.services ?? []) router.register(service);

  const server = createServer((request, response) => {
    router.route(request, response).catch((error: unknown) => router.fail(response, error, 'gateway'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;

  return {
    endpoint: `http://${host}:${port}`,
    port,
    register: (service) => router.register(service),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** Dispatch tables and the protocol handling; one per gateway. */
class AwsRequestRouter {
  private readonly jsonServices = new Map<string, JsonProtocolBinding>();
  private readonly passthroughByPrefix = new Map<string, PassthroughBinding>();
  private readonly passthroughMatchers: PassthroughBinding[] = [];
  private readonly queryServices: QueryProtocolBinding[] = [];

  constructor(private readonly logger: Pick<Console, 'error'>) {}

  register(service: AwsServiceRegistration): void {
    const { json, query, passthrough } = service;
    for (const prefix of [json?.targetPrefix, passthrough?.targetPrefix]) {
      if (prefix !== undefined && (this.jsonServices.has(prefix) || this.passthroughByPrefix.has(prefix))) {
        throw new Error(`Service ${service.name}: target prefix ${prefix} is already registered`);
      }
    }
    if (passthrough && passthrough.targetPrefix === undefined && passthrough.matches === undefined) {
      throw new Error(`Service ${service.name}: a passthrough needs a targetPrefix or a matches predicate`);
    }
    if (json) this.jsonServices.set(json.targetPrefix, json);
    if (query) this.queryServices.push(query);
    if (passthrough?.targetPrefix !== undefined) this.passthroughByPrefix.set(passthrough.targetPrefix, passthrough);
    if (passthrough?.matches !== undefined) this.passthroughMatchers.push(passthrough);
  }

  async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const accessKeyId = accessKeyIdOf(headerValue(request, 'authorization'), request.url);
    const context: AwsRequestContext = { requestId: randomUUID(), path: url.pathname, ...(accessKeyId !== undefined ? { accessKeyId } : {}) };
    const target = headerValue(request, 'x-amz-target');

    if (target !== undefined) {
      const separator = target.lastIndexOf('.');
      const prefix = separator < 0 ? target : target.slice(0, separator);
      const operation = separator < 0 ? '' : target.slice(separator + 1);
      const passthrough = this.passthroughByPrefix.get(prefix);
      if (passthrough) return this.passThrough(passthrough, request, response);
      const service = this.jsonServices.get(prefix);
      const body = await readBody(request);
      if (!service) {
        return sendJsonError(response, context, undefined, unknownOperation(target));
      }
      return this.serveJson(service, operation, body, request, response, context);
    }

    const passthrough = this.passthroughMatchers.find((candidate) => candidate.matches?.(request));
    if (passthrough) return this.passThrough(passthrough, request, response);

    const body = await readBody(request);
    const params = queryParameters(url, request, body);
    if (!params.has('Action')) {
      return sendJsonError(
        response,
        context,
        undefined,
        new AwsServiceError(
          'UnknownOperationException',
          'The request names no operation: it has neither an X-Amz-Target header nor an Action parameter.',
        ),
      );
    }
    return this.serveQuery(params, response, context);
  }

  /** Answers an unexpected failure (a bug, not an AWS error) with a JSON 500 and logs it. */
  fail(response: ServerResponse, error: unknown, operation: string, requestId: string = randomUUID()): void {
    const failure = this.internalFailure(error, operation, requestId);
    if (response.headersSent) {
      response.destroy();
      return;
    }
    sendJsonError(response, { requestId, path: '' }, undefined, failure);
  }

  /** Logs an unexpected failure and turns it into the AWS `InternalFailure` error. */
  private internalFailure(error: unknown, operation: string, requestId: string): AwsServiceError {
    this.logger.error(
      JSON.stringify({
        level: 'ERROR',
        message: 'Local AWS gateway: unexpected failure',
        operation,
        requestId,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      }),
    );
    const message = error instanceof Error ? error.message : String(error);
    return new AwsServiceError('InternalFailure', message, { statusCode: 500, cause: error });
  }

  private async serveJson(
    service: JsonProtocolBinding,
    operation: string,
    body: string,
    request: IncomingMessage,
    response: ServerResponse,
    context: AwsRequestContext,
  ): Promise<void> {
    const handler = Object.hasOwn(service.operations, operation) ? service.operations[operation] : undefined;
    if (!handler) {
      const error = service.unsupportedOperation?.(operation) ?? unknownOperation(`${service.targetPrefix}.${operation}`);
      return sendJsonError(response, context, service, error);
    }
    let input: unknown;
    try {
      input = body.trim() === '' ? {} : JSON.parse(body);
    } catch (error) {
      return sendJsonError(response, context, service, serializationError(`${(error as Error).message}`));
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return sendJsonError(response, context, service, serializationError('The request body must be a JSON object.'));
    }
    try {
      const output = await handler(input as Record<string, unknown>, context);
      const contentType = headerValue(request, 'content-type') ?? '';
      const responseType = contentType.startsWith('application/x-amz-json-')
        ? contentType
        : `application/x-amz-json-${service.jsonVersion}`;
      sendResponse(response, 200, context.requestId, responseType, JSON.stringify(output ?? {}));
    } catch (error) {
      if (error instanceof AwsServiceError) return sendJsonError(response, context, service, error);
      this.fail(response, error, `${service.targetPrefix}.${operation}`, context.requestId);
    }
  }

  private async serveQuery(params: QueryParameters, response: ServerResponse, context: AwsRequestContext): Promise<void> {
    const action = params.get('Action') ?? '';
    const service = this.queryServices.find((candidate) => candidate.matches(params, context));
    const namespace = service?.xmlNamespace ?? GENERIC_FAULT_NAMESPACE;
    const handler = service && Object.hasOwn(service.actions, action) ? service.actions[action] : undefined;
    if (!handler) {
      const error = new AwsServiceError('InvalidAction', `The action ${action} is not valid for this web service.`);
      return sendXml(response, error.statusCode, context.requestId, encodeQueryError(error, namespace, context.requestId));
    }
    try {
      sendXml(response, 200, context.requestId, await handler(params, context));
    } catch (error) {
      const failure = error instanceof AwsServiceError ? error : this.internalFailure(error, action, context.requestId);
      sendXml(response, failure.statusCode, context.requestId, encodeQueryError(failure, namespace, context.requestId));
    }
  }

  private async passThrough(binding: PassthroughBinding, request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      await binding.handle(request, response);
    } catch (error) {
      this.fail(response, error, `passthrough ${binding.targetPrefix ?? request.url ?? ''}`);
    }
  }
}

function unknownOperation(target: string): AwsServiceError {
  return new AwsServiceError('UnknownOperationException', `Operation ${target} is not supported by the local cloud.`);
}

function serializationError(detail: string): AwsServiceError {
  return new AwsServiceError('SerializationException', `The request body is not valid JSON: ${detail}`);
}

/**
 * The AWS JSON error shape. For awsQueryCompatible services the query code goes in
 * `x-amzn-query-error`, which SDK v3 prefers over `__type` to pick the exception class
 * (e.g. `AWS.SimpleQueueService.NonExistentQueue` -> `QueueDoesNotExist`).
 */
function sendJsonError(
  response: ServerResponse,
  context: AwsRequestContext,
  service: JsonProtocolBinding | undefined,
  error: AwsServiceError,
): void {
  const headers: Record<string, string> = {};
  if (service?.queryCompatible) {
    headers['x-amzn-query-error'] = `${error.queryCode};${error.senderFault ? 'Sender' : 'Receiver'}`;
  }
  const body = JSON.stringify({ __type: error.code, message: error.message });
  sendResponse(response, error.statusCode, context.requestId, `application/x-amz-json-${service?.jsonVersion ?? '1.1'}`, body, headers);
}

function sendXml(response: ServerResponse, statusCode: number, requestId: string, xml: string): void {
  sendResponse(response, statusCode, requestId, 'text/xml', xml);
}

function sendResponse(
  response: ServerResponse,
  statusCode: number,
  requestId: string,
  contentType: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(statusCode, {
    ...headers,
    'content-type': contentType,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': requestId,
  });
  response.end(body);
}

function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** URL query string and, for form-encoded bodies, the body: how the query protocol sends parameters. */
function queryParameters(url: URL, request: IncomingMessage, body: string): QueryParameters {
  const params = new Map(url.searchParams);
  const contentType = headerValue(request, 'content-type') ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded') || (contentType === '' && body !== '')) {
    for (const [key, value] of new URLSearchParams(body)) params.set(key, value);
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
