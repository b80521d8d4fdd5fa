/**
 * An HTTP API's CORS configuration, applied as API Gateway applies it: a preflight request
 * (`OPTIONS` with `Origin` and `Access-Control-Request-Method`) is answered by API Gateway
 * itself, before any route, authorizer or function, even where no `OPTIONS` route exists; every
 * other response to an allowed origin gets the configured CORS headers, and CORS headers the
 * integration returned are dropped.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
 */

/** `AWS::ApiGatewayV2::Api` `CorsConfiguration`. */
export interface CorsConfiguration {
  readonly AllowOrigins?: readonly string[];
  readonly AllowMethods?: readonly string[];
  readonly AllowHeaders?: readonly string[];
  readonly ExposeHeaders?: readonly string[];
  /** Seconds a browser may cache a preflight answer. */
  readonly MaxAge?: number;
  readonly AllowCredentials?: boolean;
}

/** A CORS response header, in the lower case the local HTTP API writes headers in. */
const ACCESS_CONTROL = /^access-control-/;

/** The CORS behaviour of one API. */
export class CorsPolicy {
  readonly #origins: ReadonlySet<string>;
  readonly #methods: ReadonlySet<string>;
  readonly #headers: ReadonlySet<string>;
  readonly #config: CorsConfiguration;

  constructor(config: CorsConfiguration) {
    this.#config = config;
    this.#origins = new Set((config.AllowOrigins ?? []).map((origin) => origin.toLowerCase()));
    this.#methods = new Set((config.AllowMethods ?? []).map((method) => method.toUpperCase()));
    this.#headers = new Set((config.AllowHeaders ?? []).map((header) => header.toLowerCase()));
  }

  /** Whether a request is a CORS preflight: then API Gateway answers it, with {@link preflightHeaders}. */
  static isPreflight(method: string, headers: Readonly<Record<string, string>>): boolean {
    return method === 'OPTIONS' && headers.origin !== undefined && headers['access-control-request-method'] !== undefined;
  }

  /**
   * The headers of the answer to a preflight (a 204): none when the origin, the method or a
   * requested header is not allowed, so the browser refuses the request it wanted to make.
   */
  preflightHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
    const origin = headers.origin ?? '';
    const method = (headers['access-control-request-method'] ?? '').toUpperCase();
    const requested = (headers['access-control-request-headers'] ?? '').split(',').map((header) => header.trim().toLowerCase()).filter((header) => header !== '');
    if (!this.#allowsOrigin(origin)) return {};
    if (!this.#methods.has('*') && !this.#methods.has(method)) return {};
    if (!this.#headers.has('*') && !requested.every((header) => this.#headers.has(header))) return {};
    return {
      ...this.#originHeaders(origin),
      'access-control-allow-methods': this.#methods.has('*') ? method : [...this.#methods].join(','),
      ...(requested.length > 0 ? { 'access-control-allow-headers': this.#headers.has('*') ? requested.join(',') : [...this.#headers].join(',') } : {}),
      ...(this.#config.MaxAge !== undefined ? { 'access-control-max-age': String(this.#config.MaxAge) } : {}),
    };
  }

  /** `headers` of a response to a request from `origin`: the integration's CORS headers replaced by the configured ones. */
  applyTo(headers: Readonly<Record<string, string>>, origin: string | undefined): Record<string, string> {
    const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !ACCESS_CONTROL.test(name)));
    if (origin === undefined || !this.#allowsOrigin(origin)) return kept;
    const exposed = this.#config.ExposeHeaders ?? [];
    return { ...kept, ...this.#originHeaders(origin), ...(exposed.length > 0 ? { 'access-control-expose-headers': exposed.join(',') } : {}) };
  }

  #allowsOrigin(origin: string): boolean {
    return this.#origins.has('*') || this.#origins.has(origin.toLowerCase());
  }

  #originHeaders(origin: string): Record<string, string> {
    return {
      'access-control-allow-origin': this.#origins.has('*') && !this.#config.AllowCredentials ? '*' : origin,
      ...(this.#config.AllowCredentials ? { 'access-control-allow-credentials': 'true' } : {}),
    };
  }
}
