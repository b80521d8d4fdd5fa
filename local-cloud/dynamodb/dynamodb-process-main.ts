/**
 * The entry point of the local DynamoDB's own process (see dynamodb-process.ts): serves the
 * DynamoDB API on an ephemeral loopback port, tells the parent which, and exits when the
 * parent goes away, however it went (the IPC channel closes even on SIGKILL).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dynamoDbAuthorizer } from '#cloud/dynamodb/dynamodb-authorization';
import { startLocalDynamoDb } from '#cloud/dynamodb/dynamodb-service';
import type { AccessControl } from '#cloud/iam/access-control';
import type { PermissionModel } from '#cloud/iam/permission-model';
import type { DynamoDbProcessMessage } from '#cloud/dynamodb/dynamodb-process';

const path = process.env.LOCAL_DYNAMODB_PATH || undefined;
const dynamoDb = await startLocalDynamoDb(path === undefined ? {} : { path });
const server = createServer((request, response) => dynamoDb.handle(request, response));
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

const shutdown = async () => {
  server.closeAllConnections();
  server.close();
  await dynamoDb.close();
  process.exit(0);
};
process.on('disconnect', () => void shutdown());
let access: AccessControl | undefined;
process.on('message', (message: unknown) => {
  if (message === 'stop') void shutdown();
  if (message === 'cpu-usage') process.send?.({ cpuUsage: process.cpuUsage() });
  if (message === 'request-counts') process.send?.({ requestCounts: dynamoDb.requestCounts() } satisfies DynamoDbProcessMessage);
  const command = message as { permissions?: PermissionModel; exercised?: true };
  if (command.permissions !== undefined) {
    // Refusals go to the parent as they happen, for the function's log and the console.
    const enforced = dynamoDbAuthorizer(command.permissions, (refusal) => process.send?.({ accessDenied: refusal } satisfies DynamoDbProcessMessage));
    access = enforced.access;
    dynamoDb.authorizeWith(enforced.authorizer);
    process.send?.({ permissionsEnforced: true } satisfies DynamoDbProcessMessage);
  }
  if (command.exercised) process.send?.({ exercised: access?.exercised() ?? [] } satisfies DynamoDbProcessMessage);
});
process.send?.({ port: (server.address() as AddressInfo).port });
