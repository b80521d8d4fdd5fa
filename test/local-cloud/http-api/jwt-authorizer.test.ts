/**
 * The JWT authorizer against API Gateway's documented evaluation: each check (token present,
 * RSA algorithm, signature by a key of the issuer's JWKS, iss, aud or client_id, exp, nbf, iat,
 * route scopes) refuses on its own, with the status, `www-authenticate` and reason it gives.
 */
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { JwtAuthorizer, type JwtAuthorizerConfig } from '#cloud/http-api/jwt-authorizer';

const ISSUER = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Example12';
const CLIENT_ID = 'shopclient0000000000000000';
const NOW = Date.UTC(2026, 0, 1, 12);
const config: JwtAuthorizerConfig = { name: 'customers', issuer: ISSUER, audience: [CLIENT_ID], identitySource: ['$request.header.Authorization'] };

describe('JWT authorizer', () => {
  let issuerKey: CryptoKey;
  let strangerKey: CryptoKey;
  let authorizer: JwtAuthorizer;

  /** A token signed with `key` (the issuer's by default) under the issuer's key id. */
  const aToken = (claims: JWTPayload = {}, options: { key?: CryptoKey; alg?: string } = {}) =>
    new SignJWT({ sub: 'customer-1', email: 'ada@example.com', email_verified: true, aud: CLIENT_ID, token_use: 'id', ...claims })
      .setProtectedHeader({ alg: options.alg ?? 'RS256', kid: 'issuer-key' })
      .setIssuer((claims.iss as string | undefined) ?? ISSUER)
      .setIssuedAt(Math.floor(NOW / 1000) - 60)
      .setExpirationTime((claims.exp as number | undefined) ?? Math.floor(NOW / 1000) + 3_600)
      .sign(options.key ?? issuerKey);
  const authorize = async (token: string | undefined, scopes: readonly string[] = []) => authorizer.authorize({ headers: token === undefined ? {} : { authorization: token } }, scopes);

  beforeAll(async () => {
    const issuer = await generateKeyPair('RS256');
    issuerKey = issuer.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    const jwks = { keys: [{ ...(await exportJWK(issuer.publicKey)), kid: 'issuer-key', alg: 'RS256', use: 'sig' }] };
    authorizer = new JwtAuthorizer(config, (issuer) => (issuer === ISSUER ? createLocalJWKSet(jwks) : undefined), () => NOW);
  });

  it('lets a valid token through, with its claims as strings and no scopes when the route names none', async () => {
    // Act
    const decision = await authorize(`Bearer ${await aToken({ 'cognito:groups': ['vip', 'staff'] })}`);
    // Assess
    expect(decision).toEqual({
      allowed: true,
      context: {
        claims: expect.objectContaining({ sub: 'customer-1', email_verified: 'true', aud: CLIENT_ID, iss: ISSUER, exp: String(Math.floor(NOW / 1000) + 3_600), 'cognito:groups': '[vip staff]' }),
        scopes: null,
      },
    });
  });

  it('takes the token with or without the Bearer prefix', async () => {
    expect((await authorize(await aToken())).allowed).toBe(true);
  });

  it('accepts client_id as the audience when the token has no aud (an access token)', async () => {
    expect((await authorize(await aToken({ aud: undefined, client_id: CLIENT_ID, token_use: 'access' }))).allowed).toBe(true);
  });

  it.each([
    ['no token', async () => undefined, 'Bearer'],
    ['a token that is not a JWT', async () => 'Bearer not-a-jwt', 'Bearer scope="" error="invalid_token" error_description="the token is malformed"'],
    ['a bad signature', async () => aToken({}, { key: strangerKey }), 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid signature"'],
    ['a wrong audience', async () => aToken({ aud: 'another-client' }), 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"'],
    ['a wrong issuer', async () => aToken({ iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other1234' }), 'Bearer scope="" error="invalid_token" error_description="the token does not have a valid issuer"'],
    ['an expired token', async () => aToken({ exp: Math.floor(NOW / 1000) - 1 }), 'Bearer scope="" error="invalid_token" error_description="the token has expired"'],
    ['a token not valid yet', async () => aToken({ nbf: Math.floor(NOW / 1000) + 600 }), 'Bearer scope="" error="invalid_token" error_description="the token is not valid yet"'],
    ['a token issued in the future', async () => new SignJWT({ aud: CLIENT_ID }).setProtectedHeader({ alg: 'RS256', kid: 'issuer-key' }).setIssuer(ISSUER).setIssuedAt(Math.floor(NOW / 1000) + 600).setExpirationTime(Math.floor(NOW / 1000) + 3_600).sign(issuerKey), 'Bearer scope="" error="invalid_token" error_description="the token was issued in the future"'],
    ['a token without exp', async () => new SignJWT({ aud: CLIENT_ID }).setProtectedHeader({ alg: 'RS256', kid: 'issuer-key' }).setIssuer(ISSUER).sign(issuerKey), 'Bearer scope="" error="invalid_token" error_description="the token is malformed"'],
    ['an HMAC-signed token', async () => new SignJWT({ aud: CLIENT_ID }).setProtectedHeader({ alg: 'HS256' }).setIssuer(ISSUER).setExpirationTime('1h').sign(new Uint8Array(32)), 'Bearer scope="" error="invalid_token" error_description="the token has an unsupported signing algorithm"'],
  ])('answers 401 to %s', async (_case, token, wwwAuthenticate) => {
    // Act
    const decision = await authorize(await token());
    // Assess
    expect(decision).toMatchObject({ allowed: false, statusCode: 401, wwwAuthenticate });
  });

  it("checks the route's scopes: one of them lets the token through, with its scopes; none is a 403", async () => {
    // Prepare
    const token = await aToken({ aud: undefined, client_id: CLIENT_ID, scope: 'orders/read profile' });
    // Act
    const allowed = await authorize(token, ['orders/write', 'orders/read']);
    const refused = await authorize(token, ['orders/write']);
    // Assess
    expect(allowed).toMatchObject({ allowed: true, context: { scopes: ['orders/read', 'profile'] } });
    expect(refused).toMatchObject({ allowed: false, statusCode: 403, wwwAuthenticate: 'Bearer scope="orders/write" error="insufficient_scope" error_description="the token does not have a required scope"' });
  });

  it('reads the token from a query string parameter when that is the identity source', async () => {
    // Prepare
    const fromQuery = new JwtAuthorizer({ ...config, identitySource: ['$request.querystring.token'] }, () => createLocalJWKSet({ keys: [] }), () => NOW);
    // Act
    const decision = await fromQuery.authorize({ headers: { authorization: await aToken() }, queryStringParameters: {} }, []);
    // Assess: the header is not the identity source, so there is no token.
    expect(decision).toMatchObject({ allowed: false, statusCode: 401, wwwAuthenticate: 'Bearer' });
  });
});
