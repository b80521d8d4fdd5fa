/**
 * `npm start`: runs the order pipeline on this machine and shows what it does. Flags:
 * `--aws-port N` (default 4566), `--http-port N` (default 3000), `--verbose` (function logs
 * on the console; otherwise they go to .local-cloud/functions.log), `--data DIR` (keep queues,
 * in-flight messages, the bus archive and the tables in DIR across restarts), `--assembly DIR`
 * (run a cloud assembly synthesized earlier, e.g. by `npm run synth`, instead of synthesizing),
 * `--log-level LEVEL` (the functions' log level, default INFO, as `cdk deploy -c logLevel=LEVEL`
 * sets it on AWS), `--console-port N` (the console's port, default any free one; `--no-console` serves none),
 * `--watch` (rebuild the functions whose sources change and swap their code in place, see
 * infra/local/watch/function-watch.ts),
 * `--visibility-timeout-scale F` (a test accelerator: queues' visibility
 * timeouts times F), `--faults <spec>` (inject faults, see local-cloud/faults/fault-spec.ts;
 * else `LOCAL_CLOUD_FAULTS`), `--seed N` (the fault generator's seed; else
 * `LOCAL_CLOUD_SEED`, else random and printed) and `--no-permissions` (authorize nothing: for
 * debugging only; by default every call is authorized as on AWS and each refusal printed).
 */
import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatRefusal } from '#cloud/iam/access-denied';
import { LogFormat } from '#cloud/lambda/logging-config';
import { formatFaultSpec } from '#cloud/faults/fault-spec';
import { resolveFaultSettings } from '#cloud/faults/fault-settings';
import { startOrderPipelineCloud } from '#local/order-pipeline-cloud';
import { ORDER_FLOW_CORRELATION } from '#local/order-flow-correlation';
import { OrderProgress } from '#local/order-progress';
import { functionEntriesByLogicalId } from '#local/watch/function-bundle';
import { watchFunctions, type FunctionWatch } from '#local/watch/function-watch';
import { LOG_LEVEL_CONTEXT_KEY, PROJECT_ROOT } from '#infra/function-defaults';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';
import { silenceSdkNodeNotice } from '#cloud/sdk-node-notice';

const LOG_DIRECTORY = '.local-cloud';

silenceSdkNodeNotice();

const { values } = parseArgs({
  options: {
    'aws-port': { type: 'string', default: '4566' },
    'http-port': { type: 'string', default: '3000' },
    verbose: { type: 'boolean', default: false },
    data: { type: 'string' },
    assembly: { type: 'string' },
    'log-level': { type: 'string' },
    'visibility-timeout-scale': { type: 'string', default: '1' },
    faults: { type: 'string' },
    seed: { type: 'string' },
    permissions: { type: 'boolean', default: true },
    console: { type: 'boolean', default: true },
    watch: { type: 'boolean', default: false },
    'console-port': { type: 'string', default: '0' },
  },
  allowNegative: true,
});
const faultSettings = resolveFaultSettings({ faults: values.faults, seed: values.seed });
if (values['log-level'] !== undefined && values.assembly !== undefined) {
  throw new Error(`--log-level applies when the stack is synthesized, not to an assembly synthesized earlier (--assembly); synthesize that one with -c ${LOG_LEVEL_CONTEXT_KEY}=${values['log-level']}`);
}

const port = (name: 'aws-port' | 'http-port' | 'console-port'): number => {
  const value = Number(values[name]);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`--${name} must be a port number, got "${values[name]}"`);
  return value;
};

const started = Date.now();
console.log(values.assembly !== undefined ? `Starting the local cloud from the assembly in ${values.assembly}…` : 'Synthesizing the OrderPipeline stack and starting the local cloud…');
mkdirSync(LOG_DIRECTORY, { recursive: true });
const functionLog = `${LOG_DIRECTORY}/functions.log`;
const progress = new OrderProgress((line) => console.log(line));
const cloud = await startOrderPipelineCloud({
  awsPort: port('aws-port'),
  httpPort: port('http-port'),
  functionLogs: values.verbose ? (line) => console.log(line) : { file: functionLog },
  ...(values.data !== undefined ? { dataDirectory: values.data } : {}),
  ...(values.assembly !== undefined ? { assemblyDirectory: values.assembly } : {}),
  ...(values['log-level'] !== undefined ? { context: { [LOG_LEVEL_CONTEXT_KEY]: values['log-level'] } } : {}),
  visibilityTimeoutScale: Number(values['visibility-timeout-scale']),
  onEvent: (event) => progress.report(event),
  permissions: values.permissions,
  onAccessDenied: (refusal) => console.log(`${new Date().toISOString().slice(11, 23)}  ${formatRefusal(refusal)}`),
  faults: faultSettings.faults,
  seed: faultSettings.seed,
  ...(values.console ? { console: { port: port('console-port'), correlation: ORDER_FLOW_CORRELATION, flowName: 'order' } } : {}),
});

