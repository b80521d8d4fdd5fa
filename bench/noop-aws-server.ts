/**
 * A server that speaks the AWS JSON protocol and does nothing else: it reads the request,
 * parses the JSON body, calls the operation's answer and writes it. Driven by the same SDK
 * client as the local cloud, its rate is what the client and node:http allow on this machine,
 * the ceiling the local cloud is compared with.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Builds an operation's response body from its request body. */
export type NoopOperation = (input: Record<string, unknown>) => unknown;

/** Options of {@link startNoopAwsServer}. */
export interface NoopAwsServerOptions {
  /** The `X-Amz-Target` prefix served, e.g. `AmazonSQS`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-<version>` of the responses: SQS uses 1.0, EventBridge 1.1. */
  readonly jsonVersion: '1.0' | '1.1';
  /** Operation name -> answer. Anything else is answered with `UnknownOperationException`. */
  readonly operations: Readonly<Record<string, NoopOperation>>;
}

/** A running no-op server. */
export interface NoopAwsServer {
  /** Base URL for SDK clients, e.g. `http://127.0.0.1:41234`. */
  readonly endpoint: string;
  /** Stops listening and drops keep-alive connections. */
  close(): Promise<void>;
}

/** Starts a no-op AWS JSON-protocol server on a free loopback port. */
export async function startNoopAwsServer(options: NoopAwsServerOptions): Promise<NoopAwsServer> {
  const contentType = `application/x-amz-json-${options.jsonVersion}`;
  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      send(response, 500, contentType, { __type: 'InternalFailure', message: error instanceof Error ? error.message : String(error) });
    });
  });
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const target = String(request.headers['x-amz-target'] ?? '');
    const body = await readBody(request);
    const operation = target.startsWith(`${options.targetPrefix}.`) ? options.operations[target.slice(options.targetPrefix.length + 1)] : undefined;
    if (operation === undefined) {
      send(response, 400, contentType, { __type: 'UnknownOperationException', message: `The no-op server does not answer ${target}.` });
      return;
    }
    send(response, 200, contentType, operation(body === '' ? {} : (JSON.parse(body) as Record<string, unknown>)));
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

function send(response: ServerResponse, statusCode: number, contentType: string, output: unknown): void {
  const text = JSON.stringify(output ?? {});
  response.writeHead(statusCode, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': randomUUID() });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
