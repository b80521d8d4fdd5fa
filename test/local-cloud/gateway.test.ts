import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AwsServiceError } from '#cloud/aws-error';
import { startAwsGateway, type AwsGateway, type AwsServiceRegistration } from '#cloud/gateway';

/** A JSON-protocol service in the shape of EventBridge, with operations that succeed and fail. */
function eventsLikeService(): AwsServiceRegistration {
  return {
    name: 'events',
    json: {
      targetPrefix: 'AWSEvents',
      jsonVersion: '1.1',
      operations: {
        PutEvents: (input) => ({ FailedEntryCount: 0, Received: input.Entries }),
        DescribeEventBus: () => {
          throw new AwsServiceError('ResourceNotFoundException', 'Event bus OrderBus does not exist.');
        },
        ListRules: () => {
          throw new TypeError('rules is undefined');
        },
      },
    },
  };
}

/** Posts an AWS JSON-protocol request. */
async function postJson(gateway: AwsGateway, target: string, body: string) {
  const response = await fetch(gateway.endpoint, {
    method: 'POST',
    headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' },
    body,
  });
  return { status: response.status, headers: response.headers, json: (await response.json()) as Record<string, unknown> };
}

describe('local AWS gateway', () => {
  let gateway: AwsGateway | undefined;

  afterEach(async () => {
    await gateway?.close();
    gateway = undefined;
  });

  it('dispatches a JSON-protocol request by X-Amz-Target to the registered operation', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const { status, headers, json } = await postJson(gateway, 'AWSEvents.PutEvents', JSON.stringify({ Entries: [{ Source: 'shop.orders' }] }));

    // Assess
    expect(status).toBe(200);
    expect(headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(json).toEqual({ FailedEntryCount: 0, Received: [{ Source: 'shop.orders' }] });
  });

  it('serializes an AWS error in the JSON error shape', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const { status, headers, json } = await postJson(gateway, 'AWSEvents.DescribeEventBus', '{}');

    // Assess
    expect(status).toBe(400);
    expect(json).toEqual({ __type: 'ResourceNotFoundException', message: 'Event bus OrderBus does not exist.' });
    expect(headers.get('x-amzn-query-error')).toBeNull();
  });

  it.each([
    ['an unknown target prefix', 'AWSLambda.Invoke', 'UnknownOperationException'],
    ['an unknown operation', 'AWSEvents.PutPartnerEvents', 'UnknownOperationException'],
  ])('answers %s with an AWS error naming it', async (_case, target, code) => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const { status, json } = await postJson(gateway, target, '{}');

    // Assess
    expect(status).toBe(400);
    expect(json).toEqual({ __type: code, message: expect.stringContaining(target) });
  });

  it('answers malformed JSON with SerializationException', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const { status, json } = await postJson(gateway, 'AWSEvents.PutEvents', '{"Entries": [');

    // Assess
    expect(status).toBe(400);
    expect(json.__type).toBe('SerializationException');
  });

  it('turns a non-AWS error into a logged 500 InternalFailure and keeps serving', async () => {
    // Prepare
    const logger = { error: vi.fn() };
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()], logger });

    // Act
    const failed = await postJson(gateway, 'AWSEvents.ListRules', '{}');
    const next = await postJson(gateway, 'AWSEvents.PutEvents', '{}');

    // Assess
    expect(failed.status).toBe(500);
    expect(failed.json).toEqual({ __type: 'InternalFailure', message: 'rules is undefined' });
    expect(logger.error).toHaveBeenCalledWith(expect.stringContaining('"operation":"AWSEvents.ListRules"'));
    expect(next.status).toBe(200);
  });

  it('hands a passthrough target the untouched request, and a failing one becomes a 500', async () => {
    // Prepare
    const logger = { error: vi.fn() };
    gateway = await startAwsGateway({
      port: 0,
      logger,
      services: [
        {
          name: 'dynamodb',
          passthrough: {
            targetPrefix: 'DynamoDB_20120810',
            handle: async (req, res) => {
              const chunks: Buffer[] = [];
              for await (const chunk of req) chunks.push(chunk as Buffer);
              res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
              res.end(JSON.stringify({ target: req.headers['x-amz-target'], body: Buffer.concat(chunks).toString() }));
            },
          },
        },
        {
          name: 'broken',
          passthrough: {
            targetPrefix: 'Broken_20200101',
            handle: () => {
              throw new Error('backend down');
            },
          },
        },
      ],
    });

    // Act
    const passed = await postJson(gateway, 'DynamoDB_20120810.ListTables', '{"Limit":1}');
    const broken = await postJson(gateway, 'Broken_20200101.Anything', '{}');

    // Assess
    expect(passed.json).toEqual({ target: 'DynamoDB_20120810.ListTables', body: '{"Limit":1}' });
    expect(broken).toMatchObject({ status: 500, json: { __type: 'InternalFailure', message: 'backend down' } });
  });

  it('refuses a second service for the same target prefix', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const registering = () => gateway?.register(eventsLikeService());

    // Assess
    expect(registering).toThrow('target prefix AWSEvents is already registered');
  });

  it('answers a request that names no operation, and a query action no service claims', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });

    // Act
    const bare = await fetch(gateway.endpoint);
    const unclaimed = await fetch(`${gateway.endpoint}/?Action=ListTopics&Version=2010-03-31`);

    // Assess
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ __type: 'UnknownOperationException' });
    expect(unclaimed.status).toBe(400);
    expect(await unclaimed.text()).toContain('<Code>InvalidAction</Code>');
  });

  it('answers a failing query-protocol action with an XML InternalFailure', async () => {
    // Prepare
    const logger = { error: vi.fn() };
    gateway = await startAwsGateway({
      port: 0,
      logger,
      services: [
        {
          name: 'topics',
          query: {
            xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
            matches: (params) => params.get('Version') === '2010-03-31',
            actions: {
              ListTopics: () => Promise.reject(new RangeError('topic index out of range')),
            },
          },
        },
      ],
    });

    // Act
    const response = await fetch(`${gateway.endpoint}/?Action=ListTopics&Version=2010-03-31`);
    const xml = await response.text();

    // Assess
    expect(response.status).toBe(500);
    expect(xml).toContain(
      '<Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>topic index out of range</Message><Detail/></Error>',
    );
    expect(logger.error).toHaveBeenCalledOnce();
  });

  it('closes promptly even with an idle keep-alive connection open', async () => {
    // Prepare
    gateway = await startAwsGateway({ port: 0, services: [eventsLikeService()] });
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      const req = request(`${gateway?.endpoint}/`, { method: 'POST', agent, headers: { 'x-amz-target': 'AWSEvents.PutEvents' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end('{}');
    });
    const startedAt = Date.now();

    // Act
    await gateway.close();
    gateway = undefined;

    // Assess
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    agent.destroy();
  });
});