const clock = () => new Date().toISOString().slice(11, 23);
let functionWatch: FunctionWatch | undefined;
if (values.watch) {
  functionWatch = await watchFunctions({
    cloud,
    entries: functionEntriesByLogicalId(),
    projectRoot: PROJECT_ROOT,
    outputDirectory: `${LOG_DIRECTORY}/watch`,
    onReload: (reload) => console.log(`${clock()}  reloaded ${reload.functionName} (code v${reload.codeVersion}) ${reload.reloadMs} ms after ${reload.changed} changed`),
  });
}

const { plan } = cloud;
// A demo customer for the curl line; `npm run token` signs in any other (and this one again once its token expires).
const tokens = CustomerTokens.fromOutputs({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }, cloud.outputs);
const demoCustomer = await tokens.tokenOf('c-1');
tokens.destroy();
const logLevels = [...new Set(plan.functions.flatMap((fn) => (fn.logging.logFormat === LogFormat.json ? [fn.logging.applicationLogLevel] : [])))];
console.log(`
Local cloud is up in ${((Date.now() - started) / 1000).toFixed(1)} s.
${cloud.consoleUrl === undefined ? '' : `\nConsole  ${cloud.consoleUrl}\n`}
  HTTP API      ${cloud.httpApiUrl}   (POST /orders, GET /orders/{id}; every route takes a customer's token)
  AWS APIs      ${cloud.awsEndpoint}   (SQS, EventBridge, DynamoDB, Cognito user pools; region ${cloud.region}, any credentials act as the account's administrator)

Running from the synthesized template:
  ${plan.functions.length} functions, ${plan.eventSourceMappings.length} SQS event source mappings, ${plan.routes.length} HTTP routes
  ${plan.queues.length} SQS queues, ${plan.buses.length} event bus (${plan.buses.join(', ')}), ${plan.rules.length} rules, ${plan.archives.length} archive
  ${plan.tables.length} DynamoDB tables, ${plan.customResourceCalls.length} seeding call(s)
Not run locally: ${plan.notRun.map((entry) => `${entry.type} x${entry.count}`).join(', ') || 'none'}
Permissions: ${cloud.permissions.enforced ? `enforced as on AWS (${plan.roles.length} roles, ${plan.queuePolicies.length} queue policies, ${plan.lambdaPermissions.length} Lambda permissions); each refusal is printed here and written to the function's log` : 'OFF (--no-permissions): every call is allowed, unlike on AWS'}
Function logs: ${values.verbose ? 'on this console' : functionLog}, ${logLevels.length > 0 ? `level ${logLevels.join(', ')} (--log-level DEBUG for more)` : 'not filtered by level'}
Watch: ${values.watch ? 'on: a saved change to a function\'s sources rebuilds it and swaps its code in place (nothing is lost)' : 'off (--watch to reload functions as you save)'}
State: ${values.data !== undefined ? `kept in ${values.data} (survives restarts and kills)` : 'in memory (use --data DIR to keep it)'}
Faults: ${formatFaultSpec(cloud.faults.spec)} (seed ${cloud.faults.seed}; repeat with --seed ${cloud.faults.seed})

Place an order as customer c-1 (token valid for an hour; npm run token -- --customer <id> prints one for anyone):
  TOKEN=${demoCustomer.idToken}
  curl -s -X POST ${cloud.httpApiUrl}/orders -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"customer":{"name":"Ada"},"items":[{"sku":"SKU-KEYBOARD","quantity":1}],"shippingAddress":{"line1":"1 Main St","city":"Springfield","postalCode":"12345","country":"US"},"paymentToken":"tok_visa"}'
  curl -s ${cloud.httpApiUrl}/orders/<orderId> -H "authorization: Bearer $TOKEN"

Each order's events follow, one line each. Ctrl-C stops.
`);

let stopping = false;
const shutdown = async (signal: string) => {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping the local cloud…`);
  await functionWatch?.close();
  await cloud.stop();
  console.log('Stopped.');
  process.exit(0);
};
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
