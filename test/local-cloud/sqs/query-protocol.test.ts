import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalSqs, uniqueQueueName, type LocalSqs } from '#test/local-cloud/sqs/local-sqs';

/** Posts a query-protocol request as the AWS CLI does: a form-encoded body. */
async function postForm(endpoint: string, params: Record<string, string>, path = '/'): Promise<{ status: number; xml: string }> {
  const response = await fetch(`${endpoint}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams({ Version: '2012-11-05', ...params }),
  });
  return { status: response.status, xml: await response.text() };
}

/** Text of every `<tag>` element, unescaped. */
function texts(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map(([, text = '']) =>
    text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#13;/g, '\r').replace(/&amp;/g, '&'),
  );
}

describe('local SQS over the query protocol (form posts, XML responses)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  /** Creates a queue through the query protocol and returns its URL. */
  async function createQueue(attributes: Record<string, string> = {}): Promise<string> {
    const { xml } = await postForm(local.gateway.endpoint, { Action: 'CreateQueue', QueueName: uniqueQueueName(), ...attributes });
    const [queueUrl] = texts(xml, 'QueueUrl');
    if (queueUrl === undefined) throw new Error(`CreateQueue failed: ${xml}`);
    return queueUrl;
  }

  it('creates a queue with attributes and tags and answers in the SQS XML shape', async () => {
    // Prepare
    const name = uniqueQueueName();

    // Act
    const created = await postForm(local.gateway.endpoint, {
      Action: 'CreateQueue',
      QueueName: name,
      'Attribute.1.Name': 'VisibilityTimeout',
      'Attribute.1.Value': '45',
      'Tag.1.Key': 'team',
      'Tag.1.Value': 'orders',
    });
    const attributes = await postForm(local.gateway.endpoint, {
      Action: 'GetQueueAttributes',
      QueueUrl: `${local.gateway.endpoint}/000000000000/${name}`,
      'AttributeName.1': 'VisibilityTimeout',
    });

    // Assess
    expect(created.status).toBe(200);
    expect(created.xml).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<CreateQueueResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><CreateQueueResult><QueueUrl>[^<]+<\/QueueUrl><\/CreateQueueResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/CreateQueueResponse>$/,
    );
    expect(attributes.xml).toContain('<Attribute><Name>VisibilityTimeout</Name><Value>45</Value></Attribute>');
    expect(local.sqs.listQueueTags({ QueueUrl: name }).Tags).toEqual({ team: 'orders' });
  });

  it('lists queues as flattened QueueUrl elements', async () => {
    // Prepare
    const queueUrl = await createQueue();

    // Act
    const { xml } = await postForm(local.gateway.endpoint, { Action: 'ListQueues', QueueNamePrefix: queueUrl.split('/').at(-1) ?? '' });

    // Assess
    expect(texts(xml, 'QueueUrl')).toEqual([queueUrl]);
  });

  it('sends a message with attributes and receives it with system and message attributes', async () => {
    // Prepare
    const queueUrl = await createQueue();
    const body = 'carriage\r\nreturn & <markup>';

    // Act
    const sent = await postForm(local.gateway.endpoint, {
      Action: 'SendMessage',
      QueueUrl: queueUrl,
      MessageBody: body,
      'MessageAttribute.1.Name': 'timestamp',
      'MessageAttribute.1.Value.DataType': 'Number',
      'MessageAttribute.1.Value.StringValue': '1493147359900',
      'MessageAttribute.2.Name': 'payload',
      'MessageAttribute.2.Value.DataType': 'Binary',
      'MessageAttribute.2.Value.BinaryValue': Buffer.from([2, 3, 4]).toString('base64'),
    });
    const received = await postForm(local.gateway.endpoint, {
      Action: 'ReceiveMessage',
      QueueUrl: queueUrl,
      'AttributeName.1': 'All',
      'MessageAttributeName.1': 'timestamp',
    });

    // Assess
    expect(texts(sent.xml, 'MD5OfMessageAttributes')).toHaveLength(1);
    expect(texts(received.xml, 'Body')).toEqual([body]);
    expect(texts(received.xml, 'MD5OfBody')).toEqual(texts(sent.xml, 'MD5OfMessageBody'));
    expect(texts(received.xml, 'MessageId')).toEqual(texts(sent.xml, 'MessageId'));
    expect(received.xml).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(received.xml).toContain(
      '<MessageAttribute><Name>timestamp</Name><Value><StringValue>1493147359900</StringValue><DataType>Number</DataType></Value></MessageAttribute>',
    );
    expect(texts(received.xml, 'MD5OfMessageAttributes')).toEqual(['235c5c510d26fb653d073faed50ae77c']);
  });

  it('reads batch entries in both the flattened and the member list spellings', async () => {
    // Prepare
    const queueUrl = await createQueue();

    // Act
    const sent = await postForm(local.gateway.endpoint, {
      Action: 'SendMessageBatch',
      QueueUrl: queueUrl,
      'SendMessageBatchRequestEntry.1.Id': 'first',
      'SendMessageBatchRequestEntry.1.MessageBody': 'one',
      'SendMessageBatchRequestEntry.2.Id': 'second',
      'SendMessageBatchRequestEntry.2.MessageBody': 'two',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Name': 'kind',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType': 'String',
      'SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue': 'test',
    });
    const received = await postForm(local.gateway.endpoint, { Action: 'ReceiveMessage', QueueUrl: queueUrl, MaxNumberOfMessages: '10' });
    const handles = texts(received.xml, 'ReceiptHandle');
    const deleted = await postForm(local.gateway.endpoint, {
      Action: 'DeleteMessageBatch',
      QueueUrl: queueUrl,
      'Entries.member.1.Id': 'a',
      'Entries.member.1.ReceiptHandle': handles[0] ?? '',
      'Entries.member.2.Id': 'b',
      'Entries.member.2.ReceiptHandle': 'forged',
    });

    // Assess
    expect(texts(sent.xml, 'Id')).toEqual(['first', 'second']);
    expect(sent.xml).toMatch(/<SendMessageBatchResultEntry><Id>second<\/Id><MessageId>[^<]+<\/MessageId><MD5OfMessageBody>[0-9a-f]{32}<\/MD5OfMessageBody><MD5OfMessageAttributes>/);
    expect(deleted.xml).toContain('<DeleteMessageBatchResultEntry><Id>a</Id></DeleteMessageBatchResultEntry>');
    expect(deleted.xml).toMatch(
      /<BatchResultErrorEntry><Id>b<\/Id><SenderFault>true<\/SenderFault><Code>ReceiptHandleIsInvalid<\/Code><Message>[^<]+<\/Message><\/BatchResultErrorEntry>/,
    );
  });

  it('answers a missing queue with the query error shape and code', async () => {
    // Act
    const { status, xml } = await postForm(local.gateway.endpoint, { Action: 'GetQueueUrl', QueueName: uniqueQueueName('missing') });

    // Assess
    expect(status).toBe(400);
    expect(xml).toMatch(
      /<ErrorResponse xmlns="http:\/\/queue\.amazonaws\.com\/doc\/2012-11-05\/"><Error><Type>Sender<\/Type><Code>AWS\.SimpleQueueService\.NonExistentQueue<\/Code><Message>The specified queue does not exist\.<\/Message><Detail\/><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/,
    );
  });

  it('answers an unknown action with InvalidAction', async () => {
    // Act
    const { status, xml } = await postForm(local.gateway.endpoint, { Action: 'ReticulateSplines' });

    // Assess
    expect(status).toBe(400);
    expect(texts(xml, 'Code')).toEqual(['InvalidAction']);
  });

  it('rejects a non-integer where the query protocol expects an integer', async () => {
    // Prepare
    const queueUrl = await createQueue();

    // Act
    const { status, xml } = await postForm(local.gateway.endpoint, { Action: 'ReceiveMessage', QueueUrl: queueUrl, MaxNumberOfMessages: 'ten' });

    // Assess
    expect(status).toBe(400);
    expect(texts(xml, 'Code')).toEqual(['InvalidParameterValue']);
  });

  it('serves a GET with the parameters in the query string, posted to the queue path without QueueUrl', async () => {
    // Prepare
    const queueUrl = await createQueue();
    const path = new URL(queueUrl).pathname;
    await postForm(local.gateway.endpoint, { Action: 'SendMessage', MessageBody: 'to the path' }, path);

    // Act
    const response = await fetch(`${local.gateway.endpoint}${path}?Action=ReceiveMessage&Version=2012-11-05`);
    const xml = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(texts(xml, 'Body')).toEqual(['to the path']);
  });
});
