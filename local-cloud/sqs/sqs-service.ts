import { AwsServiceError } from '#cloud/aws-error';
import type { CompiledStatement } from '#cloud/iam/policy';
import { ChangeLog, type DeepReadonly } from '#cloud/persistence/change-log';
import type { Journal } from '#cloud/persistence/journal';
import { sqsStateModel, type SqsChange } from '#cloud/sqs/changes';
import { MessageSystemAttributeNames, SqsDefaults, SqsLimits, type MessageSystemAttributeName } from '#cloud/sqs/constants';
import { SqsErrors } from '#cloud/sqs/errors';
import { md5OfBody, md5OfMessageAttributes } from '#cloud/sqs/md5';
import { MessageMoveTasks } from '#cloud/sqs/message-move-tasks';
import { Queue, type Delivery, type NewMessage } from '#cloud/sqs/queue';
import { applyQueueAttributes, defaultQueueAttributes, isReadableAttribute, readRedrivePolicy } from '#cloud/sqs/queue-attributes';
import { compileQueuePolicy, POLICY_ATTRIBUTE } from '#cloud/sqs/queue-policy';
import { decodeReceiptHandle } from '#cloud/sqs/receipt-handle';
import { newQueueState, type QueueState, type SqsState, type StoredMessage } from '#cloud/sqs/state';
import type {
  BatchOutput,
  BatchResultErrorEntry,
  CancelMessageMoveTaskInput,
  CancelMessageMoveTaskOutput,
  ChangeMessageVisibilityBatchInput,
  ChangeMessageVisibilityInput,
  CreateQueueInput,
  DeleteMessageBatchInput,
  DeleteMessageInput,
  EmptyOutput,
  GetQueueAttributesInput,
  GetQueueAttributesOutput,
  GetQueueUrlInput,
  ListDeadLetterSourceQueuesInput,
  ListDeadLetterSourceQueuesOutput,
  ListMessageMoveTasksInput,
  ListMessageMoveTasksOutput,
  ListQueuesInput,
  ListQueuesOutput,
  ListQueueTagsOutput,
  MessageAttributeMap,
  MessageToSend,
  QueueInput,
  QueueUrlOutput,
  ReceivedMessage,
  ReceiveMessageInput,
  ReceiveMessageOutput,
  SendMessageBatchInput,
  SendMessageBatchOutput,
  SendMessageInput,
  SendMessageOutput,
  SetQueueAttributesInput,
  StartMessageMoveTaskInput,
  StartMessageMoveTaskOutput,
  TagQueueInput,
  UntagQueueInput,
} from '#cloud/sqs/types';
import {
  byteLength,
  optionalInteger,
  optionalString,
  optionalStringList,
  optionalStringMap,
  requiredInteger,
  requiredString,
  validateBatchEntries,
  validateFifoId,
  validateMessageAttributes,
  validateMessageBody,
  validateMessageSystemAttributes,
  validateQueueName,
} from '#cloud/sqs/validation';

/** A message as {@link SqsService.peekMessages} shows it. */
export interface PeekedMessage {
  readonly messageId: string;
  readonly body: string;
  readonly messageAttributes: MessageAttributeMap;
  /** Epoch ms of the first send. */
  readonly sentTimestamp: number;
  readonly receiveCount: number;
  readonly state: 'visible' | 'in-flight' | 'delayed';
  /** The queue SQS dead-lettered it from. */
  readonly deadLetterQueueSourceArn?: string;
}

/** A queue's depth and the age of its oldest message. */
export interface QueueStatistics {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
  readonly oldestAgeSeconds: number;
}

/** Options of {@link SqsService}. */
export interface SqsServiceOptions {
  /** Base URL of queue URLs; SDK v3 sends each call to its queue URL's host, so use the gateway's. @default 'http://127.0.0.1:4566' */
  readonly endpoint?: string;
  /** Region in queue ARNs. @default 'us-east-1' */
  readonly region?: string;
  /** Account id in queue URLs and ARNs. @default '000000000000' */
  readonly accountId?: string;
  /** Clock, epoch ms. @default Date.now */
  readonly now?: () => number;
  /**
   * Keeps the queues, their messages (in flight ones included, with their receipts and
   * visibility deadlines), FIFO deduplication and move tasks on disk: a directory, where the
   * journal `sqs.journal` and snapshot `sqs.snapshot` live, or a journal opened by the caller
   * (the service owns it from then on, and closes it in `close()`).
   * Every change is written before the operation that made it answers, so the state survives
   * the process being killed; a new service on the same directory picks it up. Long polls in
   * progress are not kept: their connections die with the process.
   * @default in memory only
   */
  readonly persistence?: string | Journal<readonly SqsChange[]>;
  /**
   * Told of every message a queue takes in: sent to it, or dead-lettered into it by a redrive
   * policy (`deadLetterSourceArn`). For the cloud's console, which records what lands in a DLQ;
   * without it nothing is built for the telling.
   */
  readonly onMessageArrived?: (arrival: MessageArrival) => void;
}

