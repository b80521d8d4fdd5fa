/**
 * Builds the event an HTTP API sends a Lambda integration with payload format version 2.0:
 * lower-case headers with duplicates joined by commas, cookies in their own array, query
 * parameters decoded and joined by commas, and a base64 body for anything that isn't text.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.proxy-format
 */
import { randomBytes } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { JwtAuthorizerContext } from './jwt-authorizer.ts';

/** The parts of an HTTP request the event is made of. */
export interface HttpApiRequest {
  readonly method: string;
  /** Path as sent, without the query string. */
  readonly rawPath: string;
  /** Query string as sent, without `?`. */
  readonly rawQueryString: string;
  /** Header names and values, alternating, as received (node's `req.rawHeaders`). */
  readonly rawHeaders: readonly string[];
  readonly body: Buffer;
  readonly sourceIp: string;
  /** Local port the request came in on, for `x-forwarded-port`. */
  readonly port: number;
  /** e.g. `HTTP/1.1`. */
  readonly protocol: string;
}

/** What API Gateway adds: which route matched, and the request's identity. */
export interface HttpApiRequestContext {
  readonly routeKey: string;
  readonly pathParameters: Readonly<Record<string, string>>;
  readonly requestId: string;
  readonly accountId: string;
  readonly apiId: string;
  /** When the request arrived. */
  readonly time: Date;
  /** What the route's authorizer found: `requestContext.authorizer`. @default - none (a route without authorization) */
  readonly authorizer?: { readonly jwt: JwtAuthorizerContext };
}

/**
 * Content types whose bodies reach the function as text; API Gateway base64-encodes every
 * other body (forms and binary uploads included) and sets `isBase64Encoded`.
 */
const TEXT_CONTENT_TYPE = /^(text\/[^;]+|application\/(json|xml|javascript|[^;]*\+(json|xml)))\s*(;|$)/i;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The payload format 2.0 event for `request` routed as `context` says. */
export function buildPayloadV2Event(request: HttpApiRequest, context: HttpApiRequestContext): APIGatewayProxyEventV2 {
  const { headers, cookies } = readHeaders(request);
  const domainName = (headers.host ?? '').replace(/:\d+$/, '');
  const queryStringParameters = queryStringParametersOf(request.rawQueryString);
  const contentType = headers['content-type'];
  const isText = contentType === undefined || TEXT_CONTENT_TYPE.test(contentType);
  return {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath: request.rawPath,
    rawQueryString: request.rawQueryString,
    ...(cookies.length === 0 ? {} : { cookies }),
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      accountId: context.accountId,
      ...(context.authorizer === undefined ? {} : { authorizer: { jwt: { claims: { ...context.authorizer.jwt.claims }, scopes: context.authorizer.jwt.scopes === null ? null : [...context.authorizer.jwt.scopes] } } }),
      apiId: context.apiId,
      domainName,
      domainPrefix: domainName.split('.')[0] ?? '',
      http: {
        method: request.method,
        path: request.rawPath,
        protocol: request.protocol,
        sourceIp: request.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: '$default',
      time: formatRequestTime(context.time),
      timeEpoch: context.time.getTime(),
    },
    ...(Object.keys(context.pathParameters).length === 0 ? {} : { pathParameters: { ...context.pathParameters } }),
    ...(request.body.length === 0 ? {} : { body: request.body.toString(isText ? 'utf8' : 'base64') }),
    isBase64Encoded: request.body.length > 0 && !isText,
  };
}

/** The request's headers as format 2.0 gives them: lower-case names, repeated ones joined by commas (cookies included). */
export function headersOf(rawHeaders: readonly string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let index = 0; index + 1 < rawHeaders.length; index += 2) {
    const name = (rawHeaders[index] ?? '').toLowerCase();
    const value = rawHeaders[index + 1] ?? '';
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return headers;
}

function readHeaders(request: HttpApiRequest): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = (request.rawHeaders[index] ?? '').toLowerCase();
    const value = request.rawHeaders[index + 1] ?? '';
    // Format 2.0 moves every Cookie header into `cookies`, one entry per cookie.
    if (name === 'cookie') cookies.push(...value.split(';').map((cookie) => cookie.trim()).filter((cookie) => cookie !== ''));
    else headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  // What API Gateway's front end adds before the integration sees the request.
  headers['x-forwarded-for'] = headers['x-forwarded-for'] === undefined ? request.sourceIp : `${headers['x-forwarded-for']}, ${request.sourceIp}`;
  headers['x-forwarded-port'] ??= String(request.port);
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-amzn-trace-id'] ??= `Root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  return { headers, cookies };
}

/** The query string's parameters as format 2.0 gives them: decoded, repeated ones joined by commas; `undefined` when there are none. */
export function queryStringParametersOf(rawQueryString: string): Record<string, string> | undefined {
  if (rawQueryString === '') return undefined;
  const parameters: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    parameters[name] = parameters[name] === undefined ? value : `${parameters[name]},${value}`;
  }
  return parameters;
}

/** API Gateway's `requestContext.time`, e.g. `12/Mar/2020:19:03:58 +0000`. */
function formatRequestTime(time: Date): string {
  const pad = (value: number): string => String(value).padStart(2, '0');
  return `${pad(time.getUTCDate())}/${MONTHS[time.getUTCMonth()]}/${time.getUTCFullYear()}:${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} +0000`;
}
