/**
 * The pipeline's CloudWatch dashboard, one row per step and one for the HTTP API and the
 * orders' end-to-end latency. It is computed from the steps and HTTP functions the stack built
 * from the pipeline's declaration, so a step added there gets its widgets without an edit here.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Dashboards.html
 */
import { Aws, Duration, Fn } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Dashboard, GraphWidget, MathExpression, Metric, PeriodOverride, TextWidget, type IMetric, type IWidget } from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, OrderMetric, StepMetric } from '#shared/runtime/observability';
import type { PipelineStep } from '#infra/pipeline-step';

/** Powertools Metrics puts every metric under this dimension, valued with POWERTOOLS_SERVICE_NAME (the step's name). */
const SERVICE_DIMENSION = 'service';
/** The period of every graph: SQS and Lambda publish per minute. */
const PERIOD = Duration.minutes(1);
/** Widgets per row: the dashboard grid is 24 units wide. */
const GRID_WIDTH = 24;
const WIDGET_HEIGHT = 6;

/** Properties of a {@link PipelineDashboard}. */
export interface PipelineDashboardProps {
  /** The dashboard's name, unique in the account and region. */
  readonly dashboardName: string;
  /** The SQS-fed steps, by name (the service each one's metrics carry). */
  readonly steps: Readonly<Record<string, PipelineStep>>;
  /** The functions behind the HTTP API, by name. */
  readonly httpFunctions: Readonly<Record<string, IFunction>>;
  /** The HTTP API whose 4xx, 5xx and latency are shown. */
  readonly api: IHttpApi;
  /** The step whose function emits the orders' end-to-end latency (`OrderLatency`): the projection. */
  readonly latencyEmittedBy: string;
}

/**
 * The dashboard: for each step, what its handler processed, failed and parked (the EMF metrics),
 * its queue's depth, in-flight count and oldest message age, both DLQs' depths, and its
 * function's errors, throttles, concurrency and p99 duration; for the HTTP API, its 4xx, 5xx and
 * latency and its functions' health; and the orders' latency from POST to final status.
 */
export class PipelineDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The console URL of the dashboard. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PipelineDashboardProps) {
    super(scope, id);
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
      periodOverride: PeriodOverride.AUTO,
    });
    this.dashboard.addWidgets(new TextWidget({ markdown: '# Orders\nEnd to end: from POST /orders to the final status (the projection measures it). The HTTP API: client and server errors, latency.', width: GRID_WIDTH, height: 2 }));
    this.dashboard.addWidgets(...this.ordersRow(props));
    for (const [name, step] of Object.entries(props.steps)) {
      this.dashboard.addWidgets(new TextWidget({ markdown: `## ${name}`, width: GRID_WIDTH, height: 1 }));
      this.dashboard.addWidgets(...stepRow(name, step));
    }
    for (const [name, fn] of Object.entries(props.httpFunctions)) {
      this.dashboard.addWidgets(new TextWidget({ markdown: `## ${name} (HTTP)`, width: GRID_WIDTH, height: 1 }));
      this.dashboard.addWidgets(...functionWidgets(name, fn, GRID_WIDTH / 2));
    }
    this.url = Fn.join('', ['https://', Aws.REGION, '.console.aws.amazon.com/cloudwatch/home?region=', Aws.REGION, '#dashboards:name=', this.dashboard.dashboardName]);
  }

  private ordersRow(props: PipelineDashboardProps): IWidget[] {
    const latency = (statistic: string) =>
      new Metric({ namespace: METRICS_NAMESPACE, metricName: OrderMetric.latency, dimensionsMap: { [SERVICE_DIMENSION]: props.latencyEmittedBy }, statistic, period: PERIOD, label: statistic });
    const width = GRID_WIDTH / 3;
    return [
      graph('Orders: placed to final status (ms)', [latency('p50'), latency('p95'), latency('p99')], width),
      graph('HTTP API: 4xx and 5xx', [props.api.metricClientError({ period: PERIOD, label: '4xx' }), props.api.metricServerError({ period: PERIOD, label: '5xx' })], width),
      graph('HTTP API: latency (ms)', [props.api.metricLatency({ period: PERIOD, statistic: 'p50', label: 'p50' }), props.api.metricLatency({ period: PERIOD, statistic: 'p99', label: 'p99' })], width),
    ];
  }
}

/** A step's widgets: its records, its queue, its DLQs, its function. */
function stepRow(name: string, step: PipelineStep): IWidget[] {
  const width = GRID_WIDTH / 6;
  const records = (metricName: string) =>
    new Metric({ namespace: METRICS_NAMESPACE, metricName, dimensionsMap: { [SERVICE_DIMENSION]: name }, statistic: 'Sum', period: PERIOD, label: metricName });
  return [
    graph(`${name}: records`, Object.values(StepMetric).map(records), width),
    graph(`${name}: queue`, [
      step.queue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'depth' }),
      step.queue.metricApproximateNumberOfMessagesNotVisible({ period: PERIOD, statistic: 'Maximum', label: 'in flight' }),
    ], width),
    graph(`${name}: oldest message (s)`, [step.queue.metricApproximateAgeOfOldestMessage({ period: PERIOD, statistic: 'Maximum', label: 'age' })], width),
    graph(`${name}: DLQs`, [
      step.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'queue DLQ' }),
      step.targetDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: PERIOD, statistic: 'Maximum', label: 'rule-target DLQ' }),
    ], width),
    ...functionWidgets(name, step.function, width),
  ];
}

/** A function's errors and throttles, and its concurrency and p99 duration. */
function functionWidgets(name: string, fn: IFunction, width: number): IWidget[] {
  // ConcurrentExecutions per function is published only for functions with reserved concurrency;
  // the math expression keeps the widget readable (0, not "no data") when there is none.
  const concurrency = new MathExpression({
    expression: 'FILL(m, 0)',
    usingMetrics: { m: fn.metric('ConcurrentExecutions', { period: PERIOD, statistic: 'Maximum' }) },
    label: 'concurrency',
    period: PERIOD,
  });
  return [
    graph(`${name}: errors, throttles`, [fn.metricErrors({ period: PERIOD, label: 'errors' }), fn.metricThrottles({ period: PERIOD, label: 'throttles' })], width),
    graph(`${name}: concurrency, p99 duration (ms)`, [concurrency], width, [fn.metricDuration({ period: PERIOD, statistic: 'p99', label: 'p99 duration' })]),
  ];
}

function graph(title: string, left: IMetric[], width: number, right: IMetric[] = []): GraphWidget {
  return new GraphWidget({ title, left, right, width, height: WIDGET_HEIGHT });
}
