import type { AwsServiceRegistration, JsonOperationHandler } from '#cloud/gateway-registration';
import { SqsErrors } from '#cloud/sqs/errors';
import { sqsQueryBinding } from '#cloud/sqs/query-protocol';
import type { SqsService } from '#cloud/sqs/sqs-service';

/**
 * The SQS operation table: operation name -> the service method serving it. Both protocols
 * dispatch through it, the query protocol after translating its form parameters into the
 * same JSON-shaped input.
 */
export function sqsOperations(sqs: SqsService): Readonly<Record<string, JsonOperationHandler>> {
  // Inputs are untyped JSON here; every service method validates what it reads.
  const serve =
    <I, O>(method: (input: I) => O): JsonOperationHandler =>
    (input) =>
      method.call(sqs, input as I);
  return {
    CreateQueue: serve(sqs.createQueue),
    DeleteQueue: serve(sqs.deleteQueue),
    GetQueueUrl: serve(sqs.getQueueUrl),
    GetQueueAttributes: serve(sqs.getQueueAttributes),
    SetQueueAttributes: serve(sqs.setQueueAttributes),
    ListQueues: serve(sqs.listQueues),
    PurgeQueue: serve(sqs.purgeQueue),
    SendMessage: serve(sqs.sendMessage),
    SendMessageBatch: serve(sqs.sendMessageBatch),
    ReceiveMessage: serve(sqs.receiveMessage),
    DeleteMessage: serve(sqs.deleteMessage),
    DeleteMessageBatch: serve(sqs.deleteMessageBatch),
    ChangeMessageVisibility: serve(sqs.changeMessageVisibility),
    ChangeMessageVisibilityBatch: serve(sqs.changeMessageVisibilityBatch),
    ListDeadLetterSourceQueues: serve(sqs.listDeadLetterSourceQueues),
    TagQueue: serve(sqs.tagQueue),
    UntagQueue: serve(sqs.untagQueue),
    ListQueueTags: serve(sqs.listQueueTags),
    StartMessageMoveTask: serve(sqs.startMessageMoveTask),
    CancelMessageMoveTask: serve(sqs.cancelMessageMoveTask),
    ListMessageMoveTasks: serve(sqs.listMessageMoveTasks),
  };
}

/**
 * The gateway registration of an SQS service: the AWS JSON protocol (`AmazonSQS.*`, what
 * SDK v3 speaks) and the query protocol (`Action=…&Version=2012-11-05`, older SDKs and CLIs),
 * both serving `operations` (the service's own table, or one wrapped, e.g. to authorize calls).
 *
 * @example
 * gateway.register(sqsRegistration(new SqsService({ endpoint: gateway.endpoint })));
 */
export function sqsRegistration(sqs: SqsService, operations: Readonly<Record<string, JsonOperationHandler>> = sqsOperations(sqs)): AwsServiceRegistration {
  return {
    name: 'sqs',
    json: {
      targetPrefix: 'AmazonSQS',
      jsonVersion: '1.0',
      operations,
      // SQS is "awsQueryCompatible": SDK v3 maps errors by the x-amzn-query-error header.
      queryCompatible: true,
      unsupportedOperation: (operation) => SqsErrors.unsupportedOperation(operation),
    },
    query: sqsQueryBinding(operations),
  };
}
