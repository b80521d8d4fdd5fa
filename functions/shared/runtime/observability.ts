/**
 * Structured JSON logs and EMF metrics (Powertools), at most one instance of each per function.
 * Records are processed in parallel, so the order id is passed as `correlation_id` on each
 * log line rather than set on the shared logger, where records would overwrite each other's.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

/** The CloudWatch namespace of every metric the pipeline emits. */
export const METRICS_NAMESPACE = 'OrderPipeline';

/** The metric names each step emits. */
export const StepMetric = {
  processed: 'RecordsProcessed',
  failed: 'RecordsFailed',
  parked: 'RecordsParked',
} as const;

/**
 * The pipeline's end-to-end metric: milliseconds from an order's placing (`placedAt`, stamped
 * by POST /orders) to the projection writing its final status. The projection emits it once
 * per order, when the read model first shows a terminal status.
 */
export const OrderMetric = {
  latency: 'OrderLatency',
} as const;

/** The function's logger; the service name comes from POWERTOOLS_SERVICE_NAME. */
export const logger = new Logger();

/**
 * The function's metrics, flushed once per invocation. Only the SQS-fed steps emit metrics; the
 * annotation lets esbuild drop this instance, and the Metrics code with it, from the bundles of
 * the HTTP handlers, which import this module for the logger alone.
 */
export const metrics = /* @__PURE__ */ new Metrics({ namespace: METRICS_NAMESPACE });
