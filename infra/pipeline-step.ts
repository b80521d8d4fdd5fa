/**
 * The one construct for the wiring every SQS-fed step repeats:
 * EventBridge rule -> SQS queue (+ DLQ) -> Lambda via an event source mapping, with a DLQ and a
 * retry policy on the rule target, an alarm on each DLQ and one on the age of the queue's
 * oldest message, all notifying the alarm topic.
 */
import { Duration, Names, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Rule, type IEventBus } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption, type IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { patternFor, type DetailType } from '#shared/contracts';
import { EnvName } from '#shared/config';
import { DEFAULT_FUNCTION_TIMEOUT, handlerFunction } from '#infra/function-defaults';
import type { GrantTargets } from '#infra/function-grants';
import type { FunctionAccess } from '#shared/pipeline-access';
import { checkDistinctNonEmpty, checkIntegerInRange, checkSecondsInRange, InvalidPropError } from '#infra/validation';

/** Defaults of `PipelineStepProps`, exported so tests and callers can refer to them. */
export const PipelineStepDefaults = {
  batchSize: 10,
  maxConcurrency: 5,
  maxReceiveCount: 4,
  retryAttempts: 8,
  maxEventAge: Duration.hours(1),
} as const;

/**
 * The queue's visibility timeout is this many times the function timeout, as AWS advises for
 * SQS event sources, so a batch that is being retried by the poller is not redelivered meanwhile.
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;

/** How long DLQs (the queue's and the target's) keep a message: SQS's maximum. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/**
 * How long the step's queue keeps a message: as long as its DLQ, not SQS's default of 4 days.
 * A backlog older than the retention period is deleted without reaching the DLQ, so nobody
 * would learn which orders it held. SQS advises a DLQ retention longer than its source
 * queue's, because a message moved to a standard queue's DLQ keeps its original enqueue time;
 * both are at SQS's maximum here, so a parked message has 14 days minus the time it spent in
 * the queue: minutes normally (see {@link oldestMessageAgeThreshold}), and the age alarm
 * tells someone long before a backlog eats into that.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/setting-up-dead-letter-queue-retention.html
 */
export const QUEUE_RETENTION: Duration = DEAD_LETTER_RETENTION;

/**
 * The age of the queue's oldest message above which the step is not keeping up:
 * `(maxReceiveCount + 1) x visibilityTimeout` (5 minutes with the defaults). A record that
 * keeps failing stays in the queue at most `maxReceiveCount` visibility timeouts (each failed
 * receive hides it for one) before it is parked in the DLQ, where its own alarm fires. So a
 * message older than that, with one more visibility timeout of margin for the poller, is not
 * being retried: it is waiting in line, because the function is throttled, capped by its
 * maximum concurrency, slower than the arrivals, or not polling at all.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
 */
export function oldestMessageAgeThreshold(visibilityTimeout: Duration, maxReceiveCount: number): Duration {
  return Duration.seconds((maxReceiveCount + 1) * visibilityTimeout.toSeconds());
}

