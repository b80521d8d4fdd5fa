/**
 * Turns a received SQS message into the record Lambda puts in an SQS event: lower-camel field
 * names, system attributes as strings, message attributes with `stringValue`/`binaryValue`.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html#example-standard-queue-message-event
 */
import type { SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import type { SqsMessage, SqsMessageAttributeValue } from './sqs-polling-port.ts';

/** The queue a record came from. */
export interface SqsRecordSource {
  readonly queueArn: string;
  readonly region: string;
}

/** The Lambda SQS event record for `message`. */
export function toSqsRecord(message: SqsMessage, source: SqsRecordSource): SQSRecord {
  const {
    ApproximateReceiveCount = '',
    SentTimestamp = '',
    SenderId = '',
    ApproximateFirstReceiveTimestamp = '',
    ...otherAttributes
  } = message.Attributes ?? {};
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: { ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...otherAttributes },
    messageAttributes: toMessageAttributes(message.MessageAttributes ?? {}),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: source.queueArn,
    awsRegion: source.region,
  };
  if (message.MD5OfMessageAttributes !== undefined) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

function toMessageAttributes(attributes: Readonly<Record<string, SqsMessageAttributeValue>>): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(attributes)) {
    result[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined ? {} : { binaryValue: toBase64(value.BinaryValue) }),
      // Reserved by SQS and always empty, but Lambda includes them.
      stringListValues: [...(value.StringListValues ?? [])],
      binaryListValues: (value.BinaryListValues ?? []).map((item) => toBase64(item as Uint8Array | string)),
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
}

/** Binary values travel as base64 text in a Lambda event. */
function toBase64(value: Uint8Array | string): string {
  return typeof value === 'string' ? value : Buffer.from(value).toString('base64');
}
