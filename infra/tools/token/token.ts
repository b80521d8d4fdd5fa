/**
 * `npm run token -- --customer <id> [--endpoint URL] [--target local|localstack|aws] [--region R] [--stack-name S]`:
 * prints a bearer token (the customer's ID token) that the running stack's HTTP API accepts, for
 * `curl -H "authorization: Bearer $(npm run -s token -- --customer c-1)"`. The customer is created
 * in the stack's user pool on first use. Default target: the local cloud at http://127.0.0.1:4566
 * (`npm start`); `--target aws` signs in against the deployed user pool with your AWS credentials.
 *
 * Exit codes: 0 printed, 1 no token (pool not found, sign-in refused), 2 wrong command line.
 */
import { parseArgs } from 'node:util';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';
import { ORDER_PIPELINE_STACK_NAME } from '#infra/order-pipeline-stack';
import { resolveTarget, TargetName } from '#infra/tools/dlq/targets';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

silenceSdkNodeNotice();

const USAGE = `Usage: npm run token -- --customer <id> [--endpoint URL] [--target local|localstack|aws] [--region R] [--stack-name ${ORDER_PIPELINE_STACK_NAME}]
Prints the ID token of customer <id> (created in the stack's user pool on first use); its sub and e-mail go to stderr.`;

async function main(argv: readonly string[]): Promise<number> {
  let values: { customer?: string; endpoint?: string; target?: string; region?: string; 'stack-name'?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { customer: { type: 'string' }, endpoint: { type: 'string' }, target: { type: 'string' }, region: { type: 'string' }, 'stack-name': { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (error) {
    process.stderr.write(`token: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const targets: readonly string[] = Object.values(TargetName);
  if (values.customer === undefined || (values.target !== undefined && !targets.includes(values.target))) {
    process.stderr.write(`token: ${values.customer === undefined ? '--customer is required' : `--target must be one of ${targets.join(', ')}`}\n${USAGE}\n`);
    return 2;
  }
  const target = resolveTarget({ target: values.target as TargetName | undefined, endpoint: values.endpoint, region: values.region });
  try {
    const tokens = await CustomerTokens.discover(target.clientConfig, values['stack-name']);
    try {
      const token = await tokens.signIn(values.customer);
      process.stderr.write(`customer ${token.customer}: sub ${token.sub}, e-mail ${token.email}\n`);
      process.stdout.write(`${token.idToken}\n`);
      return 0;
    } finally {
      tokens.destroy();
    }
  } catch (error) {
    process.stderr.write(`token: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
