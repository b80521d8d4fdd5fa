/**
 * Reading what is parked in a DLQ without consuming it: each message is received with a short
 * visibility timeout (so one read sees each message once), described, and made visible again
 * with ChangeMessageVisibility 0. Nothing here deletes a message.
 *
 * Every receive counts: SQS (AWS, LocalStack and the local cloud alike) adds one to a message's
 * ApproximateReceiveCount each time it is read, `show` and `list` included. The handler's own
 * count, taken when it parked the record, travels in the `receiveCount` attribute and is what
 * `show` reports for parked records.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
 */
import { ChangeMessageVisibilityBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { InspectError } from '#infra/tools/dlq/errors';

/** One parked message, as an operator reads it. */
export interface ParkedMessage {
  readonly messageId: string;
  /** From the handler's `orderId` attribute, else the event's `detail.orderId`. */
  readonly orderId?: string;
  /** The event's `detail-type`, when the body is an EventBridge event. */
  readonly detailType?: string;
  /**
   * Why it is here: the handler's `errorName: errorMessage`, or EventBridge's
   * `ERROR_CODE: ERROR_MESSAGE` with the retry condition it exhausted. Undefined when nothing
   * recorded a reason (SQS's redrive policy moved it after maxReceiveCount receives).
   */
  readonly error?: string;
  /** The parking record's `receiveCount` when the handler parked it, else SQS's ApproximateReceiveCount. */
  readonly receiveCount: number;
  /** Which of the two `receiveCount` is. */
  readonly receiveCountSource: 'parking-record' | 'sqs';
  /** When it was first sent (SentTimestamp); a redrive policy keeps the original time. */
  readonly sentAt: Date;
  /** The step that parked it (handler's `step` attribute). */
  readonly step?: string;
  /** The message id it had in the step's queue (handler's `sourceMessageId` attribute). */
  readonly sourceMessageId?: string;
  /** The rule that could not deliver it (EventBridge's RULE_ARN). */
  readonly ruleArn?: string;
  /** The queue EventBridge could not deliver it to (TARGET_ARN). */
  readonly targetArn?: string;
  /** The queue SQS's redrive policy moved it from (DeadLetterQueueSourceArn). */
  readonly deadLetterSourceArn?: string;
  readonly body: string;
}

/** What a read found. */
export interface PeekResult {
  /** Oldest first. */
  readonly messages: readonly ParkedMessage[];
  /** Messages visible when the read began. */
  readonly visible: number;
  /** Whether every visible message was read (false when `limit` or SQS's sampling cut it short). */
  readonly complete: boolean;
}

/** Options of {@link peekMessages}. */
export interface PeekOptions {
  /** Read at most this many messages. @default 100 */
  readonly limit?: number;
}

/** The handler's parking attributes (`SqsDeadLetterParking`). */
const ParkingAttribute = {
  step: 'step',
  errorName: 'errorName',
  errorMessage: 'errorMessage',
  orderId: 'orderId',
  sourceMessageId: 'sourceMessageId',
  receiveCount: 'receiveCount',
} as const;

/**
 * EventBridge's attributes on a message in a rule target's DLQ.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html
 */
const EventBridgeAttribute = {
  ruleArn: 'RULE_ARN',
  targetArn: 'TARGET_ARN',
  errorCode: 'ERROR_CODE',
  errorMessage: 'ERROR_MESSAGE',
  exhaustedRetryCondition: 'EXHAUSTED_RETRY_CONDITION',
  retryAttempts: 'RETRY_ATTEMPTS',
} as const;

/** Long enough to page through a DLQ without seeing a message twice, short enough that an interrupted read hides nothing for long. */
const HOLD_SECONDS = 30;
const DEFAULT_LIMIT = 100;
/** SQS's maximum per ReceiveMessage and per ChangeMessageVisibilityBatch. */
const SQS_BATCH = 10;

/** Reads up to `limit` messages of the queue and leaves every one of them in it, visible. */
export async function peekMessages(sqs: SQSClient, queueUrl: string, options: PeekOptions = {}): Promise<PeekResult> {
  const limit = options.limit ?? DEFAULT_LIMIT;
  const { Attributes } = await sqs
    .send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages'] }))
    .catch((cause: unknown) => {
      throw new InspectError(`could not read the depth of ${queueUrl}: ${messageOf(cause)}`, { cause, queueUrl });
    });
  const visible = Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  const seen = new Map<string, Message>();
  // Only the latest receipt of a message is valid; a standard queue may deliver one twice.
  const receipts = new Map<string, string>();
  let failure: unknown;
  try {
    while (seen.size < Math.min(limit, visible)) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: Math.min(SQS_BATCH, limit - seen.size),
          VisibilityTimeout: HOLD_SECONDS,
          // A short poll samples a subset of SQS's servers and may come back empty; a long poll asks them all.
          WaitTimeSeconds: 1,
          MessageAttributeNames: ['All'],
          MessageSystemAttributeNames: ['All'],
        }),
      );
      if (Messages === undefined || Messages.length === 0) break;
      for (const message of Messages) {
        if (message.MessageId === undefined || message.ReceiptHandle === undefined) continue;
        seen.set(message.MessageId, message);
        receipts.set(message.MessageId, message.ReceiptHandle);
      }
    }
  } catch (error) {
    failure = error;
  }
  const releaseFailure = await makeVisible(sqs, queueUrl, receipts).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (failure !== undefined || releaseFailure !== undefined) {
    const cause = failure !== undefined && releaseFailure !== undefined ? new AggregateError([failure, releaseFailure]) : (failure ?? releaseFailure);
    const hidden = releaseFailure === undefined ? '' : `; messages read stay hidden for up to ${HOLD_SECONDS} s`;
    throw new InspectError(`could not read the messages of ${queueUrl}: ${messageOf(cause)}${hidden}`, { cause, queueUrl });
  }
  const messages = [...seen.values()].map(describeParkedMessage).sort((a, b) => a.sentAt.getTime() - b.sentAt.getTime());
  return { messages, visible, complete: seen.size >= visible };
}