/** A message a queue took in. */
export interface MessageArrival {
  readonly queueName: string;
  readonly message: DeepReadonly<StoredMessage>;
  /** The queue SQS moved it from after `maxReceiveCount` receives; absent for a send. */
  readonly deadLetterSourceArn?: string;
}

/**
 * The local SQS: one method per SQS operation, taking and returning the AWS JSON-protocol
 * shapes. The gateway serves it over HTTP; other local services call it in process
 * (EventBridge targets `sendMessage`, Lambda event source mappings `receiveMessage` and
 * `deleteMessageBatch`). Queues are addressed by URL (any host) or by plain name.
 *
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/Welcome.html
 */
export class SqsService {
  /** Region in ARNs. */
  readonly region: string;
  /** Account id in URLs and ARNs. */
  readonly accountId: string;
  private readonly endpoint: string;
  /** What every queue ARN here starts with: `arn:aws:sqs:<region>:<account>:`. */
  private readonly arnPrefix: string;
  private readonly now: () => number;
  /** The state and the journal of its changes (in memory only, without persistence). */
  private readonly changes: ChangeLog<SqsState, SqsChange>;
  /** The live queue of each queue state: long polls wait on it, so it lives as long as its state. */
  private readonly views = new WeakMap<DeepReadonly<QueueState>, Queue>();
  private readonly moveTasks: MessageMoveTasks;
  private readonly onMessageArrived: ((arrival: MessageArrival) => void) | undefined;
  /** Each queue's Policy attribute compiled, with the text it was compiled from: compiled once per change, not per call. */
  private readonly compiledPolicies = new WeakMap<DeepReadonly<QueueState>, { readonly text: string; readonly statements: readonly CompiledStatement[] }>();

  constructor(options: SqsServiceOptions = {}) {
    this.endpoint = (options.endpoint ?? SqsDefaults.endpoint).replace(/\/+$/, '');
    this.region = options.region ?? SqsDefaults.region;
    this.accountId = options.accountId ?? SqsDefaults.accountId;
    this.arnPrefix = `arn:aws:sqs:${this.region}:${this.accountId}:`;
    this.now = options.now ?? Date.now;
    this.onMessageArrived = options.onMessageArrived;
    this.changes = ChangeLog.open(sqsStateModel, { persistence: options.persistence });
    this.moveTasks = new MessageMoveTasks({
      now: this.now,
      queueByArn: (arn) => this.queueByArn(arn),
      isDeadLetterQueue: (arn) => [...this.changes.state.queues.values()].some((queue) => readRedrivePolicy(queue.attributes)?.deadLetterTargetArn === arn),
      tasks: this.changes.state.moveTasks,
      changes: this.changes,
    });
    this.moveTasks.resume();
  }

  /** URL of the queue with this name, e.g. `http://127.0.0.1:4566/000000000000/orders`. */
  queueUrl(queueName: string): string {
    return `${this.endpoint}/${this.accountId}/${queueName}`;
  }

  /** ARN of the queue with this name, e.g. `arn:aws:sqs:us-east-1:000000000000:orders`. */
  queueArn(queueName: string): string {
    return `${this.arnPrefix}${queueName}`;
  }

  /**
   * CreateQueue. Creating an existing queue returns its URL, unless an attribute given now
   * differs from the queue's (`QueueNameExists`).
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
   */
  createQueue(input: CreateQueueInput): QueueUrlOutput {
    const name = requiredString(input.QueueName, 'QueueName');
    const requested = optionalStringMap(input.Attributes, 'Attributes') ?? {};
    const tags = optionalStringMap(input.tags, 'tags') ?? {};
    const fifo = requested.FifoQueue === 'true';
    validateQueueName(name, fifo);
    const arn = this.queueArn(name);
    const policy = this.validatePolicy(name, requested);
    const attributes = applyQueueAttributes(defaultQueueAttributes(fifo), requested, {
      arn,
      fifo,
      creating: true,
      deadLetterQueue: (dlqArn) => this.deadLetterFacts(dlqArn),
    });
    const existing = this.changes.state.queues.get(name);
    if (existing !== undefined) {
      const differing = Object.keys(requested).find((key) => attributes[key] !== existing.attributes[key]);
      if (differing !== undefined) throw SqsErrors.queueNameExists(differing);
      return { QueueUrl: this.queueUrl(name) };
    }
    this.changes.commit({ type: 'queue-created', queue: newQueueState(name, arn, attributes, { ...tags }, this.now()) });
    this.keepCompiledPolicy(this.changes.state.queues.get(name), policy);
    return { QueueUrl: this.queueUrl(name) };
  }

