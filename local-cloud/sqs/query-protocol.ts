import {
  decodeQueryParameters,
  encodeQueryResponse,
  type QueryShape,
  type QueryStructureShape,
} from '#cloud/gateway-query-codec';
import type { JsonOperationHandler, QueryActionHandler, QueryProtocolBinding } from '#cloud/gateway-registration';

/**
 * The SQS query protocol (API version 2012-11-05): how each action's form parameters map to
 * the JSON-protocol input and how its output is written as XML. Names follow the SQS model:
 * every list and map is flattened under its `xmlName` (`AttributeName.1`,
 * `MessageAttribute.1.Value.StringValue`, `SendMessageBatchRequestEntry.1.Id`).
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-making-api-requests-xml.html
 */

/** XML namespace of SQS query responses. */
const SQS_XML_NAMESPACE = 'http://queue.amazonaws.com/doc/2012-11-05/';

/** The SQS API version query requests carry. */
const SQS_API_VERSION = '2012-11-05';

const string: QueryShape = { type: 'string' };
const integer: QueryShape = { type: 'integer' };
const boolean: QueryShape = { type: 'boolean' };
const structure = (members: Record<string, QueryShape>): QueryStructureShape => ({ type: 'structure', members });
const flatList = (flattenedName: string, member: QueryShape): QueryShape => ({ type: 'list', member, flattenedName });
const flatMap = (flattenedName: string, value: QueryShape, keyName = 'Name'): QueryShape => ({
  type: 'map',
  value,
  flattenedName,
  keyName,
  valueName: 'Value',
});

const queueAttributes = flatMap('Attribute', string);
const tags = flatMap('Tag', string, 'Key');
const attributeValue = structure({ StringValue: string, BinaryValue: string, DataType: string });
const messageToSend = {
  MessageBody: string,
  DelaySeconds: integer,
  MessageAttributes: flatMap('MessageAttribute', attributeValue),
  MessageSystemAttributes: flatMap('MessageSystemAttribute', attributeValue),
  MessageDeduplicationId: string,
  MessageGroupId: string,
};
const sendResult = {
  MessageId: string,
  MD5OfMessageBody: string,
  MD5OfMessageAttributes: string,
  MD5OfMessageSystemAttributes: string,
  SequenceNumber: string,
};
const batchError = flatList('BatchResultErrorEntry', structure({ Id: string, SenderFault: boolean, Code: string, Message: string }));
const queueUrl = { QueueUrl: string };

