/** Helpers for HTTP API (payload format 2.0) handlers: JSON answers and problem bodies. */
import type { APIGatewayProxyResultV2 } from 'aws-lambda';
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
