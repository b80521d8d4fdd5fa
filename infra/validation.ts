/**
 * Pure checks for construct props. Each throws an `InvalidPropError` whose message names the
 * prop, the value it got and the range it allows, so a bad value fails at synth, not at deploy.
 * Unresolved tokens are skipped: their value is only known to CloudFormation.
 */
import { Duration, Token } from 'aws-cdk-lib';

/** A construct prop (or an app context value) is outside the range the AWS service (or our design) allows. */
export class InvalidPropError extends Error {
  /** The prop's name, e.g. `maxConcurrency`. */
  readonly prop: string;
  /** The value that was rejected. */
  readonly value: unknown;

  constructor(prop: string, value: unknown, message: string) {
    super(message);
    this.name = 'InvalidPropError';
    this.prop = prop;
    this.value = value;
  }
}

/** An inclusive range; `unit` is appended to the bounds in messages (e.g. "seconds"). */
export interface Range {
  readonly min: number;
  readonly max: number;
  /** @default - no unit in the message */
  readonly unit?: string;
}

function describe(range: Range): string {
  const unit = range.unit === undefined ? '' : ` ${range.unit}`;
  return `from ${range.min} to ${range.max}${unit}`;
}

/** Checks that `value` is an integer within `range`. */
export function checkIntegerInRange(prop: string, value: number, range: Range): void {
  if (Token.isUnresolved(value)) return;
  if (!Number.isInteger(value) || value < range.min || value > range.max) {
    throw new InvalidPropError(prop, value, `${prop} must be an integer ${describe(range)}, got ${value}`);
  }
}

/** Checks that `duration` is a whole number of seconds within `range` (in seconds). */
export function checkSecondsInRange(prop: string, duration: Duration, range: Range): void {
  if (duration.isUnresolved()) return;
  const seconds = duration.toSeconds({ integral: false });
  if (!Number.isInteger(seconds) || seconds < range.min || seconds > range.max) {
    throw new InvalidPropError(prop, duration, `${prop} must be a whole number of seconds ${describe(range)}, got ${seconds} (${duration.toHumanString()})`);
  }
}

/** Checks that `values` is not empty and holds no duplicates. */
export function checkDistinctNonEmpty(prop: string, values: readonly string[]): void {
  if (values.length === 0) throw new InvalidPropError(prop, values, `${prop} must name at least one value, got []`);
  const duplicates = values.filter((value, index) => values.indexOf(value) !== index);
  if (duplicates.length > 0) {
    throw new InvalidPropError(prop, values, `${prop} must not repeat a value, got ${JSON.stringify(values)} (repeated: ${[...new Set(duplicates)].join(', ')})`);
  }
}
