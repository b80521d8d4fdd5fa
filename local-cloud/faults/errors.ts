/** Errors of the local cloud's fault injection. */

/** A fault spec (`--faults`, `LOCAL_CLOUD_FAULTS`) or seed that cannot be read; the message says what and why. */
export class FaultSettingError extends Error {
  /** Which setting was refused. */
  readonly setting: 'fault spec' | 'seed';
  /** The text (or the item of a spec) that was refused. */
  readonly value: string;

  constructor(setting: 'fault spec' | 'seed', value: string, message: string) {
    super(`invalid ${setting} "${value}": ${message}`);
    this.name = 'FaultSettingError';
    this.setting = setting;
    this.value = value;
  }
}
