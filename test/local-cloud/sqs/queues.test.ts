import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  QueueDoesNotExist,
  QueueNameExists,
  SendMessageCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
  UnsupportedOperation,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createQueue, failureOf, messageCounts, startLocalSqs, uniqueQueueName, type LocalSqs } from '#test/local-cloud/sqs/local-sqs';

describe('local SQS queues (SDK v3 over the gateway)', () => {
  let local: LocalSqs;

  beforeAll(async () => {
    local = await startLocalSqs();
  });

  afterAll(async () => {
    await local.close();
  });

  it('creates a queue whose URL points at the gateway and can be found by name and prefix', async () => {
    // Prepare
    const name = uniqueQueueName('inventory');
    await createQueue(local.client, {}, uniqueQueueName('payments'));

    // Act
    const { QueueUrl } = await local.client.send(new CreateQueueCommand({ QueueName: name }));
    const byName = await local.client.send(new GetQueueUrlCommand({ QueueName: name }));
    const listed = await local.client.send(new ListQueuesCommand({ QueueNamePrefix: 'inventory-' }));

    // Assess
    expect(QueueUrl).toBe(`${local.gateway.endpoint}/000000000000/${name}`);
    expect(byName.QueueUrl).toBe(QueueUrl);
    expect(listed.QueueUrls).toContain(QueueUrl);
    expect(listed.QueueUrls?.every((url) => url.includes('/inventory-'))).toBe(true);
  });

  it('returns the existing queue for a repeated CreateQueue with the same attributes', async () => {
    // Prepare
    const name = uniqueQueueName();
    const first = await createQueue(local.client, { VisibilityTimeout: '45' }, name);

    // Act
    const second = await createQueue(local.client, { VisibilityTimeout: '45' }, name);

    // Assess
    expect(second).toBe(first);
  });

  it('rejects a CreateQueue that changes an attribute of an existing queue', async () => {
    // Prepare
    const name = uniqueQueueName();
    await createQueue(local.client, { VisibilityTimeout: '45' }, name);

    // Act
    const creating = await failureOf(local.client.send(new CreateQueueCommand({ QueueName: name, Attributes: { VisibilityTimeout: '60' } })));

    // Assess
    expect(creating).toBeInstanceOf(QueueNameExists);
  });

  it('reports defaults, settings and computed attributes for All', async () => {
    // Prepare
    const redrivePolicy = { deadLetterTargetArn: 'arn:aws:sqs:us-east-1:000000000000:missing', maxReceiveCount: 3 };
    const queueUrl = await createQueue(local.client, { DelaySeconds: '2', KmsMasterKeyId: 'alias/aws/sqs' });
    await local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'delayed' }));

    // Act
    const { Attributes } = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    const redriveToMissing = await failureOf(local.client.send(
      new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { RedrivePolicy: JSON.stringify(redrivePolicy) } }),
    ));

    // Assess
    expect(Attributes).toMatchObject({
      QueueArn: `arn:aws:sqs:us-east-1:000000000000:${queueUrl.split('/').at(-1)}`,
      VisibilityTimeout: '30',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      DelaySeconds: '2',
      KmsMasterKeyId: 'alias/aws/sqs',
      KmsDataKeyReusePeriodSeconds: '300',
      SqsManagedSseEnabled: 'false',
      ApproximateNumberOfMessages: '0',
      ApproximateNumberOfMessagesNotVisible: '0',
      ApproximateNumberOfMessagesDelayed: '1',
    });
    expect(Number(Attributes?.CreatedTimestamp)).toBeCloseTo(Date.now() / 1000, -1);
    expect(redriveToMissing).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('returns only the named attributes and rejects unknown names', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    const { Attributes } = await local.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout', 'ApproximateNumberOfMessages'] }),
    );
    const unknown = await failureOf(local.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ContentBasedDeduplication'] }),
    ));

    // Assess
    expect(Attributes).toEqual({ VisibilityTimeout: '30', ApproximateNumberOfMessages: '0' });
    expect(unknown).toMatchObject({ name: 'InvalidAttributeName' });
  });

  it('changes attributes with SetQueueAttributes and validates their ranges', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    await local.client.send(new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '120' } }));
    const tooLong = await failureOf(local.client.send(
      new SetQueueAttributesCommand({ QueueUrl: queueUrl, Attributes: { VisibilityTimeout: '43201' } }),
    ));
    const { Attributes } = await local.client.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['VisibilityTimeout'] }),
    );

    // Assess
    expect(Attributes?.VisibilityTimeout).toBe('120');
    expect(tooLong).toMatchObject({ name: 'InvalidAttributeValue' });
  });

  it('accepts a queue URL with another host, or a plain queue name', async () => {
    // Prepare
    const name = uniqueQueueName();
    await createQueue(local.client, {}, name);
    const foreignHostUrl = `http://sqs.us-east-1.localhost.localstack.cloud:4566/000000000000/${name}`;

    // Act
    const byForeignUrl = local.sqs.getQueueAttributes({ QueueUrl: foreignHostUrl, AttributeNames: ['QueueArn'] });
    const byName = await local.client.send(new GetQueueAttributesCommand({ QueueUrl: name, AttributeNames: ['QueueArn'] }));

    // Assess
    expect(byForeignUrl.Attributes?.QueueArn).toBe(`arn:aws:sqs:us-east-1:000000000000:${name}`);
    expect(byName.Attributes?.QueueArn).toBe(byForeignUrl.Attributes?.QueueArn);
  });

  it('maps a missing queue to the SDK QueueDoesNotExist exception', async () => {
    // Act
    const sending = await failureOf(local.client.send(
      new SendMessageCommand({ QueueUrl: `${local.gateway.endpoint}/000000000000/${uniqueQueueName('gone')}`, MessageBody: 'x' }),
    ));

    // Assess
    expect(sending).toBeInstanceOf(QueueDoesNotExist);
    expect(sending).toMatchObject({ Code: 'AWS.SimpleQueueService.NonExistentQueue', $fault: 'client' });
  });

  it('deletes a queue', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    await local.client.send(new DeleteQueueCommand({ QueueUrl: queueUrl }));

    // Assess
    expect(await failureOf(local.client.send(new GetQueueUrlCommand({ QueueName: queueUrl.split('/').at(-1) })))).toBeInstanceOf(
      QueueDoesNotExist,
    );
  });

  it('pages ListQueues with MaxResults and NextToken', async () => {
    // Prepare
    const prefix = uniqueQueueName('paged');
    for (const suffix of ['a', 'b', 'c']) await createQueue(local.client, {}, `${prefix}-${suffix}`);

    // Act
    const first = await local.client.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2 }));
    const second = await local.client.send(
      new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 2, NextToken: first.NextToken }),
    );

    // Assess
    expect(first.QueueUrls?.map((url) => url.split('-').at(-1))).toEqual(['a', 'b']);
    expect(second.QueueUrls?.map((url) => url.split('-').at(-1))).toEqual(['c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('tags, lists and untags a queue', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    await local.client.send(new TagQueueCommand({ QueueUrl: queueUrl, Tags: { team: 'orders', stage: 'local' } }));
    await local.client.send(new UntagQueueCommand({ QueueUrl: queueUrl, TagKeys: ['stage'] }));
    const { Tags } = await local.client.send(new ListQueueTagsCommand({ QueueUrl: queueUrl }));

    // Assess
    expect(Tags).toEqual({ team: 'orders' });
  });

  it('purges a queue, once per 60 seconds', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);
    await local.client.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'x' }));

    // Act
    await local.client.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
    const secondPurge = await failureOf(local.client.send(new PurgeQueueCommand({ QueueUrl: queueUrl })));

    // Assess
    expect(await messageCounts(local.client, queueUrl)).toEqual({ visible: 0, inFlight: 0, delayed: 0 });
    expect(secondPurge).toMatchObject({ name: 'PurgeQueueInProgress', $metadata: { httpStatusCode: 403 } });
  });

  it('rejects invalid queue names', async () => {
    // Act
    const creating = await failureOf(local.client.send(new CreateQueueCommand({ QueueName: 'orders queue!' })));

    // Assess
    expect(creating).toMatchObject({ name: 'InvalidParameterValue' });
  });

  it('answers an operation it does not implement with UnsupportedOperation', async () => {
    // Prepare
    const queueUrl = await createQueue(local.client);

    // Act
    const adding = await failureOf(local.client.send(
      new AddPermissionCommand({ QueueUrl: queueUrl, Label: 'l', AWSAccountIds: ['111111111111'], Actions: ['SendMessage'] }),
    ));

    // Assess
    expect(adding).toBeInstanceOf(UnsupportedOperation);
  });
});