/** Properties of a `PipelineStep`. */
export interface PipelineStepProps {
  /** The bus whose events the step consumes. */
  readonly bus: IEventBus;
  /**
   * The topic every alarm of the step notifies, when it goes into ALARM and when it is back
   * to OK (so whoever was told of a problem is told that it cleared: a DLQ redriven, a
   * backlog drained). CloudWatch must be allowed to publish to it (see `AlarmTopic`).
   */
  readonly alarmTopic: ITopic;
  /**
   * The step's name (kebab-case); its function's `POWERTOOLS_SERVICE_NAME`.
   */
  readonly stepName: string;
  /**
   * What the step does, for people.
   * @default - "Order pipeline step <stepName>"
   */
  readonly description?: string;
  /**
   * The detail-types the step consumes; the rule's pattern is `patternFor(consumes)`, so it
   * matches each with the source its contract gives it. At least one, no repeats.
   */
  readonly consumes: readonly DetailType[];
  /** The handler's entry file (exports `handler`). */
  readonly entry: string;
  /**
   * What the function may do, from the pipeline's declaration: a step's access includes polling
   * its queue and parking in its DLQ, which this construct creates and resolves.
   */
  readonly access: FunctionAccess;
  /** The resources outside this construct that `access` refers to (the bus, the tables). */
  readonly grantTargets: Omit<GrantTargets, 'queue' | 'deadLetterQueue'>;
  /**
   * More environment variables for the function. The construct always sets
   * `DEAD_LETTER_QUEUE_URL`, `MAX_RECEIVE_COUNT` and `POWERTOOLS_SERVICE_NAME`.
   * @default - only the three above
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * The function timeout, whole seconds from 1 to 900. The queue's visibility timeout is
   * six times this (plus `maxBatchingWindow`).
   * @default Duration.seconds(10)
   */
  readonly timeout?: Duration;
  /**
   * The function's memory in MB, from 128 to 10240.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * How many records the poller hands the function at once, from 1 to 10000; above 10 needs a
   * `maxBatchingWindow`. Larger batches mean fewer invocations.
   * @default 10
   */
  readonly batchSize?: number;
  /**
   * How long the poller may wait to fill a batch, whole seconds from 0 to 300. Waiting lowers
   * cost under light load but adds that much latency to every order.
   * @default - no batching window: records are handed over as soon as they arrive
   */
  readonly maxBatchingWindow?: Duration;
  /**
   * At most this many concurrent invocations the event source mapping starts, from 2 to 1000.
   * It protects the tables and the payment provider from a burst without throttling (which
   * would burn receives and push records towards the DLQ).
   * @default 5
   * @see https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html
   */
  readonly maxConcurrency?: number;
  /**
   * After this many receives a record moves to the DLQ, from 3 to 5: enough to ride out
   * transient failures, few enough that a poison record is parked within minutes. The handler
   * parks a record itself, with its cause, on the last receive.
   * @default 4
   */
  readonly maxReceiveCount?: number;
  /**
   * How often EventBridge retries delivering an event to the queue, from 0 to 185, before it
   * puts the event in the target DLQ.
   * @default 8
   */
  readonly retryAttempts?: number;
  /**
   * How long EventBridge keeps retrying an event, whole seconds from 60 to 86400.
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;
}

/**
 * One step of the pipeline: a rule on the bus matching the step's detail-types, an encrypted
 * SQS queue with a DLQ, a DLQ for events the rule could not deliver, the step's function fed
 * by the queue through a partial-batch event source mapping, an alarm on each DLQ and one on
 * the age of the queue's oldest message, each notifying `alarmTopic`.
 */
export class PipelineStep extends Construct {
  /** The queue the rule delivers to and the function consumes. */
  readonly queue: IQueue;
  /** Where records go after `maxReceiveCount` receives (and where the handler parks them). */
  readonly deadLetterQueue: IQueue;
  /** Where EventBridge puts events it could not deliver to `queue`. */
  readonly targetDeadLetterQueue: IQueue;
  /** The step's function. */
  readonly function: NodejsFunction;
  /** The rule that routes the step's events to `queue`. */
  readonly rule: Rule;
  /** Alarms on the first message in `deadLetterQueue`. */
  readonly deadLetterQueueAlarm: Alarm;
  /** Alarms on the first message in `targetDeadLetterQueue`. */
  readonly targetDeadLetterQueueAlarm: Alarm;
  /** Alarms when the oldest message in `queue` is older than {@link oldestMessageAgeThreshold}. */
  readonly oldestMessageAgeAlarm: Alarm;