/** Input and output shapes per action; no output shape means the action returns nothing. */
const SQS_QUERY_SHAPES: Readonly<Record<string, { readonly input: QueryStructureShape; readonly output?: QueryStructureShape }>> = {
  CreateQueue: { input: structure({ QueueName: string, Attributes: queueAttributes, tags }), output: structure(queueUrl) },
  DeleteQueue: { input: structure(queueUrl) },
  GetQueueUrl: { input: structure({ QueueName: string, QueueOwnerAWSAccountId: string }), output: structure(queueUrl) },
  GetQueueAttributes: {
    input: structure({ ...queueUrl, AttributeNames: flatList('AttributeName', string) }),
    output: structure({ Attributes: queueAttributes }),
  },
  SetQueueAttributes: { input: structure({ ...queueUrl, Attributes: queueAttributes }) },
  ListQueues: {
    input: structure({ QueueNamePrefix: string, MaxResults: integer, NextToken: string }),
    output: structure({ QueueUrls: flatList('QueueUrl', string), NextToken: string }),
  },
  PurgeQueue: { input: structure(queueUrl) },
  SendMessage: { input: structure({ ...queueUrl, ...messageToSend }), output: structure(sendResult) },
  SendMessageBatch: {
    input: structure({ ...queueUrl, Entries: flatList('SendMessageBatchRequestEntry', structure({ Id: string, ...messageToSend })) }),
    output: structure({
      Successful: flatList('SendMessageBatchResultEntry', structure({ Id: string, ...sendResult })),
      Failed: batchError,
    }),
  },
  ReceiveMessage: {
    input: structure({
      ...queueUrl,
      AttributeNames: flatList('AttributeName', string),
      MessageSystemAttributeNames: flatList('AttributeName', string),
      MessageAttributeNames: flatList('MessageAttributeName', string),
      MaxNumberOfMessages: integer,
      VisibilityTimeout: integer,
      WaitTimeSeconds: integer,
      ReceiveRequestAttemptId: string,
    }),
    output: structure({
      Messages: flatList(
        'Message',
        structure({
          MessageId: string,
          ReceiptHandle: string,
          MD5OfBody: string,
          Body: string,
          Attributes: queueAttributes,
          MD5OfMessageAttributes: string,
          MessageAttributes: flatMap('MessageAttribute', attributeValue),
        }),
      ),
    }),
  },
  DeleteMessage: { input: structure({ ...queueUrl, ReceiptHandle: string }) },
  DeleteMessageBatch: {
    input: structure({ ...queueUrl, Entries: flatList('DeleteMessageBatchRequestEntry', structure({ Id: string, ReceiptHandle: string })) }),
    output: structure({ Successful: flatList('DeleteMessageBatchResultEntry', structure({ Id: string })), Failed: batchError }),
  },
  ChangeMessageVisibility: { input: structure({ ...queueUrl, ReceiptHandle: string, VisibilityTimeout: integer }) },
  ChangeMessageVisibilityBatch: {
    input: structure({
      ...queueUrl,
      Entries: flatList(
        'ChangeMessageVisibilityBatchRequestEntry',
        structure({ Id: string, ReceiptHandle: string, VisibilityTimeout: integer }),
      ),
    }),
    output: structure({
      Successful: flatList('ChangeMessageVisibilityBatchResultEntry', structure({ Id: string })),
      Failed: batchError,
    }),
  },
  ListDeadLetterSourceQueues: {
    input: structure({ ...queueUrl, MaxResults: integer, NextToken: string }),
    output: structure({ queueUrls: flatList('QueueUrl', string), NextToken: string }),
  },
  TagQueue: { input: structure({ ...queueUrl, Tags: tags }) },
  UntagQueue: { input: structure({ ...queueUrl, TagKeys: flatList('TagKey', string) }) },
  ListQueueTags: { input: structure(queueUrl), output: structure({ Tags: tags }) },
  StartMessageMoveTask: {
    input: structure({ SourceArn: string, DestinationArn: string, MaxNumberOfMessagesPerSecond: integer }),
    output: structure({ TaskHandle: string }),
  },
  CancelMessageMoveTask: { input: structure({ TaskHandle: string }), output: structure({ ApproximateNumberOfMessagesMoved: integer }) },
  ListMessageMoveTasks: {
    input: structure({ SourceArn: string, MaxResults: integer }),
    output: structure({
      Results: flatList(
        'ListMessageMoveTasksResultEntry',
        structure({
          TaskHandle: string,
          Status: string,
          SourceArn: string,
          DestinationArn: string,
          MaxNumberOfMessagesPerSecond: integer,
          ApproximateNumberOfMessagesMoved: integer,
          ApproximateNumberOfMessagesToMove: integer,
          FailureReason: string,
          StartedTimestamp: integer,
        }),
      ),
    }),
  },
};

/** A queue path as clients post to it: `/<12-digit account>/<queue name>`. */
const QUEUE_PATH = /^\/\d{12}\/[A-Za-z0-9_-]+(\.fifo)?\/?$/;

/**
 * The query-protocol binding of SQS over its operation table. Requests are claimed by
 * `Version=2012-11-05`, or without a Version when posted to a queue path. Old clients post
 * to the queue URL without a QueueUrl parameter: the path then names the queue.
 */
export function sqsQueryBinding(operations: Readonly<Record<string, JsonOperationHandler>>): QueryProtocolBinding {
  const actions: Record<string, QueryActionHandler> = {};
  for (const [action, shapes] of Object.entries(SQS_QUERY_SHAPES)) {
    const operation = operations[action];
    if (operation === undefined) continue;
    actions[action] = async (params, context) => {
      const input = decodeQueryParameters(params, shapes.input);
      if ('QueueUrl' in shapes.input.members && input.QueueUrl === undefined && QUEUE_PATH.test(context.path)) {
        input.QueueUrl = context.path;
      }
      const output = await operation(input, context);
      return encodeQueryResponse(action, SQS_XML_NAMESPACE, context.requestId, output, shapes.output);
    };
  }
  return {
    xmlNamespace: SQS_XML_NAMESPACE,
    matches: (params, context) => {
      const version = params.get('Version');
      return version === undefined ? QUEUE_PATH.test(context.path) : version === SQS_API_VERSION;
    },
    actions,
  };
}
