/**
 * Calls a local DynamoDB over HTTP with DynamoDB's own JSON wire format, so attribute values pass
 * through untouched (an SDK client would re-marshal them): the local cloud's set-up (tables,
 * seeding) and tools reach the DynamoDB process this way.
 */
import { Agent, request } from 'node:http';
import { DynamoDbError, type DynamoDbCaller } from '#cloud/dynamodb/dynamodb-caller';

/** A wire-format client of one local DynamoDB endpoint. */
export class DynamoDbWireClient implements DynamoDbCaller {
  readonly #agent = new Agent({ keepAlive: true });

  constructor(private readonly port: number) {}

  /** Calls `operation` with a wire-format `input`; throws {@link DynamoDbError} on an error answer. */
  call(operation: string, input: unknown): Promise<Record<string, unknown>> {
    const body = JSON.stringify(input);
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: 'POST',
          agent: this.#agent,
          headers: {
            'content-type': 'application/x-amz-json-1.0',
            'content-length': Buffer.byteLength(body),
            'x-amz-target': `DynamoDB_20120810.${operation}`,
            'x-amz-date': '20260101T000000Z',
            // The local DynamoDB checks that a signature is present, not that it is valid.
            authorization: 'AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
          },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const parsed = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
            if ((response.statusCode ?? 500) >= 300) {
              reject(new DynamoDbError(String(parsed.__type ?? 'InternalFailure'), String(parsed.message ?? parsed.Message ?? text), response.statusCode ?? 500));
            } else resolve(parsed);
          });
          response.on('error', reject);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  /** Frees the keep-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }
}
