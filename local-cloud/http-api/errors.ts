/** Errors of the local HTTP API itself; a function's failures become HTTP responses instead. */

/** A route was configured in a way API Gateway would reject. */
export class HttpApiConfigError extends Error {
  override readonly name = 'HttpApiConfigError';
  /** The offending route key. */
  readonly routeKey: string;

  /**
   * @param routeKey - The offending route key.
   * @param reason - What is wrong with it.
   */
  constructor(routeKey: string, reason: string, options?: ErrorOptions) {
    super(`Route key "${routeKey}" is invalid: ${reason}`, options);
    this.routeKey = routeKey;
  }
}
