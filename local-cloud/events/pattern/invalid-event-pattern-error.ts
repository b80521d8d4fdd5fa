/**
 * The one error the event-pattern engine throws. EventBridge answers `PutRule` and
 * `TestEventPattern` with `InvalidEventPatternException` and a message of the form
 * `Event pattern is not valid. Reason: <what event-ruler said>`; we keep that shape so a
 * caller (or a test) reading the message sees what it would see on AWS.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html
 */
export class InvalidEventPatternError extends Error {
  override readonly name = 'InvalidEventPatternError';
  /** The AWS error code, so the gateway can serialize this as EventBridge does. */
  readonly code = 'InvalidEventPatternException';
  /** What is wrong, worded like event-ruler words it (e.g. `Empty arrays are not allowed`). */
  readonly reason: string;
  /** Where in the pattern the problem is (e.g. `detail.state[0].numeric`); empty for the whole pattern. */
  readonly path: string;

  /**
   * @param reason - What is wrong with the pattern.
   * @param options - Where the problem is and the error that revealed it.
   */
  constructor(reason: string, options: { readonly path?: string; readonly cause?: unknown } = {}) {
    const where = options.path ? ` at ${options.path}` : '';
    super(`Event pattern is not valid. Reason: ${reason}${where}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.path = options.path ?? '';
  }
}