  constructor(scope: Construct, id: string, props: PipelineStepProps) {
    super(scope, id);
    const timeout = props.timeout ?? DEFAULT_FUNCTION_TIMEOUT;
    const batchSize = props.batchSize ?? PipelineStepDefaults.batchSize;
    const maxConcurrency = props.maxConcurrency ?? PipelineStepDefaults.maxConcurrency;
    const maxReceiveCount = props.maxReceiveCount ?? PipelineStepDefaults.maxReceiveCount;
    const retryAttempts = props.retryAttempts ?? PipelineStepDefaults.retryAttempts;
    const maxEventAge = props.maxEventAge ?? PipelineStepDefaults.maxEventAge;
    validate(props, { timeout, batchSize, maxConcurrency, maxReceiveCount, retryAttempts, maxEventAge });

    const batchingWindowSeconds = props.maxBatchingWindow?.toSeconds() ?? 0;
    const visibilityTimeout = Duration.seconds(VISIBILITY_TIMEOUT_FACTOR * timeout.toSeconds() + batchingWindowSeconds);

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'Queue', {
      visibilityTimeout,
      retentionPeriod: QUEUE_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount },
    });
    this.targetDeadLetterQueue = new Queue(this, 'TargetDeadLetterQueue', {
      retentionPeriod: DEAD_LETTER_RETENTION,
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    const pattern = patternFor(props.consumes);
    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: `${props.stepName}: ${pattern['detail-type'].join(', ')}`,
      eventPattern: { source: pattern.source, detailType: pattern['detail-type'] },
    });
    this.rule.addTarget(
      new SqsQueue(this.queue, {
        deadLetterQueue: this.targetDeadLetterQueue,
        retryAttempts,
        maxEventAge,
      }),
    );

    this.function = handlerFunction(this, 'Function', {
      entry: props.entry,
      description: props.description ?? `Order pipeline step ${props.stepName}`,
      access: props.access,
      grantTargets: { ...props.grantTargets, queue: this.queue, deadLetterQueue: this.deadLetterQueue },
      timeout,
      memorySize: props.memorySize,
      environment: {
        ...props.environment,
        [EnvName.deadLetterQueueUrl]: this.deadLetterQueue.queueUrl,
        [EnvName.maxReceiveCount]: String(maxReceiveCount),
        [EnvName.serviceName]: props.stepName,
      },
    });
    // The mapping itself, without SqsEventSource: that grants the function consume rights of its
    // own choosing (ChangeMessageVisibility, GetQueueUrl too) beyond what Lambda needs; the
    // role's policy comes only from `access`. The id is the one SqsEventSource gives it.
    this.function.addEventSourceMapping(`SqsEventSource:${Names.nodeUniqueId(this.queue.node)}`, {
      eventSourceArn: this.queue.queueArn,
      batchSize,
      maxBatchingWindow: props.maxBatchingWindow,
      reportBatchItemFailures: true,
      maxConcurrency,
    });

    this.deadLetterQueueAlarm = firstMessageAlarm(this, 'DeadLetterQueueAlarm', this.deadLetterQueue, `${props.stepName}: a record was parked in the step's dead-letter queue`);
    this.targetDeadLetterQueueAlarm = firstMessageAlarm(
      this,
      'TargetDeadLetterQueueAlarm',
      this.targetDeadLetterQueue,
      `${props.stepName}: EventBridge could not deliver an event to the step's queue`,
    );
    const ageThreshold = oldestMessageAgeThreshold(visibilityTimeout, maxReceiveCount);
    this.oldestMessageAgeAlarm = this.queue
      .metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' })
      .createAlarm(this, 'OldestMessageAgeAlarm', {
        alarmDescription: `${props.stepName}: the oldest message in the step's queue is older than ${ageThreshold.toHumanString()}; the step is not keeping up`,
        threshold: ageThreshold.toSeconds(),
        // The age only grows while the step falls behind, and the threshold has its margin
        // already: one sample above it is enough.
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        // SQS stops sending metrics for a queue nobody has used for a while; an idle queue is fine.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
    const notify = new SnsAction(props.alarmTopic);
    for (const alarm of [this.deadLetterQueueAlarm, this.targetDeadLetterQueueAlarm, this.oldestMessageAgeAlarm]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }

    this.acknowledgeNagFindings();
  }

  /** cdk-nag findings that don't apply to this wiring, acknowledged with the reason. */
  private acknowledgeNagFindings(): void {
    for (const deadLetterQueue of [this.deadLetterQueue, this.targetDeadLetterQueue]) {
      Validations.of(deadLetterQueue).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason: 'This queue is itself a dead-letter queue, the end of the line: an alarm fires on its first message, an operator inspects and redrives it.',
      });
    }
    Validations.of(this.targetDeadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: "This queue is the dead-letter queue of the EventBridge rule target (the target's DeadLetterConfig), a use cdk-nag does not recognise.",
    });
    Validations.of(this.function).acknowledge(
      {
        id: 'Serverless-LambdaDLQ',
        reason: "The SQS event source mapping invokes the function synchronously; a Lambda DLQ applies only to asynchronous invocations. Failed records go to the queue's redrive DLQ.",
      },
      {
        id: 'Serverless-LambdaEventSourceMappingDestination',
        reason: "On-failure destinations exist only for stream and Kafka event sources; for SQS the queue's redrive policy to its DLQ is the failure destination.",
      },
    );
  }
}