  /** DeleteQueue: the queue and its messages go at once; its long polls return empty. */
  deleteQueue(input: QueueInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    this.changes.commit({ type: 'queue-deleted', queue: queue.name });
    queue.close();
    return {};
  }

  /** GetQueueUrl. */
  getQueueUrl(input: GetQueueUrlInput): QueueUrlOutput {
    const name = requiredString(input.QueueName, 'QueueName');
    const owner = optionalString(input.QueueOwnerAWSAccountId, 'QueueOwnerAWSAccountId');
    if ((owner !== undefined && owner !== this.accountId) || !this.changes.state.queues.has(name)) throw SqsErrors.queueDoesNotExist();
    return { QueueUrl: this.queueUrl(name) };
  }

  /**
   * GetQueueAttributes: `All` or the named attributes; none named returns none.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
   */
  getQueueAttributes(input: GetQueueAttributesInput): GetQueueAttributesOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const names = optionalStringList(input.AttributeNames, 'AttributeNames') ?? [];
    if (names.length === 0) return {};
    const all = this.allAttributes(queue);
    if (names.includes('All')) return { Attributes: all };
    const selected: Record<string, string> = {};
    for (const name of names) {
      if (!isReadableAttribute(name, queue.fifo)) throw SqsErrors.invalidAttributeName(name);
      const value = all[name];
      if (value !== undefined) selected[name] = value;
    }
    return Object.keys(selected).length > 0 ? { Attributes: selected } : {};
  }

  /** SetQueueAttributes. */
  setQueueAttributes(input: SetQueueAttributesInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const changes = optionalStringMap(input.Attributes, 'Attributes');
    if (changes === undefined) throw SqsErrors.missingParameter('Attributes');
    const policy = this.validatePolicy(queue.name, changes);
    const attributes = applyQueueAttributes(queue.state.attributes, changes, {
      arn: queue.arn,
      fifo: queue.fifo,
      creating: false,
      deadLetterQueue: (dlqArn) => this.deadLetterFacts(dlqArn),
    });
    queue.setAttributes(attributes, this.now());
    this.keepCompiledPolicy(queue.state, policy);
    return {};
  }

  /**
   * The resource-based policy of the queue with this ARN: its `Policy` attribute, compiled once
   * per change of the attribute (a restored queue's on first use); undefined for a queue
   * without a policy, or no such queue. The local cloud's access control evaluates it for every
   * SQS action on the queue.
   */
  queuePolicy(queueArn: string): readonly CompiledStatement[] | undefined {
    // Asked at every authorized call: the state is read directly, without building the queue's view.
    const state = queueArn.startsWith(this.arnPrefix) ? this.changes.state.queues.get(queueArn.slice(this.arnPrefix.length)) : undefined;
    const text = state?.attributes[POLICY_ATTRIBUTE];
    if (state === undefined || text === undefined) return undefined;
    const compiled = this.compiledPolicies.get(state);
    if (compiled?.text === text) return compiled.statements;
    const statements = compileQueuePolicy(state.name, text);
    this.compiledPolicies.set(state, { text, statements });
    return statements;
  }

  /** ListQueues, by name prefix; `MaxResults` (1-1000) turns on paging with `NextToken`. */
  listQueues(input: ListQueuesInput): ListQueuesOutput {
    const prefix = optionalString(input.QueueNamePrefix, 'QueueNamePrefix') ?? '';
    const names = [...this.changes.state.queues.keys()].filter((name) => name.startsWith(prefix)).sort();
    const page = paginate(names, input.MaxResults, input.NextToken);
    return {
      ...(page.items.length > 0 ? { QueueUrls: page.items.map((name) => this.queueUrl(name)) } : {}),
      ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
    };
  }

  /**
   * PurgeQueue: deletes every message. AWS allows one purge per queue every 60 seconds.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
   */
  purgeQueue(input: QueueInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const now = this.now();
    const last = queue.state.lastPurgeAt;
    if (last !== undefined && now - last < SqsLimits.purgeIntervalMs) throw SqsErrors.purgeQueueInProgress(queue.name);
    queue.purge(now);
    return {};
  }

  /**
   * SendMessage.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
   */
  sendMessage(input: SendMessageInput): SendMessageOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    return this.send(queue, input);
  }

  /**
   * SendMessageBatch: whole-request checks (entry count, ids, total size) fail the request;
   * an invalid entry fails alone, reported in `Failed`.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
   */
  sendMessageBatch(input: SendMessageBatchInput): SendMessageBatchOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const entries = validateBatchEntries(input.Entries, 'SendMessageBatchRequestEntry');
    const totalSize = entries.reduce((sum, entry) => sum + approximateEntrySize(entry), 0);
    if (totalSize > SqsLimits.maxMessageSizeBytes) throw SqsErrors.batchRequestTooLong(totalSize, SqsLimits.maxMessageSizeBytes);
    const successful: (SendMessageOutput & { Id: string })[] = [];
    const failed: BatchResultErrorEntry[] = [];
    this.batch(() => {
      for (const entry of entries) {
        const result = attempt(entry.Id, () => this.send(queue, entry as unknown as MessageToSend));
        if ('failure' in result) failed.push(result.failure);
        else successful.push({ Id: entry.Id, ...result.value });
      }
    });
    return { Successful: successful, Failed: failed };
  }

  /**
   * ReceiveMessage, with long polling: waits up to `WaitTimeSeconds` (or the queue's
   * ReceiveMessageWaitTimeSeconds) and returns as soon as a message is available.
   *
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
   */
  async receiveMessage(input: ReceiveMessageInput): Promise<ReceiveMessageOutput> {
    let queue = this.resolveQueue(input.QueueUrl);
    const maxMessages = optionalInteger(input.MaxNumberOfMessages, 'MaxNumberOfMessages', 1, SqsLimits.maxMessagesPerReceive) ?? 1;
    const visibilityTimeout =
      optionalInteger(input.VisibilityTimeout, 'VisibilityTimeout', 0, SqsLimits.maxVisibilityTimeoutSeconds) ??
      queue.numericAttribute('VisibilityTimeout');
    const waitSeconds =
      optionalInteger(input.WaitTimeSeconds, 'WaitTimeSeconds', 0, SqsLimits.maxWaitTimeSeconds) ??
      queue.numericAttribute('ReceiveMessageWaitTimeSeconds');
    const systemAttributeNames = this.requestedSystemAttributes(input, queue.fifo);
    const messageAttributeNames = optionalStringList(input.MessageAttributeNames, 'MessageAttributeNames') ?? [];
    optionalString(input.ReceiveRequestAttemptId, 'ReceiveRequestAttemptId');

    const deadline = this.now() + waitSeconds * 1000;
    for (;;) {
      const delivered = this.receiveNow(queue, maxMessages, visibilityTimeout);
      if (delivered.length > 0) {
        return {
          Messages: delivered.map((delivery) => toReceivedMessage(delivery, systemAttributeNames, messageAttributeNames)),
        };
      }
      const now = this.now();
      if (now >= deadline || queue.isClosed) return {};
      await queue.waitForMessages(Math.min(deadline, queue.nextVisibleAt(now) ?? deadline) - now);
      const current = this.queue(queue.name);
      if (current === undefined) return {};
      queue = current;
    }
  }

  /** DeleteMessage. */
  deleteMessage(input: DeleteMessageInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    this.deleteOne(queue, input.ReceiptHandle);
    return {};
  }

  /** DeleteMessageBatch, with per-entry results. */
  deleteMessageBatch(input: DeleteMessageBatchInput): BatchOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const entries = validateBatchEntries(input.Entries, 'DeleteMessageBatchRequestEntry');
    return this.batch(() => batchResults(entries, (entry) => this.deleteOne(queue, entry.ReceiptHandle)));
  }

  /** ChangeMessageVisibility. */
  changeMessageVisibility(input: ChangeMessageVisibilityInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    this.changeVisibilityOne(queue, input.ReceiptHandle, input.VisibilityTimeout);
    return {};
  }

  /** ChangeMessageVisibilityBatch, with per-entry results. */
  changeMessageVisibilityBatch(input: ChangeMessageVisibilityBatchInput): BatchOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const entries = validateBatchEntries(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
    return this.batch(() => batchResults(entries, (entry) => this.changeVisibilityOne(queue, entry.ReceiptHandle, entry.VisibilityTimeout)));
  }

  /** ListDeadLetterSourceQueues: queues whose RedrivePolicy targets this one. */
  listDeadLetterSourceQueues(input: ListDeadLetterSourceQueuesInput): ListDeadLetterSourceQueuesOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const sources = [...this.changes.state.queues.values()]
      .filter((candidate) => readRedrivePolicy(candidate.attributes)?.deadLetterTargetArn === queue.arn)
      .map((candidate) => candidate.name)
      .sort();
    const page = paginate(sources, input.MaxResults, input.NextToken);
    return {
      queueUrls: page.items.map((name) => this.queueUrl(name)),
      ...(page.nextToken === undefined ? {} : { NextToken: page.nextToken }),
    };
  }

  /** TagQueue: adds or overwrites tags. */
  tagQueue(input: TagQueueInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const tags = optionalStringMap(input.Tags, 'Tags');
    if (tags === undefined) throw SqsErrors.missingParameter('Tags');
    queue.setTags({ ...queue.state.tags, ...tags });
    return {};
  }

  /** UntagQueue. */
  untagQueue(input: UntagQueueInput): EmptyOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    const keys = optionalStringList(input.TagKeys, 'TagKeys');
    if (keys === undefined) throw SqsErrors.missingParameter('TagKeys');
    queue.setTags(Object.fromEntries(Object.entries(queue.state.tags).filter(([key]) => !keys.includes(key))));
    return {};
  }

  /** ListQueueTags. */
  listQueueTags(input: QueueInput): ListQueueTagsOutput {
    const queue = this.resolveQueue(input.QueueUrl);
    return Object.keys(queue.state.tags).length > 0 ? { Tags: { ...queue.state.tags } } : {};
  }

  /**
   * The messages of a queue as they are, oldest first, without receiving them: no receive is
   * counted and no visibility changes. Not an SQS operation (SQS can only receive): LocalStack
   * gives developers the same read (`GET /_aws/sqs/messages`), so a console can show a queue
   * without disturbing what it shows.
   * @throws AwsServiceError `QueueDoesNotExist` when there is no such queue.
   */
  peekMessages(queueUrl: string, limit = 100): readonly PeekedMessage[] {
    const queue = this.resolveQueue(queueUrl);
    const now = this.now();
    queue.counts(now);
    return queue.state.messages.slice(0, limit).map((message) => ({
      messageId: message.messageId,
      body: message.body,
      messageAttributes: message.messageAttributes as MessageAttributeMap,
      sentTimestamp: message.sentTimestamp,
      receiveCount: message.receiveCount,
      state: message.visibleAt <= now ? 'visible' : message.receipt !== undefined ? 'in-flight' : 'delayed',
      ...(message.deadLetterQueueSourceArn === undefined ? {} : { deadLetterQueueSourceArn: message.deadLetterQueueSourceArn }),
    }));
  }

  /**
   * A queue's depth as CloudWatch reports it for SQS: visible, in-flight and delayed messages,
   * and the age of the oldest message in seconds (`ApproximateAgeOfOldestMessage`, 0 when empty).
   * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
   * @throws AwsServiceError `QueueDoesNotExist` when there is no such queue.
   */
  queueStatistics(queueUrl: string): QueueStatistics {
    const queue = this.resolveQueue(queueUrl);
    const now = this.now();
    const counts = queue.counts(now);
    let oldest = now;
    for (const message of queue.state.messages) if (message.enqueuedAt < oldest) oldest = message.enqueuedAt;
    return { ...counts, oldestAgeSeconds: Math.floor((now - oldest) / 1000) };
  }

  /** StartMessageMoveTask: redrives a dead-letter queue. */
  startMessageMoveTask(input: StartMessageMoveTaskInput): StartMessageMoveTaskOutput {
    return this.moveTasks.start(input);
  }

  /** CancelMessageMoveTask. */
  cancelMessageMoveTask(input: CancelMessageMoveTaskInput): CancelMessageMoveTaskOutput {
    return this.moveTasks.cancel(input);
  }

  /** ListMessageMoveTasks. */
  listMessageMoveTasks(input: ListMessageMoveTasksInput): ListMessageMoveTasksOutput {
    return this.moveTasks.list(input);
  }

  /**
   * Stops move tasks and releases every long poll; the service keeps its queues in memory,
   * but closes its journal, so changes fail afterwards. Nothing is flushed: with persistence,
   * everything is on disk already, which is what makes a kill safe.
   */
  close(): void {
    this.moveTasks.close();
    for (const state of this.changes.state.queues.values()) this.views.get(state)?.close();
    this.changes.close();
  }

  /** Runs `run` so that the changes it makes are journalled as one line. */
  private batch<T>(run: () => T): T {
    return this.changes.batch(run);
  }

  /** The live queue with this name, if it exists. */
  private queue(name: string): Queue | undefined {
    const state = this.changes.state.queues.get(name);
    if (state === undefined) return undefined;
    let queue = this.views.get(state);
    if (queue === undefined) {
      queue = new Queue(state, this.changes);
      this.views.set(state, queue);
    }
    return queue;
  }

  /** The queue a QueueUrl names: a URL with any host (path `/<account>/<name>`) or a plain name. */
  private resolveQueue(queueUrl: unknown): Queue {
    const reference = requiredString(queueUrl, 'QueueUrl');
    const segments = reference.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '').split('/').filter(Boolean);
    const name = segments.at(-1);
    const account = segments.at(-2);
    const queue = name === undefined ? undefined : this.queue(name);
    if (queue === undefined || (account !== undefined && account !== this.accountId)) throw SqsErrors.queueDoesNotExist();
    return queue;
  }

  private queueByArn(arn: string): Queue | undefined {
    return arn.startsWith(this.arnPrefix) ? this.queue(arn.slice(this.arnPrefix.length)) : undefined;
  }

  /** Validates a Policy being set, compiled; undefined when none is set (or it is removed). */
  private validatePolicy(queueName: string, changes: Readonly<Record<string, string>>): { readonly text: string; readonly statements: readonly CompiledStatement[] } | undefined {
    const text = changes[POLICY_ATTRIBUTE];
    return text === undefined || text === '' ? undefined : { text, statements: compileQueuePolicy(queueName, text) };
  }

  /** Keeps the compilation of a Policy just set, so {@link queuePolicy} does not compile it again. */
  private keepCompiledPolicy(state: DeepReadonly<QueueState> | undefined, policy: ReturnType<SqsService['validatePolicy']>): void {
    if (state !== undefined && policy !== undefined && state.attributes[POLICY_ATTRIBUTE] === policy.text) this.compiledPolicies.set(state, policy);
  }

  private deadLetterFacts(arn: string): { fifo: boolean; redriveAllowPolicy?: string } | undefined {
    const queue = this.queueByArn(arn);
    if (queue === undefined) return undefined;
    const redriveAllowPolicy = queue.state.attributes.RedriveAllowPolicy;
    return redriveAllowPolicy === undefined ? { fifo: queue.fifo } : { fifo: queue.fifo, redriveAllowPolicy };
  }

  private allAttributes(queue: Queue): Record<string, string> {
    const counts = queue.counts(this.now());
    return {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(counts.visible),
      ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
      ApproximateNumberOfMessagesDelayed: String(counts.delayed),
      CreatedTimestamp: String(queue.state.createdTimestamp),
      LastModifiedTimestamp: String(queue.state.lastModifiedTimestamp),
      ...queue.state.attributes,
    };
  }

  private send(queue: Queue, fields: MessageToSend): SendMessageOutput {
    const message = prepareMessage(queue, fields);
    const result = queue.enqueue(message, this.now());
    if (this.onMessageArrived !== undefined && !result.duplicate) {
      const stored = queue.state.messages.at(-1);
      if (stored !== undefined) this.onMessageArrived({ queueName: queue.name, message: stored });
    }
    const md5OfAttributes = md5OfMessageAttributes(message.messageAttributes);
    const md5OfSystemAttributes = md5OfMessageAttributes(message.systemAttributes);
    return {
      MessageId: result.messageId,
      MD5OfMessageBody: md5OfBody(message.body),
      ...(md5OfAttributes === undefined ? {} : { MD5OfMessageAttributes: md5OfAttributes }),
      ...(md5OfSystemAttributes === undefined ? {} : { MD5OfMessageSystemAttributes: md5OfSystemAttributes }),
      ...(result.sequenceNumber === undefined ? {} : { SequenceNumber: result.sequenceNumber }),
    };
  }

  /** One receive attempt; messages over maxReceiveCount move to the dead-letter queue. */
  private receiveNow(queue: Queue, maxMessages: number, visibilityTimeout: number): readonly Delivery[] {
    const now = this.now();
    const policy = queue.redrivePolicy;
    const deadLetterQueue = policy === undefined ? undefined : this.queueByArn(policy.deadLetterTargetArn);
    // One batch: a message leaving for the dead-letter queue is journalled with its arrival there.
    return this.batch(() => {
      const { delivered, deadLettered } = queue.receive(
        maxMessages,
        visibilityTimeout,
        deadLetterQueue === undefined ? undefined : policy?.maxReceiveCount,
        now,
      );
      for (const message of deadLettered) {
        deadLetterQueue?.adopt(message, now, { deadLetterSourceArn: queue.arn });
        if (deadLetterQueue !== undefined) this.onMessageArrived?.({ queueName: deadLetterQueue.name, message, deadLetterSourceArn: queue.arn });
      }
      return delivered;
    });
  }

  private requestedSystemAttributes(input: ReceiveMessageInput, fifo: boolean): ReadonlySet<MessageSystemAttributeName> {
    const names = [
      ...(optionalStringList(input.AttributeNames, 'AttributeNames') ?? []),
      ...(optionalStringList(input.MessageSystemAttributeNames, 'MessageSystemAttributeNames') ?? []),
    ];
    const known = new Set<string>(MessageSystemAttributeNames);
    for (const name of names) {
      // AttributeNames historically takes queue attribute names too; AWS ignores those here.
      if (name !== 'All' && !known.has(name) && !isReadableAttribute(name, fifo)) throw SqsErrors.invalidAttributeName(name);
    }
    if (names.includes('All')) return known as Set<MessageSystemAttributeName>;
    return new Set(names.filter((name): name is MessageSystemAttributeName => known.has(name)));
  }

  private deleteOne(queue: Queue, receiptHandle: unknown): void {
    const handle = requiredString(receiptHandle, 'ReceiptHandle');
    const receipt = decodeReceiptHandle(handle);
    if (receipt === undefined || receipt.queueName !== queue.name) {
      throw SqsErrors.receiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    if (queue.deleteMessage(receipt, this.now()) === 'receipt-expired') {
      throw SqsErrors.receiptHandleIsInvalid('The receipt handle has expired.');
    }
  }

  private changeVisibilityOne(queue: Queue, receiptHandle: unknown, visibilityTimeout: unknown): void {
    const handle = requiredString(receiptHandle, 'ReceiptHandle');
    const timeout = requiredInteger(visibilityTimeout, 'VisibilityTimeout', 0, SqsLimits.maxVisibilityTimeoutSeconds);
    const receipt = decodeReceiptHandle(handle);
    if (receipt === undefined || receipt.queueName !== queue.name) {
      throw SqsErrors.receiptHandleIsInvalid(`The input receipt handle "${handle}" is not a valid receipt handle.`);
    }
    switch (queue.changeVisibility(receipt, timeout, this.now())) {
      case 'changed':
        return;
      case 'not-found':
        throw SqsErrors.invalidValue(
          'ReceiptHandle',
          handle,
          'Message does not exist or is not available for visibility timeout change.',
        );
      case 'not-in-flight':
        throw SqsErrors.messageNotInflight();
      case 'beyond-limit':
        throw SqsErrors.invalidValue(
          'VisibilityTimeout',
          timeout,
          `Total VisibilityTimeout for the message is beyond the limit [${SqsLimits.maxVisibilityTimeoutSeconds} seconds]`,
        );
    }
  }
}

