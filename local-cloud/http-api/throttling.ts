/**
 * A stage's throttling, as API Gateway applies it: a token bucket per route, holding up to the
 * burst limit and refilled at the rate limit; a request that finds it empty is answered 429
 * `{"message":"Too Many Requests"}` before anything else happens. A route's own `RouteSettings`
 * replace the stage's `DefaultRouteSettings`; a route with neither is not throttled by the stage
 * (the account's regional quota is not modelled).
 *
 * Written here rather than taken from a rate-limiting package: the bucket must answer at once,
 * on the request's own turn, from a clock tests can drive; the packages found wait on timers.
 *
 * @see https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
 */

/** `ThrottlingRateLimit` (requests per second) and `ThrottlingBurstLimit` of a stage or route. */
export interface ThrottleSettings {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/** A stage's throttling: its default, and the routes that set their own. */
export interface StageThrottling {
  /** `DefaultRouteSettings`. @default - not throttled */
  readonly defaultRoute?: ThrottleSettings;
  /** `RouteSettings`, by route key. */
  readonly routes?: Readonly<Record<string, ThrottleSettings>>;
}

/** One token bucket. */
export class TokenBucket {
  readonly #settings: ThrottleSettings;
  #tokens: number;
  #refilledAt: number;

  constructor(settings: ThrottleSettings, now: number) {
    this.#settings = settings;
    this.#tokens = settings.burstLimit;
    this.#refilledAt = now;
  }

  /** Takes a token if there is one; `false` means the request is throttled. */
  take(now: number): boolean {
    const { rateLimit, burstLimit } = this.#settings;
    this.#tokens = Math.min(burstLimit, this.#tokens + (Math.max(0, now - this.#refilledAt) / 1000) * rateLimit);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** The buckets of one stage. */
export class StageThrottle {
  readonly #throttling: StageThrottling;
  readonly #now: () => number;
  readonly #buckets = new Map<string, TokenBucket>();

  /** @param now - The clock, in epoch milliseconds. @default Date.now */
  constructor(throttling: StageThrottling, now: () => number = Date.now) {
    this.#throttling = throttling;
    this.#now = now;
  }

  /** Whether a request to `routeKey` (the route it matched, or `undefined`) may go on. */
  allows(routeKey: string | undefined): boolean {
    const own = routeKey === undefined ? undefined : this.#throttling.routes?.[routeKey];
    const settings = own ?? this.#throttling.defaultRoute;
    if (settings === undefined) return true;
    // Routes on the default settings each have a bucket of their own, as on API Gateway.
    const key = routeKey ?? '';
    let bucket = this.#buckets.get(key);
    if (bucket === undefined) {
      bucket = new TokenBucket(settings, this.#now());
      this.#buckets.set(key, bucket);
    }
    return bucket.take(this.#now());
  }
}
