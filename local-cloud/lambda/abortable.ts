/** Waiting that ends when a signal aborts, so stopping a poller never waits for a long poll. */

/**
 * Settles like `work`, or rejects with the signal's reason as soon as `signal` aborts,
 * whichever comes first. `work` keeps its handlers, so its late rejection is never unhandled.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
