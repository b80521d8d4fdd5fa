import { describe, expect, it } from 'vitest';
import { buildPayloadV2Event, type HttpApiRequest } from '#cloud/http-api/payload-v2-event';

/** A request factory: a GET of `/orders` from 127.0.0.1 unless overridden. */
function aRequest(overrides: Partial<HttpApiRequest> = {}): HttpApiRequest {
  return {
    method: 'GET',
    rawPath: '/orders',
    rawQueryString: '',
    rawHeaders: ['Host', 'api.example.com:8080'],
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    port: 8080,
    protocol: 'HTTP/1.1',
    ...overrides,
  };
}

const context = {
  routeKey: 'GET /orders',
  pathParameters: {},
  requestId: 'JKJaXmPLvHcESHA=',
  accountId: '123456789012',
  apiId: 'api',
  time: new Date(Date.UTC(2020, 2, 9, 8, 3, 58)),
};

describe('buildPayloadV2Event', () => {
  it('lower-cases header names, joins repeated headers with commas and moves cookies to their own field', () => {
    const event = buildPayloadV2Event(
      aRequest({ rawHeaders: ['Host', 'api.example.com', 'X-Tag', 'a', 'x-tag', 'b', 'Cookie', 'a=1; b=2', 'Cookie', 'c=3'] }),
      context,
    );

    expect(event.headers).toMatchObject({ host: 'api.example.com', 'x-tag': 'a,b' });
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
  });

  it('decodes query parameters and joins repeated ones with commas', () => {
    const event = buildPayloadV2Event(aRequest({ rawQueryString: 'q=red%20shoes&size=1&size=2&empty=' }), context);

    expect(event.rawQueryString).toBe('q=red%20shoes&size=1&size=2&empty=');
    expect(event.queryStringParameters).toEqual({ q: 'red shoes', size: '1,2', empty: '' });
  });

  it('formats the request time and domain as API Gateway does', () => {
    const event = buildPayloadV2Event(aRequest(), context);

    expect(event.requestContext).toMatchObject({
      domainName: 'api.example.com',
      domainPrefix: 'api',
      time: '09/Mar/2020:08:03:58 +0000',
      timeEpoch: 1583741038000,
    });
  });

  it.each([
    ['application/json; charset=utf-8', false],
    ['text/plain', false],
    ['application/vnd.api+json', false],
    ['application/x-www-form-urlencoded', true],
    ['application/octet-stream', true],
  ])('base64-encodes a %s body: %s', (contentType, isBase64Encoded) => {
    const body = Buffer.from('a=1');

    const event = buildPayloadV2Event(aRequest({ method: 'POST', rawHeaders: ['Content-Type', contentType], body }), context);

    expect(event).toMatchObject({ isBase64Encoded, body: body.toString(isBase64Encoded ? 'base64' : 'utf8') });
  });

  it('omits the body, query parameters, cookies and path parameters when there are none', () => {
    const event = buildPayloadV2Event(aRequest(), context);

    expect(Object.keys(event)).toEqual(['version', 'routeKey', 'rawPath', 'rawQueryString', 'headers', 'requestContext', 'isBase64Encoded']);
    expect(event.isBase64Encoded).toBe(false);
  });
});
