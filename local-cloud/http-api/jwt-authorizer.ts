/**
 * An HTTP API JWT authorizer, as API Gateway documents its evaluation: take the token from the
 * identity source (with or without `Bearer `), check its algorithm (RSA only) and its signature
 * against the issuer's JWKS (`kid`), then `iss`, `aud` (or `client_id` when there is no `aud`),
 * `exp`, `nbf` and `iat`, and, when the route names scopes, that the token's `scope` (or `scp`)
 * holds at least one of them. A failure is a 401 `{"message":"Unauthorized"}` with a
 * `www-authenticate` header saying why; a token that lacks every route scope is a 403.
 * The JOSE work (decoding, RSA signatures, key selection by `kid`, time claims) is jose's.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-troubleshooting-jwt.html
 */
import { createRemoteJWKSet, decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

/** An `AWS::ApiGatewayV2::Authorizer` of type `JWT`. */
export interface JwtAuthorizerConfig {
  /** Its name, for logs. */
  readonly name: string;
  /** `JwtConfiguration.Issuer`: the `iss` a token must carry, whose JWKS signs it. */
  readonly issuer: string;
  /** `JwtConfiguration.Audience`: one of them must be the token's `aud` (or its `client_id` when it has no `aud`). */
  readonly audience: readonly string[];
  /** `IdentitySource`, e.g. `['$request.header.Authorization']`; a header or a query string parameter. */
  readonly identitySource: readonly string[];
}

/** The keys of an issuer, as jose takes them; `undefined` when the issuer's JWKS cannot be had. */
export type IssuerKeys = (issuer: string) => JWTVerifyGetKey | undefined;

/** What the integration receives as `requestContext.authorizer.jwt` (payload format 2.0). */
export interface JwtAuthorizerContext {
  /** The token's claims, every value a string, as API Gateway passes them. */
  readonly claims: Readonly<Record<string, string>>;
  /** The token's scopes when the route names scopes; `null` otherwise, as API Gateway sends it. */
  readonly scopes: readonly string[] | null;
}

/** The authorizer's decision. */
export type JwtAuthorization =
  | { readonly allowed: true; readonly context: JwtAuthorizerContext }
  | { readonly allowed: false; readonly statusCode: 401 | 403; readonly wwwAuthenticate: string; readonly reason: string };

/**
 * The keys of any issuer, as API Gateway finds them: the OpenID discovery document at
 * `<issuer>/.well-known/openid-configuration` names the JWKS (`jwks_uri`), which jose fetches
 * and caches. `local` answers first, for issuers the local cloud stands in for (its user pools).
 */
export function discoveredIssuerKeys(local: IssuerKeys = () => undefined): IssuerKeys {
  const remote = new Map<string, JWTVerifyGetKey>();
  return (issuer) => {
    const own = local(issuer);
    if (own !== undefined) return own;
    let keys = remote.get(issuer);
    if (keys === undefined) {
      const jwks = fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) })
        .then((response) => (response.ok ? (response.json() as Promise<{ jwks_uri?: unknown }>) : Promise.reject(new Error(`HTTP ${response.status}`))))
        .then(({ jwks_uri }) => createRemoteJWKSet(new URL(String(jwks_uri))))
        .catch((cause: unknown) => {
          remote.delete(issuer);
          throw new errors.JWKSInvalid(`the discovery document of ${issuer} could not be read: ${String(cause)}`);
        });
      keys = async (header, token) => (await jwks)(header, token);
      remote.set(issuer, keys);
    }
    return keys;
  };
}

/** The request parts an identity source can name. */
export interface IdentityCarrier {
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly queryStringParameters?: Readonly<Record<string, string>>;
}

/** API Gateway accepts only RSA signatures from a JWT authorizer's issuer. */
const RSA_ALGORITHMS = ['RS256', 'RS384', 'RS512'];

/**
 * Why a token was refused, in the words of the `www-authenticate` header's `error_description`.
 * API Gateway documents the audience one verbatim; the others follow its form.
 */
const Refusal = {
  malformed: 'the token is malformed',
  algorithm: 'the token has an unsupported signing algorithm',
  signature: 'the token does not have a valid signature',
  issuer: 'the token does not have a valid issuer',
  audience: 'the token does not have a valid audience',
  expired: 'the token has expired',
  notYetValid: 'the token is not valid yet',
  issuedInFuture: 'the token was issued in the future',
  issuerKeys: "the issuer's keys could not be retrieved",
} as const;

/** A JWT authorizer of one API, used by every route that names it. */
export class JwtAuthorizer {
  readonly config: JwtAuthorizerConfig;
  readonly #keys: IssuerKeys;
  readonly #now: () => number;