/** An alarm on the first visible message: any message in a DLQ needs a person. */
function firstMessageAlarm(scope: Construct, id: string, queue: IQueue, description: string): Alarm {
  // SQS publishes queue metrics once a minute; Maximum catches a message seen in any sample.
  // https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html
  return queue
    .metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' })
    .createAlarm(scope, id, {
      alarmDescription: description,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
}

/** The resolved values `validate` checks. */
interface ResolvedProps {
  readonly timeout: Duration;
  readonly batchSize: number;
  readonly maxConcurrency: number;
  readonly maxReceiveCount: number;
  readonly retryAttempts: number;
  readonly maxEventAge: Duration;
}

/** Checks every prop against the range AWS (or the design) allows; throws `InvalidPropError`. */
function validate(props: PipelineStepProps, resolved: ResolvedProps): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(props.stepName)) {
    throw new InvalidPropError('stepName', props.stepName, `stepName must be kebab-case (e.g. "reserve-inventory"), got "${props.stepName}"`);
  }
  checkDistinctNonEmpty('consumes', props.consumes);
  if (!props.access.grants.some((grant) => grant.target.kind === 'queue')) {
    throw new InvalidPropError('access', props.access.name, `access must be a step's, with its queue and DLQ, got ${props.access.name}'s`);
  }
  // https://docs.aws.amazon.com/lambda/latest/api/API_CreateEventSourceMapping.html
  checkIntegerInRange('batchSize', resolved.batchSize, { min: 1, max: 10_000 });
  if (props.maxBatchingWindow !== undefined) checkSecondsInRange('maxBatchingWindow', props.maxBatchingWindow, { min: 0, max: 300 });
  const batchingWindowSeconds = props.maxBatchingWindow?.isUnresolved() === false ? props.maxBatchingWindow.toSeconds({ integral: false }) : undefined;
  if (resolved.batchSize > 10 && (props.maxBatchingWindow === undefined || batchingWindowSeconds === 0)) {
    throw new InvalidPropError('batchSize', resolved.batchSize, `batchSize above 10 needs a maxBatchingWindow of at least 1 second, got batchSize ${resolved.batchSize} without one`);
  }
  checkIntegerInRange('maxConcurrency', resolved.maxConcurrency, { min: 2, max: 1_000 });
  checkIntegerInRange('maxReceiveCount', resolved.maxReceiveCount, { min: 3, max: 5 });
  // https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_RetryPolicy.html
  checkIntegerInRange('retryAttempts', resolved.retryAttempts, { min: 0, max: 185 });
  checkSecondsInRange('maxEventAge', resolved.maxEventAge, { min: 60, max: 86_400 });
  checkSecondsInRange('timeout', resolved.timeout, { min: 1, max: 900 });
}
