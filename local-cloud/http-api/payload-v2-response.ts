/**
 * Turns a function's result into the HTTP response, as an HTTP API does for payload format
 * 2.0: an object with `statusCode` is a structured response (headers, `cookies` as
 * `set-cookie` headers, a body that may be base64); any other valid JSON becomes a 200
 * `application/json` response whose body is the result (a string as is, anything else as
 * JSON). A failed invocation or a malformed structured response is a 500.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
 */
import type { FunctionError, InvocationResult } from '#cloud/lambda/invocation-result';

/** An HTTP response ready to write. */
export interface HttpApiResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Each becomes its own `set-cookie` header. */
  readonly cookies: readonly string[];
  readonly body: Buffer;
}

/** A JSON `{ message }` response, the shape of API Gateway's own errors (404, 500). */
export function gatewayError(statusCode: number, message: string): HttpApiResponse {
  return { statusCode, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(JSON.stringify({ message })) };
}

/** The response for an invocation's outcome, and the error behind it when it is a 500. */
export function toHttpApiResponse(invocation: InvocationResult): { response: HttpApiResponse; error?: FunctionError } {
  if (!invocation.ok) return { response: gatewayError(500, 'Internal Server Error'), error: invocation.error };
  const { result } = invocation;
  if (typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result) {
    const structured = toStructuredResponse(result);
    if (typeof structured === 'string') {
      return { response: gatewayError(500, 'Internal Server Error'), error: { errorType: 'MalformedLambdaProxyResponse', errorMessage: structured } };
    }
    return { response: structured };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result);
  return { response: { statusCode: 200, headers: { 'content-type': 'application/json' }, cookies: [], body: Buffer.from(body) } };
}

/** The structured response, or what is wrong with it. */
function toStructuredResponse(result: { statusCode?: unknown; headers?: unknown; cookies?: unknown; body?: unknown; isBase64Encoded?: unknown }): HttpApiResponse | string {
  const { statusCode, headers = {}, cookies = [], body = '', isBase64Encoded = false } = result;
  if (typeof statusCode !== 'number' || !Number.isInteger(statusCode) || statusCode < 100 || statusCode > 599) {
    return `statusCode must be an integer from 100 to 599, got ${JSON.stringify(statusCode)}`;
  }
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return 'headers must be an object';
  if (!Array.isArray(cookies) || !cookies.every((cookie) => typeof cookie === 'string')) return 'cookies must be an array of strings';
  if (typeof body !== 'string') return 'body must be a string';
  if (typeof isBase64Encoded !== 'boolean') return 'isBase64Encoded must be a boolean';
  const headerValues: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) return `header ${name} must be a string, number or boolean`;
    headerValues[name.toLowerCase()] = String(value);
  }
  return { statusCode, headers: headerValues, cookies, body: Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8') };
}