  /**
   * @param config - The authorizer as the template declares it.
   * @param keys - Where the issuer's keys come from.
   * @param now - The clock, in epoch milliseconds. @default Date.now
   */
  constructor(config: JwtAuthorizerConfig, keys: IssuerKeys, now: () => number = Date.now) {
    this.config = config;
    this.#keys = keys;
    this.#now = now;
  }

  /** Decides a request to a route that requires `routeScopes` (none: any valid token). */
  async authorize(request: IdentityCarrier, routeScopes: readonly string[]): Promise<JwtAuthorization> {
    const token = this.#tokenOf(request);
    // No identity: RFC 6750's bare challenge, no error code.
    if (token === undefined) return { allowed: false, statusCode: 401, wwwAuthenticate: 'Bearer', reason: 'no token in the identity source' };
    let payload: JWTPayload;
    try {
      const { alg } = decodeProtectedHeader(token);
      if (alg === undefined || !RSA_ALGORITHMS.includes(alg)) return invalidToken(Refusal.algorithm);
      const keys = this.#keys(this.config.issuer);
      if (keys === undefined) return invalidToken(Refusal.issuerKeys);
      ({ payload } = await jwtVerify(token, keys, { algorithms: RSA_ALGORITHMS, issuer: this.config.issuer, currentDate: new Date(this.#now()), requiredClaims: ['exp'] }));
    } catch (error) {
      return invalidToken(refusalOf(error));
    }
    if (!this.#hasValidAudience(payload)) return invalidToken(Refusal.audience);
    if (typeof payload.iat === 'number' && payload.iat * 1000 > this.#now()) return invalidToken(Refusal.issuedInFuture);
    const tokenScopes = scopesOf(payload);
    if (routeScopes.length > 0 && !routeScopes.some((scope) => tokenScopes.includes(scope))) {
      return {
        allowed: false,
        statusCode: 403,
        wwwAuthenticate: `Bearer scope="${routeScopes.join(' ')}" error="insufficient_scope" error_description="the token does not have a required scope"`,
        reason: `the token's scopes (${tokenScopes.join(' ') || 'none'}) include none of ${routeScopes.join(', ')}`,
      };
    }
    return { allowed: true, context: { claims: flattenClaims(payload), scopes: routeScopes.length > 0 ? tokenScopes : null } };
  }

  /** The token from the first identity source the request carries, `Bearer ` prefix removed. */
  #tokenOf(request: IdentityCarrier): string | undefined {
    for (const source of this.config.identitySource) {
      const header = /^\$request\.header\.(.+)$/i.exec(source)?.[1];
      const parameter = /^\$request\.querystring\.(.+)$/i.exec(source)?.[1];
      const value = header !== undefined ? request.headers[header.toLowerCase()] : parameter !== undefined ? request.queryStringParameters?.[parameter] : undefined;
      const token = value?.replace(/^Bearer\s+/i, '').trim();
      if (token !== undefined && token !== '') return token;
    }
    return undefined;
  }

  /** API Gateway checks `client_id` only when the token has no `aud`. */
  #hasValidAudience(payload: JWTPayload): boolean {
    const audiences = payload.aud === undefined ? [payload.client_id] : [payload.aud].flat();
    return audiences.some((audience) => typeof audience === 'string' && this.config.audience.includes(audience));
  }
}

function invalidToken(description: string): JwtAuthorization {
  return { allowed: false, statusCode: 401, wwwAuthenticate: `Bearer scope="" error="invalid_token" error_description="${description}"`, reason: description };
}

function refusalOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return Refusal.expired;
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.reason === 'missing') return Refusal.malformed;
    if (error.claim === 'iss') return Refusal.issuer;
    if (error.claim === 'nbf') return Refusal.notYetValid;
    if (error.claim === 'exp') return Refusal.expired;
    return Refusal.malformed;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return Refusal.signature;
  if (error instanceof errors.JOSEAlgNotAllowed) return Refusal.algorithm;
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return Refusal.issuerKeys;
  return Refusal.malformed;
}

/** The token's scopes: `scope` (space-separated) or `scp` (a list or a space-separated string). */
function scopesOf(payload: JWTPayload): string[] {
  const claim = payload.scope ?? payload.scp;
  if (Array.isArray(claim)) return claim.filter((scope): scope is string => typeof scope === 'string');
  return typeof claim === 'string' ? claim.split(' ').filter((scope) => scope !== '') : [];
}

/**
 * Claims as payload format 2.0 carries them: a map of strings. Numbers and booleans become their
 * text, a list becomes `[a b]` (as API Gateway renders `cognito:groups`), an object its JSON.
 */
function flattenClaims(payload: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(payload).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : Array.isArray(value) ? `[${value.map(String).join(' ')}]` : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value),
    ]),
  );
}
