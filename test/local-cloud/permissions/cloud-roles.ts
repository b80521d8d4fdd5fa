/** Helpers of the permission tests: the stack's functions and roles by their construct id, clients that call as a function. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { LocalCloud } from '#cloud/local-cloud';
import type { FunctionPlan } from '#cloud/template/stack-plan';

/** The function whose logical id starts with `constructId` (e.g. `PlaceOrderFunction`). */
export function functionOf(cloud: LocalCloud, constructId: string): FunctionPlan {
  const fn = cloud.plan.functions.find((candidate) => candidate.logicalId.startsWith(constructId));
  if (fn === undefined) throw new Error(`no function ${constructId} in the stack`);
  return fn;
}

/** The role session ARN a function's calls are made as. */
export function sessionArnOf(fn: FunctionPlan): string {
  return `arn:aws:sts::000000000000:assumed-role/${fn.roleArn?.split('/').pop()}/${fn.name}`;
}

/** SDK clients signed with a function's role session credentials, as the function's own are. */
export function clientsOf(cloud: LocalCloud, fn: FunctionPlan) {
  const credentials = cloud.permissions.credentialsOf(fn.name);
  if (credentials === undefined) throw new Error(`${fn.name} has no role session`);
  const config = {
    region: cloud.region,
    credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken },
    maxAttempts: 1,
  };
  return {
    credentials,
    // DynamoDB on its own process's endpoint, where functions reach it.
    dynamodb: new DynamoDBClient({ ...config, endpoint: cloud.services.dynamodb.endpoint }),
    dynamodbThroughGateway: new DynamoDBClient({ ...config, endpoint: cloud.awsEndpoint }),
    sqs: new SQSClient({ ...config, endpoint: cloud.awsEndpoint }),
    events: new EventBridgeClient({ ...config, endpoint: cloud.awsEndpoint }),
  };
}

/** Clients of the account's administrator (any credentials the local cloud does not know). */
export function administratorClients(cloud: LocalCloud) {
  const config = { region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  return { dynamodb: new DynamoDBClient(config), sqs: new SQSClient(config), events: new EventBridgeClient(config) };
}

/** A queue's URL and ARN by the start of its logical id. */
export function queueOf(cloud: LocalCloud, constructId: string): { url: string; arn: string; name: string } {
  const queue = cloud.plan.queues.find((candidate) => candidate.logicalId.startsWith(constructId));
  if (queue === undefined) throw new Error(`no queue ${constructId} in the stack`);
  return { url: cloud.services.sqs.queueUrl(queue.QueueName), arn: `arn:aws:sqs:${cloud.region}:000000000000:${queue.QueueName}`, name: queue.QueueName };
}

/** A table's name by the start of its logical id. */
export function tableOf(cloud: LocalCloud, constructId: string): { name: string; arn: string } {
  const table = cloud.plan.tables.find((candidate) => candidate.TableName.includes(constructId));
  if (table === undefined) throw new Error(`no table ${constructId} in the stack`);
  return { name: table.TableName, arn: `arn:aws:dynamodb:${cloud.region}:000000000000:table/${table.TableName}` };
}
