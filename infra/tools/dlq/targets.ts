/**
 * Where the stack runs and how to reach its AWS APIs: the local cloud, LocalStack or AWS. Only
 * the endpoint, region and credentials differ; every other module works on the clients made here.
 */
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { EndpointUnreachableError } from '#infra/tools/dlq/errors';

/** The targets the tool knows, as `--target` names them. */
export const TargetName = {
  local: 'local',
  localstack: 'localstack',
  aws: 'aws',
} as const;
export type TargetName = (typeof TargetName)[keyof typeof TargetName];

/** Where the local cloud serves the AWS APIs (`npm start`), LocalStack's port. */
export const LOCAL_CLOUD_ENDPOINT = 'http://127.0.0.1:4566';
/** LocalStack's endpoint when neither `LOCALSTACK_ENDPOINT` nor `AWS_ENDPOINT_URL` is set. */
export const LOCALSTACK_DEFAULT_ENDPOINT = 'http://localhost:4566';
/** The region of the local cloud, and LocalStack's default. */
export const LOCAL_REGION = 'us-east-1';
/** Neither the local cloud nor LocalStack checks signatures, but the SDK needs something to sign with. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;
/** A local endpoint that does not accept a connection in this time is not there. */
const CONNECTION_TIMEOUT_MS = 3_000;

/** What the command line says about the target. */
export interface TargetOptions {
  /** @default 'local' */
  readonly target?: TargetName;
  /** @default the target's: the local cloud's, LocalStack's from the environment, none on AWS */
  readonly endpoint?: string;
  /** @default 'us-east-1' on local targets; on AWS the SDK's (AWS_REGION, the profile) */
  readonly region?: string;
  /** Read for `LOCALSTACK_ENDPOINT`, `AWS_ENDPOINT_URL`, `AWS_REGION`. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** A resolved target: what the SDK clients are configured with. */
export interface Target {
  readonly name: TargetName;
  /** Undefined on AWS: the SDK picks the regional endpoint. */
  readonly endpoint?: string;
  /** Undefined on AWS when not given: the SDK resolves it. */
  readonly region?: string;
  /** Configuration for AWS SDK v3 clients. */
  readonly clientConfig: {
    readonly region?: string;
    readonly endpoint?: string;
    readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  };
}

/** The SDK clients the tool's modules take. */
export interface DlqClients {
  readonly sqs: SQSClient;
  readonly events: EventBridgeClient;
}

/** Resolves `--target`, `--endpoint` and `--region` with the target's defaults. */
export function resolveTarget(options: TargetOptions = {}): Target {
  const env = options.env ?? process.env;
  const name = options.target ?? TargetName.local;
  switch (name) {
    case TargetName.local: {
      const endpoint = options.endpoint ?? LOCAL_CLOUD_ENDPOINT;
      const region = options.region ?? LOCAL_REGION;
      return { name, endpoint, region, clientConfig: { region, endpoint, credentials: LOCAL_CREDENTIALS } };
    }
    case TargetName.localstack: {
      // The same variables the e2e suite and the cdklocal wrapper read.
      const endpoint = options.endpoint ?? env.LOCALSTACK_ENDPOINT ?? env.AWS_ENDPOINT_URL ?? LOCALSTACK_DEFAULT_ENDPOINT;
      const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? LOCAL_REGION;
      return { name, endpoint, region, clientConfig: { region, endpoint, credentials: LOCAL_CREDENTIALS } };
    }
    case TargetName.aws: {
      // The default credential chain and region resolution; an endpoint only when given (a VPC endpoint).
      const clientConfig = { ...(options.region === undefined ? {} : { region: options.region }), ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }) };
      return { name, ...clientConfig, clientConfig };
    }
  }
}

/** Creates the SQS and EventBridge clients of `target`; `destroy` them when done. */
export function createClients(target: Target): DlqClients {
  const config = { ...target.clientConfig, requestHandler: { connectionTimeout: CONNECTION_TIMEOUT_MS } };
  return { sqs: new SQSClient(config), events: new EventBridgeClient(config) };
}

/** Network error codes that mean nothing answered, as Node reports them on the SDK's errors. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * If `error` (or an error in its cause chain) says the endpoint did not answer, an
 * `EndpointUnreachableError` saying which endpoint and what to do; otherwise undefined.
 */
export function unreachableEndpointError(error: unknown, target: Target): EndpointUnreachableError | undefined {
  if (!isUnreachable(error, 0)) return undefined;
  const where = target.endpoint ?? `the AWS endpoints of ${target.region ?? 'the configured region'}`;
  const hint =
    target.name === TargetName.local
      ? ' (start the local cloud with npm start, or pass --endpoint)'
      : target.name === TargetName.localstack
        ? ' (start LocalStack, or set LOCALSTACK_ENDPOINT / pass --endpoint)'
        : ' (check the network and --region)';
  return new EndpointUnreachableError(`no AWS API answers at ${where}${hint}`, { cause: error });
}

function isUnreachable(error: unknown, depth: number): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const { code, name, cause, errors } = error as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  if ((typeof code === 'string' && UNREACHABLE_CODES.has(code)) || name === 'TimeoutError') return true;
  // Node reports a refused connection to a dual-stack host as an AggregateError of both attempts.
  if (Array.isArray(errors) && errors.some((inner) => isUnreachable(inner, depth + 1))) return true;
  return isUnreachable(cause, depth + 1);
}
