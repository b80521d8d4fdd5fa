/**
 * Turns a step's domain logic into an SQS-fed Lambda handler with a partial batch response:
 * each record is parsed against the contract, handled, and its outcome published; a failed
 * record fails alone. Invalid input and records on their last delivery are parked in the DLQ
 * with their cause instead of being retried pointlessly or parked by SQS without one.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { DetailSchemas, EventEnvelopeSchema, type DetailType, type DomainEvent } from '#shared/contracts';
import { PermanentError, PipelineError, ValidationError, fieldIssues } from '#shared/errors';
import type { EventPublisher } from '#shared/ports';
import type { ParkingReason } from '#shared/adapters/sqs-dead-letter-parking';
import { logger as defaultLogger, metrics as defaultMetrics, StepMetric } from '#shared/runtime/observability';
import { consumedBy, type ConsumedBy, type StepName } from '#shared/pipeline-graph';
import type { ConsumedEvent } from '#shared/steps/step';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';

/** What an SQS-fed step handler needs besides its logic. */
export interface SqsStepHandlerOptions<S extends StepName> {
  readonly step: S;
  /** The step's processing of one event (`stepProcess`): checks, logic, the outcomes to publish. */
  readonly process: (event: ConsumedEvent<ConsumedBy<S>>) => Promise<readonly DomainEvent[]>;
  /** Where outcomes go; a step that publishes nothing (the projection) may leave it out. */
  readonly publisher?: EventPublisher;
  readonly parking: { park(body: string, reason: ParkingReason): Promise<void> };
  /** The queue's redrive maxReceiveCount: on that delivery a failing record is parked with its cause. */
  readonly maxReceiveCount: number;
  /** @default the function's shared Powertools logger */
  readonly logger?: Logger;
  /** @default the function's shared Powertools metrics */
  readonly metrics?: Metrics;
}

/** Builds the Lambda handler of an SQS-fed step. */
export function sqsStepHandler<S extends StepName>(options: SqsStepHandlerOptions<S>): (event: SQSEvent, context: Context) => Promise<SQSBatchResponse> {
  const { step, process, publisher, parking, maxReceiveCount } = options;
  const logger = options.logger ?? defaultLogger;
  const metrics = options.metrics ?? defaultMetrics;
  const consumes: readonly DetailType[] = consumedBy(step);
  const processor = new BatchProcessor(EventType.SQS);

  const processRecord = async (record: SQSRecord): Promise<void> => {
    let orderId: string | undefined;
    try {
      const event = parseRecord(record, consumes);
      orderId = event.detail.orderId;
      const outcomes = await process(event as ConsumedEvent<ConsumedBy<S>>);
      if (outcomes.length > 0) {
        if (!publisher) throw new Error(`step ${step} produced events but has no publisher`);
        await publisher.publish(outcomes);
      }
      metrics.addMetric(StepMetric.processed, MetricUnit.Count, 1);
      logger.debug('record processed', { correlation_id: orderId, messageId: record.messageId, eventId: event.id, published: outcomes.map((outcome) => outcome.detailType) });
    } catch (error) {
      const receiveCount = Number(record.attributes.ApproximateReceiveCount);
      if (!(error instanceof PermanentError) && receiveCount < maxReceiveCount) {
        metrics.addMetric(StepMetric.failed, MetricUnit.Count, 1);
        logger.warn('record failed; it will be retried', { correlation_id: orderId, messageId: record.messageId, receiveCount, error });
        throw error;
      }
      const errorOf = error instanceof Error ? error : new Error(String(error));
      await parking.park(record.body, {
        step,
        errorName: errorOf.name,
        errorMessage: errorOf.message,
        orderId: orderId ?? (error instanceof PipelineError ? error.orderId : undefined),
        sourceMessageId: record.messageId,
        receiveCount,
      });
      metrics.addMetric(StepMetric.parked, MetricUnit.Count, 1);
      logger.error('record parked in the dead-letter queue', { correlation_id: orderId, messageId: record.messageId, receiveCount, error });
    }
  };

  return async (event, context) => {
    try {
      return await processPartialResponse(event, processRecord, processor, { context, throwOnFullBatchFailure: false });
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

/** Parses an SQS record carrying an EventBridge event; any mismatch with the contract is permanent. */
function parseRecord(record: SQSRecord, consumes: readonly DetailType[]): ConsumedEvent {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch (cause) {
    throw new ValidationError('record body', [{ field: '(body)', message: 'is not valid JSON' }], { messageId: record.messageId, cause });
  }
  const envelope = EventEnvelopeSchema.safeParse(body);
  if (!envelope.success) throw new ValidationError('event envelope', fieldIssues(envelope.error), { messageId: record.messageId });
  const detailType = envelope.data['detail-type'] as DetailType;
  if (!consumes.includes(detailType)) {
    throw new ValidationError('event', [{ field: 'detail-type', message: `"${detailType}" is not one of ${consumes.join(', ')}` }], { messageId: record.messageId });
  }
  const detail = DetailSchemas[detailType].safeParse(envelope.data.detail);
  if (!detail.success) {
    const orderId = (envelope.data.detail as { orderId?: unknown } | null)?.orderId;
    throw new ValidationError(`${detailType} detail`, fieldIssues(detail.error), { messageId: record.messageId, orderId: typeof orderId === 'string' ? orderId : undefined });
  }
  return { id: envelope.data.id, detailType, detail: detail.data, time: envelope.data.time };
}