/** Describes a received DLQ message from its attributes and, for what they lack, its body. */
export function describeParkedMessage(message: Message): ParkedMessage {
  const attribute = (name: string) => message.MessageAttributes?.[name]?.StringValue;
  const system = message.Attributes ?? {};
  const event = eventOf(message.Body ?? '');
  const parkedReceiveCount = attribute(ParkingAttribute.receiveCount);
  const errorName = attribute(ParkingAttribute.errorName);
  const errorCode = attribute(EventBridgeAttribute.errorCode);
  const optional = <K extends string>(key: K, value: string | undefined) => (value === undefined ? {} : ({ [key]: value } as Record<K, string>));
  return {
    messageId: message.MessageId ?? '',
    ...optional('orderId', attribute(ParkingAttribute.orderId) ?? event?.orderId),
    ...optional('detailType', event?.detailType),
    ...optional('error', errorName !== undefined ? `${errorName}: ${attribute(ParkingAttribute.errorMessage) ?? ''}` : errorCode !== undefined ? deliveryError(errorCode, attribute) : undefined),
    receiveCount: Number(parkedReceiveCount ?? system.ApproximateReceiveCount ?? 0),
    receiveCountSource: parkedReceiveCount === undefined ? 'sqs' : 'parking-record',
    sentAt: new Date(Number(system.SentTimestamp ?? 0)),
    ...optional('step', attribute(ParkingAttribute.step)),
    ...optional('sourceMessageId', attribute(ParkingAttribute.sourceMessageId)),
    ...optional('ruleArn', attribute(EventBridgeAttribute.ruleArn)),
    ...optional('targetArn', attribute(EventBridgeAttribute.targetArn)),
    ...optional('deadLetterSourceArn', system.DeadLetterQueueSourceArn),
    body: message.Body ?? '',
  };
}

/** `ERROR_CODE: ERROR_MESSAGE (EXHAUSTED_RETRY_CONDITION after N retries)`. */
function deliveryError(errorCode: string, attribute: (name: string) => string | undefined): string {
  const condition = attribute(EventBridgeAttribute.exhaustedRetryCondition);
  const retries = attribute(EventBridgeAttribute.retryAttempts);
  const exhausted = condition === undefined ? '' : ` (${condition}${retries === undefined ? '' : ` after ${retries} retries`})`;
  return `${errorCode}: ${attribute(EventBridgeAttribute.errorMessage) ?? ''}${exhausted}`;
}

/** The order id and detail-type of an EventBridge event body; undefined for any other body. */
function eventOf(body: string): { orderId?: string; detailType?: string } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    // Not JSON: a body the pipeline never produced, shown as it is.
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { detail, 'detail-type': detailType } = parsed as { detail?: { orderId?: unknown } | null; 'detail-type'?: unknown };
  const orderId = detail?.orderId;
  return { ...(typeof orderId === 'string' ? { orderId } : {}), ...(typeof detailType === 'string' ? { detailType } : {}) };
}

/** ChangeMessageVisibility 0 for every receipt, in batches; fails if any entry failed. */
async function makeVisible(sqs: SQSClient, queueUrl: string, receipts: ReadonlyMap<string, string>): Promise<void> {
  const entries = [...receipts.values()].map((receiptHandle, index) => ({ Id: String(index), ReceiptHandle: receiptHandle, VisibilityTimeout: 0 }));
  for (let start = 0; start < entries.length; start += SQS_BATCH) {
    const { Failed } = await sqs.send(new ChangeMessageVisibilityBatchCommand({ QueueUrl: queueUrl, Entries: entries.slice(start, start + SQS_BATCH) }));
    if (Failed !== undefined && Failed.length > 0) {
      throw new Error(`${Failed.length} message(s) could not be made visible again: ${Failed.map((entry) => `${entry.Code}: ${entry.Message}`).join('; ')}`);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof AggregateError ? error.errors.map(messageOf).join('; ') : error instanceof Error ? error.message : String(error);
}
