import { describe, expect, it } from 'vitest';
import { HttpApiConfigError } from '#cloud/http-api/errors';
import { RouteTable } from '#cloud/http-api/route-table';

/** A table whose targets are the route keys themselves. */
function aTable(...routeKeys: string[]): RouteTable<string> {
  return new RouteTable(routeKeys.map((routeKey) => ({ routeKey, target: routeKey })));
}

describe('RouteTable', () => {
  const table = aTable(
    'GET /orders',
    'POST /orders',
    'GET /orders/{id}',
    'GET /orders/latest',
    'ANY /orders/{id}',
    'GET /orders/{id}/timeline',
    'ANY /files/{proxy+}',
    'GET /{proxy+}',
    'GET /',
  );

  it.each([
    ['GET', '/orders', 'GET /orders', {}],
    ['POST', '/orders', 'POST /orders', {}],
    ['GET', '/orders/o-1', 'GET /orders/{id}', { id: 'o-1' }],
    ['GET', '/orders/latest', 'GET /orders/latest', {}],
    ['DELETE', '/orders/o-1', 'ANY /orders/{id}', { id: 'o-1' }],
    ['GET', '/orders/o%2F1/timeline', 'GET /orders/{id}/timeline', { id: 'o/1' }],
    ['PUT', '/files/a/b/c.txt', 'ANY /files/{proxy+}', { proxy: 'a/b/c.txt' }],
    ['GET', '/orders/o-1/unknown', 'GET /{proxy+}', { proxy: 'orders/o-1/unknown' }],
    ['GET', '/', 'GET /', {}],
  ])('routes %s %s to %s', (method, path, routeKey, pathParameters) => {
    expect(table.select(method, path)).toEqual({ routeKey, target: routeKey, pathParameters });
  });

  it.each([
    ['PATCH', '/orders'],
    ['POST', '/files'],
    ['POST', '/orders/o-1/timeline'],
  ])('matches nothing for %s %s without a $default route', (method, path) => {
    expect(table.select(method, path)).toBeUndefined();
  });

  it('falls back to $default', () => {
    expect(aTable('GET /orders', '$default').select('POST', '/anything')).toEqual({ routeKey: '$default', target: '$default', pathParameters: {} });
  });

  it.each(['/orders', 'FETCH /orders', 'GET orders', 'GET /{proxy+}/tail'])('rejects the route key %j', (routeKey) => {
    expect(() => aTable(routeKey)).toThrow(HttpApiConfigError);
  });

  it('rejects a duplicate route key', () => {
    expect(() => aTable('GET /orders', 'GET /orders')).toThrow(/defined twice/);
  });
});
