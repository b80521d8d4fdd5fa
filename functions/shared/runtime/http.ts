/** Helpers for HTTP API (payload format 2.0) handlers: JSON answers, problem bodies, the authenticated caller. */
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import type { FieldIssue } from '#shared/errors';

/** A JSON response. */
export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

/** An error response: a reason for people and, for invalid input, every problem by field. */
export function problem(statusCode: number, message: string, issues?: readonly FieldIssue[], headers: Record<string, string> = {}): APIGatewayProxyResultV2 {
  return json(statusCode, issues ? { message, issues } : { message }, headers);
}

/** Reads a header whatever its case (HTTP API lower-cases them, other callers may not). */
export function header(headers: Record<string, string | undefined> | undefined, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The customer a request is from, as the API's JWT authorizer verified the token. */
export interface Caller {
  /** The token's subject (`sub`): the customer's id, whose orders these are. */
  readonly customerId: string;
  /** The token's `email` claim (an ID token has it, an access token does not). */
  readonly email: string | undefined;
}

/**
 * The caller of a request that went through the JWT authorizer, from the claims API Gateway
 * passes in `requestContext.authorizer.jwt.claims`; `undefined` when there are none (a route
 * without the authorizer: the handler must refuse it, never fall back to what the body says).
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 */
export function callerOf(event: APIGatewayProxyEventV2): Caller | undefined {
  const { authorizer } = event.requestContext as { authorizer?: { jwt?: { claims?: Record<string, unknown> } } };
  const claims = authorizer?.jwt?.claims;
  const sub = claims?.sub;
  if (typeof sub !== 'string' || sub === '') return undefined;
  return { customerId: sub, email: typeof claims?.email === 'string' ? claims.email : undefined };
}

/** The answer to a request without a verified caller; API Gateway's own 401 body. */
export function unauthorized(): APIGatewayProxyResultV2 {
  return json(401, { message: 'Unauthorized' });
}
