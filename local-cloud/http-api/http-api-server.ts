/**
 * The local HTTP API: a node:http server that routes each request as API Gateway HTTP API does,
 * invokes the route's function with a payload format 2.0 event, and writes the function's
 * response. It knows functions only as `invoke` callbacks (pass `fn.invoke.bind(fn)`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FunctionError, InvocationResult } from '#cloud/lambda/invocation-result';
import { buildPayloadV2Event } from './payload-v2-event.ts';
import { gatewayError, toHttpApiResponse, type HttpApiResponse } from './payload-v2-response.ts';
import { RouteTable } from './route-table.ts';

const API_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** One route and the function behind it. */
export interface HttpApiRoute {
  /** e.g. `POST /orders`, `GET /orders/{id}`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  /** Invokes the integration's function with the event. */
  readonly invoke: (event: APIGatewayProxyEventV2) => Promise<InvocationResult>;
}

/** One served request, for logs. */
export interface HttpApiRequestRecord {
  readonly requestId: string;
  readonly method: string;
  readonly rawPath: string;
  /** The matched route key; absent for a 404. */
  readonly routeKey?: string;
  readonly statusCode: number;
  readonly durationMs: number;
  /** Why the response is a 500: the function's error. */
  readonly error?: FunctionError;
}

/** Options of {@link startHttpApi}. */
export interface HttpApiOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** Interface to listen on. @default '127.0.0.1', so nothing outside this machine can reach it */
  readonly host?: string;
  readonly routes: readonly HttpApiRoute[];
  /** Called after each response. */
  readonly onRequest?: (record: HttpApiRequestRecord) => void;
  /** `requestContext.apiId`. @default ten random lower-case characters, like an API id */
  readonly apiId?: string;
  /** `requestContext.accountId`. @default '000000000000' */
  readonly accountId?: string;
}

/** A listening HTTP API. */
export interface RunningHttpApi {
  /** Base URL, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Starts serving `routes`.
 * @throws HttpApiConfigError for a malformed or duplicate route key.
 */
export async function startHttpApi(options: HttpApiOptions): Promise<RunningHttpApi> {
  const table = new RouteTable(options.routes.map((route) => ({ routeKey: route.routeKey, target: route.invoke })));
  const host = options.host ?? '127.0.0.1';
  const apiId = options.apiId ?? Array.from(randomBytes(10), (byte) => API_ID_ALPHABET[byte % API_ID_ALPHABET.length]).join('');
  const accountId = options.accountId ?? '000000000000';
  const server = createServer((request, response) => {
    void serve(request, response).catch((error: unknown) => {
      // Only writing the response can fail here; the connection is beyond saving.
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const time = new Date();
    // API Gateway's request ids look like `JKJaXmPLvHcESHA=`.
    const requestId = randomBytes(11).toString('base64');
    const url = new URL(request.url ?? '/', 'http://localhost');
    const rawPath = url.pathname;
    const rawQueryString = url.search.slice(1);
    const method = request.method ?? 'GET';
    const body = await readBody(request);
    const match = table.select(method, rawPath);
    let outcome: { response: HttpApiResponse; error?: FunctionError };
    if (match === undefined) {
      outcome = { response: gatewayError(404, 'Not Found') };
    } else {
      const event = buildPayloadV2Event(
        {
          method,
          rawPath,
          rawQueryString,
          rawHeaders: request.rawHeaders,
          body,
          sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
          port: (server.address() as AddressInfo).port,
          protocol: `HTTP/${request.httpVersion}`,
        },
        { routeKey: match.routeKey, pathParameters: match.pathParameters, requestId, accountId, apiId, time },
      );
      outcome = toHttpApiResponse(await invokeSafely(match.target, event));
    }
    write(response, outcome.response, requestId);
    options.onRequest?.({
      requestId,
      method,
      rawPath,
      ...(match === undefined ? {} : { routeKey: match.routeKey }),
      statusCode: outcome.response.statusCode,
      durationMs: performance.now() - startedAt,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        // Keep-alive connections would otherwise hold `close` open until they time out.
        server.closeAllConnections();
      }),
  };
}

/** A function host that throws (closed, say) is a failed integration to the client: a 500. */
async function invokeSafely(invoke: HttpApiRoute['invoke'], event: APIGatewayProxyEventV2): Promise<InvocationResult> {
  const startedAt = performance.now();
  try {
    return await invoke(event);
  } catch (error) {
    const { name, message } = error instanceof Error ? error : new Error(String(error));
    return { ok: false, error: { errorType: name, errorMessage: message }, durationMs: performance.now() - startedAt };
  }
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function write(response: ServerResponse, { statusCode, headers, cookies, body }: HttpApiResponse, requestId: string): void {
  response.statusCode = statusCode;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (cookies.length > 0) response.setHeader('set-cookie', [...cookies]);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', body.length);
  response.end(body);
}
