import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startHttpApi, type HttpApiOptions, type HttpApiRequestRecord, type HttpApiRoute, type RunningHttpApi } from '#cloud/http-api/http-api-server';
import { JwtAuthorizer } from '#cloud/http-api/jwt-authorizer';
import type { InvocationResult } from '#cloud/lambda/invocation-result';
import { LocalFunction } from '#cloud/lambda/local-function';
import { HandlerBundles } from '#test/local-cloud/lambda/handler-bundles';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Serves `routes` on an ephemeral port; closed after the test. */
async function anApi(routes: HttpApiRoute[], records: HttpApiRequestRecord[] = [], options: Partial<HttpApiOptions> = {}): Promise<RunningHttpApi> {
  const api = await startHttpApi({ port: 0, routes, apiId: 'a1b2c3d4e5', onRequest: (record) => records.push(record), ...options });
  cleanups.push(() => api.close());
  return api;
}

/** A route whose function returns `result` and remembers the events it got. */
function aRoute(routeKey: string, result: unknown, events: APIGatewayProxyEventV2[] = []): HttpApiRoute {
  return {
    routeKey,
    invoke: async (event): Promise<InvocationResult> => {
      events.push(event);
      return { ok: true, result, durationMs: 1 };
    },
  };
}

describe('startHttpApi', () => {
  it('sends the function a payload format 2.0 event', async () => {
    // Prepare
    const events: APIGatewayProxyEventV2[] = [];
    const api = await anApi([aRoute('POST /orders', { statusCode: 201 }, events)]);

    // Act
    await fetch(`${api.url}/orders?source=web&tag=a&tag=b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Correlation-Id': 'c-1', cookie: 'session=s1; theme=dark', 'user-agent': 'test-agent' },
      body: '{"customerId":"customer-1"}',
    });

    // Assess
    const [event] = events;
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /orders',
      rawPath: '/orders',
      rawQueryString: 'source=web&tag=a&tag=b',
      cookies: ['session=s1', 'theme=dark'],
      queryStringParameters: { source: 'web', tag: 'a,b' },
      body: '{"customerId":"customer-1"}',
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'a1b2c3d4e5',
        domainName: '127.0.0.1',
        domainPrefix: '127',
        http: { method: 'POST', path: '/orders', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test-agent' },
        requestId: expect.stringMatching(/^[A-Za-z0-9+/]{15}=$/),
        routeKey: 'POST /orders',
        stage: '$default',
        time: expect.stringMatching(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/),
        timeEpoch: expect.any(Number),
      },
    });
    expect(event?.headers).toMatchObject({ 'content-type': 'application/json', 'x-correlation-id': 'c-1', 'x-forwarded-for': '127.0.0.1' });
    expect(event?.headers).not.toHaveProperty('cookie');
    expect(event).not.toHaveProperty('pathParameters');
  });

  it('passes path parameters, including a greedy one', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const api = await anApi([aRoute('GET /orders/{id}', {}, events), aRoute('ANY /files/{proxy+}', {}, events)]);

    await fetch(`${api.url}/orders/order%201`);
    await fetch(`${api.url}/files/a/b.txt`, { method: 'DELETE' });

    expect(events.map((event) => [event.routeKey, event.pathParameters])).toEqual([
      ['GET /orders/{id}', { id: 'order 1' }],
      ['ANY /files/{proxy+}', { proxy: 'a/b.txt' }],
    ]);
  });

  it('base64-encodes a body that is not text', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const api = await anApi([aRoute('PUT /images', {}, events)]);

    await fetch(`${api.url}/images`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) });

    expect(events[0]).toMatchObject({ body: 'iVBORw==', isBase64Encoded: true });
  });

  it('writes a structured response with its headers, cookies and base64 body', async () => {
    // Prepare
    const api = await anApi([
      aRoute('GET /report', {
        statusCode: 202,
        headers: { 'Content-Type': 'text/csv', 'x-order-count': 2 },
        cookies: ['a=1; Path=/', 'b=2'],
        body: Buffer.from('id\no-1\n').toString('base64'),
        isBase64Encoded: true,
      }),
    ]);

    // Act
    const response = await fetch(`${api.url}/report`);

    // Assess
    expect(response.status).toBe(202);
    expect(response.headers.get('content-type')).toBe('text/csv');
    expect(response.headers.get('x-order-count')).toBe('2');
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(await response.text()).toBe('id\no-1\n');
  });

  it('answers 200 application/json with the result when it has no statusCode', async () => {
    const api = await anApi([aRoute('GET /object', { orderId: 'o-1' }), aRoute('GET /text', 'Hello from Lambda!')]);

    const fromObject = await fetch(`${api.url}/object`);
    const fromText = await fetch(`${api.url}/text`);

    expect(fromObject.status).toBe(200);
    expect(fromObject.headers.get('content-type')).toBe('application/json');
    expect(await fromObject.json()).toEqual({ orderId: 'o-1' });
    expect(await fromText.text()).toBe('Hello from Lambda!');
  });

  it('answers 404 Not Found when no route matches, with an apigw-requestid', async () => {
    const records: HttpApiRequestRecord[] = [];
    const api = await anApi([aRoute('GET /orders/{id}', {})], records);

    const response = await fetch(`${api.url}/orders`, { method: 'POST' });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: 'Not Found' });
    expect(response.headers.get('apigw-requestid')).toBe(records[0]?.requestId);
    expect(records[0]).toMatchObject({ method: 'POST', rawPath: '/orders', statusCode: 404 });
  });

  it('sends unmatched requests to $default when there is one', async () => {
    const events: APIGatewayProxyEventV2[] = [];
    const api = await anApi([aRoute('$default', { fallback: true }, events)]);

    const response = await fetch(`${api.url}/anything?x=1`);

    expect(await response.json()).toEqual({ fallback: true });
    expect(events[0]).toMatchObject({ routeKey: '$default', requestContext: { routeKey: '$default' } });
  });

  it('answers 500 Internal Server Error for a malformed structured response', async () => {
    const records: HttpApiRequestRecord[] = [];
    const api = await anApi([aRoute('GET /bad', { statusCode: 200, body: { not: 'a string' } })], records);

    const response = await fetch(`${api.url}/bad`);

    expect(response.status).toBe(500);
    expect(await response.json()).toEqual({ message: 'Internal Server Error' });
    expect(records[0]?.error).toEqual({ errorType: 'MalformedLambdaProxyResponse', errorMessage: 'body must be a string' });
  });

  it('answers 500 Internal Server Error when the function host refuses the invocation', async () => {
    const api = await anApi([{ routeKey: 'GET /closed', invoke: () => Promise.reject(new Error('Function closed')) }]);

    const response = await fetch(`${api.url}/closed`);

    expect(response.status).toBe(500);
  });

  describe('with a LocalFunction behind it', () => {
    const bundles = new HandlerBundles();
    afterAll(() => bundles.removeAll());

    async function aLocalFunction(handlerSource: string): Promise<LocalFunction> {
      const fn = new LocalFunction({ functionName: 'get-order', codeDirectory: await bundles.handler(handlerSource), handler: 'index.handler', logSink: () => {} });
      cleanups.push(() => fn.close());
      return fn;
    }

    it('serves the function response', async () => {
      const fn = await aLocalFunction(
        'async (event) => ({ statusCode: 200, headers: { "content-type": "application/json" }, body: JSON.stringify({ orderId: event.pathParameters.id }) })',
      );
      const api = await anApi([{ routeKey: 'GET /orders/{id}', invoke: fn.invoke.bind(fn) }]);

      const response = await fetch(`${api.url}/orders/o-42`);

      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ orderId: 'o-42' });
    });

    it('answers 500 Internal Server Error when the function throws', async () => {
      const records: HttpApiRequestRecord[] = [];
      const fn = await aLocalFunction('async () => { throw new RangeError("quantity out of range"); }');
      const api = await anApi([{ routeKey: 'POST /orders', invoke: fn.invoke.bind(fn) }], records);

      const response = await fetch(`${api.url}/orders`, { method: 'POST', body: '{}' });

      expect(response.status).toBe(500);
      expect(await response.json()).toEqual({ message: 'Internal Server Error' });
      expect(records[0]?.error).toMatchObject({ errorType: 'RangeError', errorMessage: 'quantity out of range' });
    });
  });

  describe('the edges of the API: authorizer, CORS, throttling, payload limit', () => {
    const ISSUER = 'https://issuer.example';

    /** A JWT authorizer for `ISSUER` and audience `shop`, and a token it accepts. */
    async function anAuthorizer(): Promise<{ authorizer: JwtAuthorizer; token: string }> {
      const { privateKey, publicKey } = await generateKeyPair('RS256');
      const jwks = createLocalJWKSet({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
      const authorizer = new JwtAuthorizer({ name: 'customers', issuer: ISSUER, audience: ['shop'], identitySource: ['$request.header.Authorization'] }, () => jwks);
      const token = await new SignJWT({ sub: 'customer-1', aud: 'shop' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer(ISSUER).setIssuedAt().setExpirationTime('1h').sign(privateKey);
      return { authorizer, token };
    }

    it("answers 401 without invoking the function when the route's authorizer refuses, and passes the claims when it allows", async () => {
      // Prepare
      const events: APIGatewayProxyEventV2[] = [];
      const records: HttpApiRequestRecord[] = [];
      const { authorizer, token } = await anAuthorizer();
      const api = await anApi([{ ...aRoute('GET /orders', { statusCode: 200 }, events), authorization: { authorizer, scopes: [] } }], records);
      // Act
      const refused = await fetch(`${api.url}/orders`);
      const allowed = await fetch(`${api.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
      // Assess
      expect(refused.status).toBe(401);
      expect(await refused.json()).toEqual({ message: 'Unauthorized' });
      expect(refused.headers.get('www-authenticate')).toBe('Bearer');
      expect(records[0]).toMatchObject({ statusCode: 401, authorizationError: 'no token in the identity source' });
      expect(allowed.status).toBe(200);
      expect(events).toHaveLength(1);
      expect(events[0]?.requestContext).toMatchObject({ authorizer: { jwt: { claims: { sub: 'customer-1', aud: 'shop', iss: ISSUER }, scopes: null } } });
    });

    it('answers a CORS preflight itself, before the authorizer, and adds the configured headers to responses for an allowed origin only', async () => {
      // Prepare
      const events: APIGatewayProxyEventV2[] = [];
      const { authorizer, token } = await anAuthorizer();
      const route = { ...aRoute('GET /orders', { statusCode: 200, headers: { 'access-control-allow-origin': '*' } }, events), authorization: { authorizer, scopes: [] } };
      const api = await anApi([route], [], { cors: { AllowOrigins: ['https://shop.example'], AllowMethods: ['GET', 'POST'], AllowHeaders: ['authorization', 'content-type'], ExposeHeaders: ['location'], MaxAge: 600 } });
      const preflight = (origin: string) =>
        fetch(`${api.url}/orders`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'Authorization, Content-Type' } });
      // Act
      const allowedPreflight = await preflight('https://shop.example');
      const strangerPreflight = await preflight('https://evil.example');
      const fromShop = await fetch(`${api.url}/orders`, { headers: { origin: 'https://shop.example', authorization: token } });
      const fromStranger = await fetch(`${api.url}/orders`, { headers: { origin: 'https://evil.example', authorization: token } });
      const unauthorizedFromShop = await fetch(`${api.url}/orders`, { headers: { origin: 'https://shop.example' } });
      // Assess
      expect(allowedPreflight.status).toBe(204);
      expect(Object.fromEntries([...allowedPreflight.headers].filter(([name]) => name.startsWith('access-control-')))).toEqual({
        'access-control-allow-origin': 'https://shop.example',
        'access-control-allow-methods': 'GET,POST',
        'access-control-allow-headers': 'authorization,content-type',
        'access-control-max-age': '600',
      });
      expect(strangerPreflight.status).toBe(204);
      expect(strangerPreflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(fromShop.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(fromShop.headers.get('access-control-expose-headers')).toBe('location');
      expect(fromStranger.headers.get('access-control-allow-origin')).toBeNull();
      expect(unauthorizedFromShop.status).toBe(401);
      expect(unauthorizedFromShop.headers.get('access-control-allow-origin')).toBe('https://shop.example');
      expect(events).toHaveLength(2);
    });

    it("throttles a burst above the stage's limits with 429 Too Many Requests, route by route", async () => {
      // Prepare: a clock that stands still, so no token is refilled during the burst.
      const events: APIGatewayProxyEventV2[] = [];
      const api = await anApi([aRoute('GET /orders', { statusCode: 200 }, events), aRoute('GET /health', { statusCode: 200 })], [], {
        throttling: { defaultRoute: { rateLimit: 1, burstLimit: 2 }, routes: { 'GET /health': { rateLimit: 100, burstLimit: 100 } } },
        now: () => 0,
      });
      // Act
      const statuses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${api.url}/orders`).then(async (response) => [response.status, await response.text()] as const)));
      const health = await fetch(`${api.url}/health`);
      // Assess
      expect(statuses.filter(([status]) => status === 200)).toHaveLength(2);
      expect(statuses.filter(([status]) => status === 429)).toEqual(Array.from({ length: 3 }, () => [429, JSON.stringify({ message: 'Too Many Requests' })]));
      expect(events).toHaveLength(2);
      expect(health.status).toBe(200);
    });

    it('answers 413 to a body over the payload limit without invoking the function, 10 MB by default', async () => {
      // Prepare
      const events: APIGatewayProxyEventV2[] = [];
      const api = await anApi([aRoute('POST /orders', { statusCode: 202 }, events)]);
      // Act
      const tooLarge = await fetch(`${api.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `"${'x'.repeat(12 * 1024 * 1024)}"` });
      const atLimit = await fetch(`${api.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: `"${'x'.repeat(10 * 1024 * 1024 - 2)}"` });
      // Assess
      expect(tooLarge.status).toBe(413);
      expect(await tooLarge.json()).toEqual({ message: 'Request Entity Too Large' });
      expect(atLimit.status).toBe(202);
      expect(events).toHaveLength(1);
    });
  });
});
