/**
 * HTTP API route selection: route keys such as `GET /orders/{id}`, `ANY /files/{proxy+}` and
 * `$default`, matched the way API Gateway picks "the most-specific match": literal segments
 * beat path variables, which beat a greedy `{proxy+}`; an exact method beats `ANY`; and
 * `$default` catches whatever nothing else matched.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
 */
import { HttpApiConfigError } from './errors.ts';

/** The methods a route key may name. */
const ROUTE_METHODS = new Set(['ANY', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
const DEFAULT_ROUTE_KEY = '$default';

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

interface CompiledRoute<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly segments: readonly Segment[];
  readonly target: T;
}

/** A selected route: its key, its target and the path variables it captured. */
export interface RouteMatch<T> {
  readonly routeKey: string;
  readonly target: T;
  /** Decoded values of the path variables, by name; empty when the route has none. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

/** The routes of one API, each with a target of type `T` (e.g. a function to invoke). */
export class RouteTable<T> {
  readonly #routes: CompiledRoute<T>[] = [];
  #defaultTarget: T | undefined;

  /**
   * @param routes - Route keys and their targets.
   * @throws HttpApiConfigError for a malformed or duplicate route key.
   */
  constructor(routes: Iterable<{ readonly routeKey: string; readonly target: T }>) {
    const seen = new Set<string>();
    for (const { routeKey, target } of routes) {
      if (seen.has(routeKey)) throw new HttpApiConfigError(routeKey, 'it is defined twice');
      seen.add(routeKey);
      if (routeKey === DEFAULT_ROUTE_KEY) this.#defaultTarget = target;
      else this.#routes.push({ ...parseRouteKey(routeKey), target });
    }
  }

  /** The route a request goes to, or `undefined` when none matches (API Gateway answers 404). */
  select(method: string, rawPath: string): RouteMatch<T> | undefined {
    const pathSegments = rawPath.split('/').slice(1);
    let best: { route: CompiledRoute<T>; pathParameters: Record<string, string> } | undefined;
    for (const route of this.#routes) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const pathParameters = matchSegments(route.segments, pathSegments);
      if (pathParameters !== undefined && (best === undefined || isMoreSpecific(route, best.route))) best = { route, pathParameters };
    }
    if (best !== undefined) return { routeKey: best.route.routeKey, target: best.route.target, pathParameters: best.pathParameters };
    if (this.#defaultTarget !== undefined) return { routeKey: DEFAULT_ROUTE_KEY, target: this.#defaultTarget, pathParameters: {} };
    return undefined;
  }
}

function parseRouteKey(routeKey: string): { routeKey: string; method: string; segments: Segment[] } {
  const [method = '', path = '', ...rest] = routeKey.split(' ');
  if (!ROUTE_METHODS.has(method) || rest.length > 0 || !path.startsWith('/')) {
    throw new HttpApiConfigError(routeKey, 'expected "<METHOD> /path" or "$default"');
  }
  const parts = path === '/' ? [''] : path.split('/').slice(1);
  const segments = parts.map((part, index): Segment => {
    const variable = /^\{([A-Za-z0-9._-]+)(\+?)\}$/.exec(part);
    if (variable === null) return { kind: 'literal', value: part };
    const [, name = '', greedy] = variable;
    if (greedy === '') return { kind: 'variable', name };
    if (index !== parts.length - 1) throw new HttpApiConfigError(routeKey, 'a greedy path variable must be the last segment');
    return { kind: 'greedy', name };
  });
  return { routeKey, method, segments };
}

/** The path variables when `pathSegments` fits `segments`, else `undefined`. */
function matchSegments(segments: readonly Segment[], pathSegments: readonly string[]): Record<string, string> | undefined {
  const pathParameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const actual = pathSegments[index];
    if (actual === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (actual !== segment.value) return undefined;
    } else if (segment.kind === 'variable') {
      if (actual === '') return undefined;
      pathParameters[segment.name] = decodeSegment(actual);
    } else {
      const rest = pathSegments.slice(index).join('/');
      if (rest === '') return undefined;
      pathParameters[segment.name] = decodeSegment(rest);
      return pathParameters;
    }
  }
  return segments.length === pathSegments.length ? pathParameters : undefined;
}

/** Whether `candidate` is a more specific match than `current` for the same request. */
function isMoreSpecific(candidate: CompiledRoute<unknown>, current: CompiledRoute<unknown>): boolean {
  const rank = (segment: Segment | undefined): number => (segment?.kind === 'literal' ? 2 : segment?.kind === 'variable' ? 1 : 0);
  const length = Math.max(candidate.segments.length, current.segments.length);
  for (let index = 0; index < length; index += 1) {
    const difference = rank(candidate.segments[index]) - rank(current.segments[index]);
    if (difference !== 0) return difference > 0;
  }
  return current.method === 'ANY' && candidate.method !== 'ANY';
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed percent-encoding reaches the function as sent rather than failing the request.
    return segment;
  }
}
