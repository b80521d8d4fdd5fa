/**
 * The entry point of the local DynamoDB's own process (see dynamodb-process.ts): serves the
 * DynamoDB API on an ephemeral loopback port, tells the parent which, and exits when the
 * parent goes away, however it went (the IPC channel closes even on SIGKILL).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalDynamoDb } from '#cloud/dynamodb/dynamodb-service';

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
process.on('message', (message) => {
  if (message === 'stop') void shutdown();
  if (message === 'cpu-usage') process.send?.({ cpuUsage: process.cpuUsage() });
});
process.send?.({ port: (server.address() as AddressInfo).port });