/**
 * Validates a message for `queue` and shapes it for {@link Queue.enqueue}: body, attributes,
 * delay (per message only on standard queues), FIFO group and deduplication ids, and the
 * size limit (body plus attribute names, types and values).
 */
function prepareMessage(queue: Queue, fields: MessageToSend): NewMessage {
  const body = validateMessageBody(fields.MessageBody);
  const { attributes, sizeInBytes } = validateMessageAttributes(fields.MessageAttributes);
  const systemAttributes = validateMessageSystemAttributes(fields.MessageSystemAttributes);
  const delaySeconds = optionalInteger(fields.DelaySeconds, 'DelaySeconds', 0, SqsLimits.maxDelaySeconds);
  const messageGroupId = validateFifoId(fields.MessageGroupId, 'MessageGroupId');
  const messageDeduplicationId = validateFifoId(fields.MessageDeduplicationId, 'MessageDeduplicationId');
  const size = byteLength(body) + sizeInBytes;
  const maxSize = queue.numericAttribute('MaximumMessageSize');
  if (size > maxSize) {
    throw SqsErrors.invalidParameterValue(`One or more parameters are invalid. Reason: Message must be shorter than ${maxSize} bytes.`);
  }
  if (queue.fifo) {
    if (delaySeconds !== undefined && delaySeconds > 0) {
      throw SqsErrors.invalidValue('DelaySeconds', delaySeconds, 'The request include parameter that is not valid for this queue type.');
    }
    if (messageGroupId === undefined) throw SqsErrors.missingParameter('MessageGroupId');
    if (messageDeduplicationId === undefined && queue.state.attributes.ContentBasedDeduplication !== 'true') {
      throw SqsErrors.invalidParameterValue(
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
  } else if (messageDeduplicationId !== undefined) {
    throw SqsErrors.invalidValue(
      'MessageDeduplicationId',
      messageDeduplicationId,
      'The request includes a parameter that is not valid for this queue type.',
    );
  }
  return {
    body,
    messageAttributes: attributes,
    systemAttributes,
    senderId: SqsDefaults.senderId,
    ...(delaySeconds === undefined || queue.fifo ? {} : { delaySeconds }),
    ...(messageGroupId === undefined ? {} : { messageGroupId }),
    ...(messageDeduplicationId === undefined ? {} : { messageDeduplicationId }),
  };
}

/** The message as ReceiveMessage returns it, with the requested attributes only. */
function toReceivedMessage(
  { message, receiptHandle }: Delivery,
  systemAttributeNames: ReadonlySet<MessageSystemAttributeName>,
  messageAttributeNames: readonly string[],
): ReceivedMessage {
  const systemValues = systemAttributeValues(message);
  const attributes: Record<string, string> = {};
  for (const name of systemAttributeNames) {
    const value = systemValues[name];
    if (value !== undefined) attributes[name] = value;
  }
  const messageAttributes = selectMessageAttributes(message.messageAttributes, messageAttributeNames);
  // The digest covers the attributes returned, so a client can verify what it got.
  const md5 = md5OfMessageAttributes(messageAttributes);
  return {
    MessageId: message.messageId,
    ReceiptHandle: receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
    ...(md5 === undefined ? {} : { MD5OfMessageAttributes: md5, MessageAttributes: messageAttributes }),
  };
}

function systemAttributeValues(message: DeepReadonly<StoredMessage>): Partial<Record<MessageSystemAttributeName, string>> {
  return {
    SenderId: message.senderId,
    SentTimestamp: String(message.sentTimestamp),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp:
      message.firstReceiveTimestamp === undefined ? undefined : String(message.firstReceiveTimestamp),
    SequenceNumber: message.sequenceNumber,
    MessageDeduplicationId: message.messageDeduplicationId,
    MessageGroupId: message.messageGroupId,
    AWSTraceHeader: message.systemAttributes.AWSTraceHeader?.StringValue,
    DeadLetterQueueSourceArn: message.deadLetterQueueSourceArn,
  };
}

/** Message attributes selected by name, `All`, `.*` or a `prefix.*`. */
function selectMessageAttributes(attributes: MessageAttributeMap, names: readonly string[]): MessageAttributeMap {
  const selected: Record<string, MessageAttributeMap[string]> = {};
  for (const [name, value] of Object.entries(attributes)) {
    const wanted = names.some(
      (pattern) =>
        pattern === 'All' ||
        pattern === '.*' ||
        pattern === name ||
        (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -1))),
    );
    if (wanted) selected[name] = value;
  }
  return selected;
}

