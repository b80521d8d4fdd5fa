/**
 * The local HTTP API: a node:http server that handles each request as API Gateway HTTP API does:
 * the stage's throttling first (429), then CORS preflights (answered by the API itself), the
 * payload limit (413), the route (404), the route's JWT authorizer (401, 403), and only then the
 * route's function, invoked with a payload format 2.0 event; the configured CORS headers go on
 * every response. It knows functions only as `invoke` callbacks (pass `fn.invoke.bind(fn)`).
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api.html
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { FunctionError, InvocationResult } from '#cloud/lambda/invocation-result';
import { CorsPolicy, type CorsConfiguration } from './cors.ts';
import type { JwtAuthorizer } from './jwt-authorizer.ts';
import { buildPayloadV2Event, headersOf, queryStringParametersOf } from './payload-v2-event.ts';
import { gatewayError, toHttpApiResponse, type HttpApiResponse } from './payload-v2-response.ts';
import { RouteTable } from './route-table.ts';
import { StageThrottle, type StageThrottling } from './throttling.ts';

const API_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * An HTTP API's largest request payload: 10 MB, a quota that cannot be raised.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html
 */
export const HTTP_API_MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** One route and the function behind it. */
export interface HttpApiRoute {
  /** e.g. `POST /orders`, `GET /orders/{id}`, `ANY /{proxy+}`, `$default`. */
  readonly routeKey: string;
  /** Invokes the integration's function with the event. */
  readonly invoke: (event: APIGatewayProxyEventV2) => Promise<InvocationResult>;
  /**
   * The route's JWT authorizer (`AuthorizationType: JWT`) and its `AuthorizationScopes`.
   * @default - none: anyone may call the route (`AuthorizationType: NONE`)
   */
  readonly authorization?: { readonly authorizer: JwtAuthorizer; readonly scopes: readonly string[] };
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
  /** Why the route's authorizer refused the request (a 401 or 403). */
  readonly authorizationError?: string;
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
  /** The API's `CorsConfiguration`. @default - none: no preflight is answered, no CORS header added */
  readonly cors?: CorsConfiguration;
  /** The stage's throttling. @default - none */
  readonly throttling?: StageThrottling;
  /** The largest request body, in bytes; a larger one is answered 413. @default {@link HTTP_API_MAX_PAYLOAD_BYTES} */
  readonly maxPayloadBytes?: number;
  /** The clock the throttling reads, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
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
  const table = new RouteTable(options.routes.map((route) => ({ routeKey: route.routeKey, target: route })));
  const cors = options.cors === undefined ? undefined : new CorsPolicy(options.cors);
  const throttle = new StageThrottle(options.throttling ?? {}, options.now);
  const maxPayloadBytes = options.maxPayloadBytes ?? HTTP_API_MAX_PAYLOAD_BYTES;
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
    const headers = headersOf(request.rawHeaders);
    const match = table.select(method, rawPath);
    let outcome: { response: HttpApiResponse; error?: FunctionError; authorizationError?: string };
    const preflight = cors !== undefined && CorsPolicy.isPreflight(method, headers);
    if (!throttle.allows(match?.routeKey)) {
      await drain(request);
      outcome = { response: gatewayError(429, 'Too Many Requests') };
    } else if (cors !== undefined && preflight) {
      await drain(request);
      outcome = { response: { statusCode: 204, headers: cors.preflightHeaders(headers), cookies: [], body: Buffer.alloc(0) } };
    } else {
      const body = await readBody(request, maxPayloadBytes);
      if (body === undefined) {
        outcome = { response: gatewayError(413, 'Request Entity Too Large') };
      } else if (match === undefined) {
        outcome = { response: gatewayError(404, 'Not Found') };
      } else {
        const requestFacts = {
          method,
          rawPath,
          rawQueryString,
          rawHeaders: request.rawHeaders,
          body,
          sourceIp: (request.socket.remoteAddress ?? '').replace(/^::ffff:/, ''),
          port: (server.address() as AddressInfo).port,
          protocol: `HTTP/${request.httpVersion}`,
        };
        const context = { routeKey: match.routeKey, pathParameters: match.pathParameters, requestId, accountId, apiId, time };
        const authorization = match.target.authorization;
        const decision = authorization === undefined ? undefined : await authorization.authorizer.authorize({ headers, queryStringParameters: queryStringParametersOf(rawQueryString) }, authorization.scopes);
        if (decision !== undefined && !decision.allowed) {
          const refusal = gatewayError(decision.statusCode, decision.statusCode === 401 ? 'Unauthorized' : 'Forbidden');
          outcome = { response: { ...refusal, headers: { ...refusal.headers, 'www-authenticate': decision.wwwAuthenticate } }, authorizationError: decision.reason };
        } else {
          const event = buildPayloadV2Event(requestFacts, { ...context, ...(decision?.allowed ? { authorizer: { jwt: decision.context } } : {}) });
          outcome = toHttpApiResponse(await invokeSafely(match.target.invoke, event));
        }
      }
    }
    if (cors !== undefined && !preflight) outcome = { ...outcome, response: { ...outcome.response, headers: cors.applyTo(outcome.response.headers, headers.origin) } };
    write(response, outcome.response, requestId);
    options.onRequest?.({
      requestId,
      method,
      rawPath,
      ...(match === undefined ? {} : { routeKey: match.routeKey }),
      statusCode: outcome.response.statusCode,
      durationMs: performance.now() - startedAt,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
      ...(outcome.authorizationError === undefined ? {} : { authorizationError: outcome.authorizationError }),
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

/** The request's body, or `undefined` when it is larger than `limit` (the rest is read and dropped, so the answer reaches the client). */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) chunks.push(chunk as Buffer);
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

/** Reads a body that will not be used, so the client can read the answer. */
async function drain(request: IncomingMessage): Promise<void> {
  for await (const _chunk of request);
}

function write(response: ServerResponse, { statusCode, headers, cookies, body }: HttpApiResponse, requestId: string): void {
  response.statusCode = statusCode;
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  if (cookies.length > 0) response.setHeader('set-cookie', [...cookies]);
  response.setHeader('apigw-requestid', requestId);
  response.setHeader('content-length', body.length);
  response.end(body);
}
