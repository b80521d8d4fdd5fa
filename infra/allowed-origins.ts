/**
 * Which web origins may call the shop's HTTP API from a browser: the `allowedOrigins` context
 * value (`cdk deploy -c allowedOrigins=https://shop.example,https://admin.example`) becomes the
 * API's CORS configuration, which API Gateway applies itself (it answers preflights before any
 * route or authorizer). Without it the API has no CORS configuration, so browsers refuse
 * cross-origin calls: the shop names its storefront's origins rather than trusting every site.
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */
import { Duration } from 'aws-cdk-lib';
import { CorsHttpMethod, type CorsPreflightOptions } from 'aws-cdk-lib/aws-apigatewayv2';
import type { Construct } from 'constructs';
import { InvalidPropError } from '#infra/validation';

/** The CDK context value naming the allowed origins, comma-separated. */
export const ALLOWED_ORIGINS_CONTEXT_KEY = 'allowedOrigins';

/**
 * The request headers a storefront sends (the customer's token, the JSON body's type, the
 * Idempotency-Key of a retry) and the response headers it may read (the new order's location,
 * whether a retry was replayed, when to retry after a 503).
 */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key'] as const;
const EXPOSED_HEADERS = ['location', 'idempotent-replayed', 'retry-after'] as const;

/** How long a browser may reuse a preflight's answer: an hour spares a preflight per call. */
const PREFLIGHT_MAX_AGE = Duration.hours(1);

/**
 * The `allowedOrigins` context value as a list of origins: a comma-separated string (`-c` passes
 * one) or a list; `undefined` when it is not set.
 * @throws InvalidPropError naming the value when an entry is not an origin (`https://host[:port]`, no path).
 */
export function allowedOriginsFromContext(scope: Construct): readonly string[] | undefined {
  const requested: unknown = scope.node.tryGetContext(ALLOWED_ORIGINS_CONTEXT_KEY);
  if (requested === undefined) return undefined;
  const entries = typeof requested === 'string' ? requested.split(',').map((entry) => entry.trim()) : requested;
  if (!Array.isArray(entries) || entries.length === 0 || !entries.every(isOrigin)) {
    throw new InvalidPropError(
      ALLOWED_ORIGINS_CONTEXT_KEY,
      requested,
      `context value ${ALLOWED_ORIGINS_CONTEXT_KEY} must be comma-separated origins such as https://shop.example (scheme, host and port only; e.g. cdk deploy -c ${ALLOWED_ORIGINS_CONTEXT_KEY}=https://a.example,https://b.example), got ${JSON.stringify(requested)}`,
    );
  }
  return entries as string[];
}

/** The CORS configuration letting `origins` call the API's `methods` with the shop's headers. */
export function corsPreflightOf(origins: readonly string[], methods: readonly ('GET' | 'POST')[]): CorsPreflightOptions {
  return {
    allowOrigins: [...origins],
    allowMethods: [...new Set(methods)].map((method) => CorsHttpMethod[method]),
    allowHeaders: [...ALLOWED_HEADERS],
    exposeHeaders: [...EXPOSED_HEADERS],
    maxAge: PREFLIGHT_MAX_AGE,
  };
}

/** An http(s) origin exactly as browsers send it in `Origin`: no path, query, credentials or trailing slash. */
function isOrigin(entry: unknown): boolean {
  if (typeof entry !== 'string') return false;
  try {
    const url = new URL(entry);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === entry;
  } catch {
    return false;
  }
}