/** Runs one batch entry; an AWS error becomes that entry's failure. */
function attempt<T>(id: string, run: () => T): { value: T } | { failure: BatchResultErrorEntry } {
  try {
    return { value: run() };
  } catch (error) {
    if (!(error instanceof AwsServiceError)) throw error;
    return { failure: { Id: id, SenderFault: error.senderFault, Code: error.queryCode, Message: error.message } };
  }
}

function batchResults<E extends { readonly Id: string }>(entries: readonly E[], run: (entry: E) => void): BatchOutput {
  const successful: { Id: string }[] = [];
  const failed: BatchResultErrorEntry[] = [];
  for (const entry of entries) {
    const result = attempt(entry.Id, () => run(entry));
    if ('failure' in result) failed.push(result.failure);
    else successful.push({ Id: entry.Id });
  }
  return { Successful: successful, Failed: failed };
}

/** Bytes a batch entry adds to the request, for the whole-batch size limit. */
function approximateEntrySize(entry: Record<string, unknown>): number {
  const body = typeof entry.MessageBody === 'string' ? byteLength(entry.MessageBody) : 0;
  const attributes = entry.MessageAttributes;
  if (typeof attributes !== 'object' || attributes === null) return body;
  return Object.entries(attributes).reduce((sum, [name, value]) => {
    const { DataType, StringValue, BinaryValue } = (value ?? {}) as Record<string, unknown>;
    return (
      sum +
      byteLength(name) +
      (typeof DataType === 'string' ? byteLength(DataType) : 0) +
      (typeof StringValue === 'string' ? byteLength(StringValue) : 0) +
      (typeof BinaryValue === 'string' ? Buffer.from(BinaryValue, 'base64').length : 0)
    );
  }, body);
}

/** Pages a sorted list of names; the token is the last name returned, opaque to clients. */
function paginate(names: readonly string[], maxResults: unknown, nextToken: unknown): { items: string[]; nextToken?: string } {
  const max = optionalInteger(maxResults, 'MaxResults', 1, SqsLimits.maxListResults);
  const token = optionalString(nextToken, 'NextToken');
  let start = 0;
  if (token !== undefined) {
    const after = Buffer.from(token, 'base64').toString('utf8');
    if (after === '') throw SqsErrors.invalidParameterValue('Invalid NextToken value.');
    start = names.findIndex((name) => name > after);
    if (start < 0) start = names.length;
  }
  const items = names.slice(start, start + (max ?? SqsLimits.maxListResults));
  const last = items.at(-1);
  const more = max !== undefined && start + items.length < names.length && last !== undefined;
  return more ? { items, nextToken: Buffer.from(last, 'utf8').toString('base64') } : { items };
}
