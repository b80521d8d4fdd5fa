/**
 * The environment variables an execution environment starts with: the function's own
 * variables, then the ones Lambda defines for every function, which a function cannot override.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime
 */
import { LogFormat, type LambdaLoggingConfig } from '#cloud/lambda/logging-config';

/** What the reserved variables are derived from. */
export interface RuntimeEnvironmentSource {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memorySize: number;
  readonly region: string;
  /** Lambda runtime identifier, e.g. `nodejs20.x`. */
  readonly runtime: string;
  /** The handler string, e.g. `index.handler`. */
  readonly handler: string;
  /** Absolute path of the deployed bundle (`LAMBDA_TASK_ROOT`). */
  readonly codeDirectory: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** The function's logging controls (its template `LoggingConfig`, Lambda's defaults applied). */
  readonly logging: LambdaLoggingConfig;
  /**
   * The function's variables (its template `Environment.Variables`) plus what the host adds,
   * such as `AWS_ENDPOINT_URL` and credentials, which Lambda also injects per environment.
   */
  readonly variables: Readonly<Record<string, string>>;
}

/**
 * Builds the complete `process.env` of one execution environment. Nothing is inherited from
 * the host process, so two functions never see each other's values, as on Lambda.
 */
export function buildRuntimeEnvironment(source: RuntimeEnvironmentSource): Record<string, string> {
  return {
    ...source.variables,
    _HANDLER: source.handler,
    AWS_REGION: source.region,
    AWS_DEFAULT_REGION: source.region,
    AWS_EXECUTION_ENV: `AWS_Lambda_${source.runtime}`,
    AWS_LAMBDA_FUNCTION_NAME: source.functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(source.memorySize),
    AWS_LAMBDA_FUNCTION_VERSION: source.functionVersion,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: source.logGroupName,
    AWS_LAMBDA_LOG_STREAM_NAME: source.logStreamName,
    ...loggingVariables(source.logging),
    LAMBDA_TASK_ROOT: source.codeDirectory,
    LANG: 'en_US.UTF-8',
    // Lambda's value; the leading colon is POSIX for "a zone file name", and Node reads it as UTC.
    TZ: ':UTC',
  };
}

/**
 * The variables through which Lambda hands its logging controls to the runtime and the
 * function's code: the format always, the application log level with the JSON format (the only
 * one with levels). Loggers that honour the level (Powertools' Logger takes it over any level
 * of its own) never write a line below it. Lambda's own filtering of what does get written
 * (the runtime's `console` methods, JSON lines by their `level`) is not reproduced.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/monitoring-cloudwatchlogs-log-level.html
 */
function loggingVariables(logging: LambdaLoggingConfig): Record<string, string> {
  if (logging.logFormat === LogFormat.text) return { AWS_LAMBDA_LOG_FORMAT: logging.logFormat };
  return { AWS_LAMBDA_LOG_FORMAT: logging.logFormat, AWS_LAMBDA_LOG_LEVEL: logging.applicationLogLevel };
}
