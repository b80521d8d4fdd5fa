/**
 * Where the end-to-end suite runs: the local cloud (default), LocalStack (when an endpoint
 * answers), or the stack deployed on AWS. Only endpoints and names differ; the suite is the same.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { inject } from 'vitest';
import { startLocalCloud } from '#cloud/local-cloud';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

/** A running pipeline and how to reach it. */
export interface PipelineTarget {
  readonly name: string;
  /** Base URL of the HTTP API, without a trailing slash. */
  readonly httpApiUrl: string;
  /** Configuration for AWS SDK clients: region, and the endpoint and credentials when not AWS itself. */
  readonly clientConfig: { region: string; endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } };
  readonly eventBusName: string;
  readonly inventoryTableName: string;
  readonly ledgerTableName: string;
  readonly archiveName: string;
  /** The customers' tokens, from the stack's user pool (on AWS: the caller's credentials need the Cognito admin calls, see README "Targets"). */
  readonly tokens: CustomerTokens;
  stop(): Promise<void>;
}

/** A target that cannot run here, and why (one line). */
export interface SkippedTarget {
  readonly skip: string;
}

const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Starts the local cloud on free ports, from the assembly the test run synthesized. */
export async function localCloudTarget(): Promise<PipelineTarget> {
  const cloud = await startLocalCloud({ awsPort: 0, httpPort: 0, assemblyDirectory: inject('assemblyDirectory') });
  const clientConfig = { region: cloud.region, endpoint: cloud.awsEndpoint, credentials: LOCAL_CREDENTIALS };
  const tokens = CustomerTokens.fromOutputs(clientConfig, cloud.outputs);
  return {
    name: 'local cloud',
    httpApiUrl: cloud.httpApiUrl,
    clientConfig,
    tokens,
    eventBusName: outputOf(cloud.outputs, 'EventBusName'),
    inventoryTableName: outputOf(cloud.outputs, 'InventoryTableName'),
    ledgerTableName: outputOf(cloud.outputs, 'LedgerTableName'),
    archiveName: cloud.plan.archives[0]?.ArchiveName ?? '',
    stop: () => {
      tokens.destroy();
      return cloud.stop();
    },
  };
}

/**
 * The stack deployed on LocalStack by `npm run deploy:localstack`, when an endpoint answers at
 * `LOCALSTACK_ENDPOINT` (or `AWS_ENDPOINT_URL`, default http://localhost:4566).
 */
export async function localStackTarget(): Promise<PipelineTarget | SkippedTarget> {
  const endpoint = process.env.LOCALSTACK_ENDPOINT ?? process.env.AWS_ENDPOINT_URL ?? 'http://localhost:4566';
  const health = await fetch(`${endpoint}/_localstack/health`, { signal: AbortSignal.timeout(1_000) }).catch(() => undefined);
  if (!health?.ok) return { skip: `no LocalStack answers at ${endpoint} (start it, run npm run deploy:localstack, set LOCALSTACK_ENDPOINT)` };
  const clientConfig = { region: process.env.AWS_REGION ?? 'us-east-1', endpoint, credentials: LOCAL_CREDENTIALS };
  const outputs = await stackOutputs(clientConfig).catch((error: Error) => error);
  if (outputs instanceof Error) return { skip: `LocalStack at ${endpoint} has no ${ORDER_PIPELINE_STACK_NAME} stack (run npm run deploy:localstack): ${outputs.message}` };
  // LocalStack serves an HTTP API at <api-id>.execute-api.localhost.localstack.cloud on its own port.
  const apiId = new URL(outputOf(outputs, 'ApiUrl')).hostname.split('.')[0];
  return { ...deployedTarget('LocalStack', outputs, clientConfig), httpApiUrl: `http://${apiId}.execute-api.localhost.localstack.cloud:${new URL(endpoint).port || 4566}` };
}

/** The stack deployed on AWS by `npm run deploy`, when `E2E_TARGET=aws`. */
export async function awsTarget(): Promise<PipelineTarget | SkippedTarget> {
  if (process.env.E2E_TARGET !== 'aws') return { skip: 'set E2E_TARGET=aws (with AWS credentials, after npm run deploy) to run against AWS' };
  const clientConfig = { region: process.env.AWS_REGION ?? 'us-east-1' };
  return deployedTarget('AWS', await stackOutputs(clientConfig), clientConfig);
}

function deployedTarget(name: string, outputs: Record<string, string>, clientConfig: PipelineTarget['clientConfig']): PipelineTarget {
  const tokens = CustomerTokens.fromOutputs(clientConfig, outputs);
  return {
    name,
    httpApiUrl: outputOf(outputs, 'ApiUrl').replace(/\/$/, ''),
    clientConfig,
    tokens,
    eventBusName: outputOf(outputs, 'EventBusName'),
    inventoryTableName: outputOf(outputs, 'InventoryTableName'),
    ledgerTableName: outputOf(outputs, 'LedgerTableName'),
    archiveName: `${ORDER_PIPELINE_STACK_NAME}-order-events`,
    stop: async () => tokens.destroy(),
  };
}

async function stackOutputs(clientConfig: PipelineTarget['clientConfig']): Promise<Record<string, string>> {
  const client = new CloudFormationClient(clientConfig);
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: ORDER_PIPELINE_STACK_NAME }));
    return Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey ?? '', output.OutputValue ?? '']));
  } finally {
    client.destroy();
  }
}

function outputOf(outputs: Readonly<Record<string, string>>, key: string): string {
  const value = outputs[key];
  if (value === undefined) throw new Error(`the stack has no output ${key}`);
  return value;
}
