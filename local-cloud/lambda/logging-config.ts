/**
 * Lambda's logging controls as a function's template states them (`LoggingConfig`: log format,
 * application and system log levels), with Lambda's defaults filled in. The CDK defaults, the
 * local cloud (which sets the variables Lambda derives from them) and the cost model (which
 * prices the platform lines they let through) all read them through this one module.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-advanced.html
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 */

/** The two log formats, spelled as the template (and the Lambda API) spells them. */
export const LogFormat = { text: 'Text', json: 'JSON' } as const;
export type LogFormat = (typeof LogFormat)[keyof typeof LogFormat];

/** Application log levels, from the most detail to the least. */
export const APPLICATION_LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;
export type ApplicationLogLevel = (typeof APPLICATION_LOG_LEVELS)[number];

/**
 * System (platform) log levels, from the most detail to the least. Lambda writes an
 * invocation's START, END and REPORT lines (`platform.start`, `platform.runtimeDone`,
 * `platform.report` in JSON) at INFO, so a function at WARN gets none of them.
 */
export const SYSTEM_LOG_LEVELS = ['DEBUG', 'INFO', 'WARN'] as const;
export type SystemLogLevel = (typeof SYSTEM_LOG_LEVELS)[number];

/**
 * A function's logging controls with Lambda's defaults applied. Levels exist only with the
 * JSON format: Lambda filters logs by level only in JSON.
 */
export type LambdaLoggingConfig =
  | { readonly logFormat: typeof LogFormat.text }
  | { readonly logFormat: typeof LogFormat.json; readonly applicationLogLevel: ApplicationLogLevel; readonly systemLogLevel: SystemLogLevel };

/** Lambda's default: the Text format, which has no log levels. */
export const DEFAULT_LOGGING_CONFIG: LambdaLoggingConfig = { logFormat: LogFormat.text };
/** Lambda's level, for either kind of log, when the JSON format is set without one. */
const DEFAULT_JSON_LOG_LEVEL = 'INFO';

/** A `LoggingConfig` Lambda would reject. */
export class InvalidLoggingConfigError extends Error {
  override readonly name = 'InvalidLoggingConfigError';
}

/**
 * Reads a function's `LoggingConfig` template property (resolved, or absent) the way Lambda
 * applies it: the Text format unless it says JSON, and with JSON, INFO for a level it leaves
 * out. `LogGroup` is not read here.
 * @throws InvalidLoggingConfigError for a format or level Lambda does not know, or levels with
 *   the Text format (Lambda filters by level only in JSON).
 */
export function loggingConfigFromTemplate(property: unknown): LambdaLoggingConfig {
  const config = (property ?? {}) as { LogFormat?: unknown; ApplicationLogLevel?: unknown; SystemLogLevel?: unknown };
  const logFormat = config.LogFormat ?? LogFormat.text;
  if (!isOneOf(logFormat, Object.values(LogFormat))) {
    throw new InvalidLoggingConfigError(`LoggingConfig.LogFormat must be one of ${Object.values(LogFormat).join(', ')}, got ${JSON.stringify(logFormat)}`);
  }
  if (logFormat === LogFormat.text) {
    if (config.ApplicationLogLevel !== undefined || config.SystemLogLevel !== undefined) {
      throw new InvalidLoggingConfigError('LoggingConfig.ApplicationLogLevel and SystemLogLevel need LogFormat JSON: Lambda filters logs by level only in JSON');
    }
    return DEFAULT_LOGGING_CONFIG;
  }
  const applicationLogLevel = config.ApplicationLogLevel ?? DEFAULT_JSON_LOG_LEVEL;
  const systemLogLevel = config.SystemLogLevel ?? DEFAULT_JSON_LOG_LEVEL;
  if (!isOneOf(applicationLogLevel, APPLICATION_LOG_LEVELS)) {
    throw new InvalidLoggingConfigError(`LoggingConfig.ApplicationLogLevel must be one of ${APPLICATION_LOG_LEVELS.join(', ')}, got ${JSON.stringify(applicationLogLevel)}`);
  }
  if (!isOneOf(systemLogLevel, SYSTEM_LOG_LEVELS)) {
    throw new InvalidLoggingConfigError(`LoggingConfig.SystemLogLevel must be one of ${SYSTEM_LOG_LEVELS.join(', ')}, got ${JSON.stringify(systemLogLevel)}`);
  }
  return { logFormat, applicationLogLevel, systemLogLevel };
}

/**
 * Whether Lambda writes the START, END and REPORT lines of each invocation: always in the Text
 * format, and in JSON unless the system log level is above INFO.
 */
export function writesPlatformInvocationLines(config: LambdaLoggingConfig): boolean {
  return config.logFormat === LogFormat.text || SYSTEM_LOG_LEVELS.indexOf(config.systemLogLevel) <= SYSTEM_LOG_LEVELS.indexOf('INFO');
}

function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return typeof value === 'string' && (allowed as readonly string[]).includes(value);
}
