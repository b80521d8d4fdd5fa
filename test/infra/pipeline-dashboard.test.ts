import { App, Stack } from 'aws-cdk-lib';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { appContext, buildOrderPipeline, type OrderPipeline } from '#infra/app';
import { HTTP_FUNCTION_NAMES, STEP_NAMES } from '#shared/pipeline-graph';
import { METRICS_NAMESPACE, OrderMetric, StepMetric } from '#shared/runtime/observability';
import { resourcesOfType, type TemplateJson } from './template-queries.ts';

/** One metric line of a graph widget: namespace, name, then dimension name and value pairs. */
type MetricLine = readonly unknown[];

let pipeline: OrderPipeline;
let json: TemplateJson;
let metricLines: MetricLine[];

beforeAll(() => {
  // The dashboard does not depend on the functions' code: skip bundling.
  pipeline = buildOrderPipeline({ app: new App({ context: { ...appContext(), 'aws:cdk:bundling-stacks': [] } }) });
  json = Template.fromStack(pipeline.stack).toJSON() as TemplateJson;
  metricLines = dashboardWidgets(json).flatMap((widget) => (widget.properties?.metrics ?? []) as MetricLine[]);
});

/** The dashboard's widgets, with each `Ref`/`Fn::GetAtt` in its body written `@<logicalId>`. */
function dashboardWidgets(template: TemplateJson): { type: string; properties?: Record<string, unknown> }[] {
  const [[, dashboard] = []] = resourcesOfType(template, 'AWS::CloudWatch::Dashboard');
  const [, parts] = dashboard?.Properties?.DashboardBody['Fn::Join'] as [string, unknown[]];
  const body = parts.map((part) => (typeof part === 'string' ? part : `@${placeholderOf(part)}`)).join('');
  return (JSON.parse(body) as { widgets: { type: string; properties?: Record<string, unknown> }[] }).widgets;
}

function placeholderOf(part: unknown): string {
  const { Ref, 'Fn::GetAtt': getAtt } = part as { Ref?: string; 'Fn::GetAtt'?: [string, string] };
  return Ref ?? getAtt?.[0] ?? JSON.stringify(part);
}

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return Stack.of(pipeline.stack).getLogicalId(construct.node.defaultChild as CfnElement);
}

/** Whether a metric line has this namespace, name and dimension (value as placed in the body). */
function hasMetric(namespace: string, name: string, dimension: string, value: string): boolean {
  return metricLines.some((line) => {
    const names = line.filter((item) => typeof item === 'string') as string[];
    // A line repeats "." for the namespace and name of the line before it.
    const index = names.indexOf(dimension);
    return (names[0] === namespace || names[0] === '.') && (names[1] === name || names[1] === '.') && index > 1 && names[index + 1] === value;
  });
}

/** The same as {@link hasMetric}, with "." expanded: lines are read whole, in order. */
function metricsOf(dimension: string, value: string): string[] {
  let namespace = '';
  let name = '';
  const found: string[] = [];
  for (const line of metricLines) {
    const [first, second, ...rest] = line as string[];
    if (typeof first === 'string' && first !== '.') namespace = first;
    if (typeof second === 'string' && second !== '.') name = second;
    const index = rest.indexOf(dimension);
    if (index >= 0 && rest[index + 1] === value) found.push(`${namespace} ${name}`);
  }
  return found;
}

describe('the pipeline dashboard', () => {
  it('is one dashboard, its URL a stack output', () => {
    // Assess
    expect(resourcesOfType(json, 'AWS::CloudWatch::Dashboard')).toHaveLength(1);
    expect(JSON.stringify(json.Outputs?.DashboardUrl.Value)).toContain('#dashboards:name=');
  });

  it.each(STEP_NAMES)("shows what %s's handler processed, failed and parked", (step) => {
    // Assess
    expect(metricsOf('service', step)).toEqual(expect.arrayContaining(Object.values(StepMetric).map((name) => `${METRICS_NAMESPACE} ${name}`)));
  });

  it.each(STEP_NAMES)("shows %s's queue depth, in-flight count and oldest message age, and both DLQs' depths", (step) => {
    // Prepare
    const { queue, deadLetterQueue, targetDeadLetterQueue } = pipeline.stack.steps[step];
    // Assess
    expect(metricsOf('QueueName', `@${logicalId(queue)}`)).toEqual(
      expect.arrayContaining(['AWS/SQS ApproximateNumberOfMessagesVisible', 'AWS/SQS ApproximateNumberOfMessagesNotVisible', 'AWS/SQS ApproximateAgeOfOldestMessage']),
    );
    expect(metricsOf('QueueName', `@${logicalId(deadLetterQueue)}`)).toContain('AWS/SQS ApproximateNumberOfMessagesVisible');
    expect(metricsOf('QueueName', `@${logicalId(targetDeadLetterQueue)}`)).toContain('AWS/SQS ApproximateNumberOfMessagesVisible');
  });

  it.each([...STEP_NAMES, ...HTTP_FUNCTION_NAMES])("shows %s's function errors, throttles, concurrency and duration", (name) => {
    // Prepare
    const fn = name in pipeline.stack.steps ? pipeline.stack.steps[name as (typeof STEP_NAMES)[number]].function : pipeline.stack.httpFunctions[name as (typeof HTTP_FUNCTION_NAMES)[number]];
    // Assess
    expect(metricsOf('FunctionName', `@${logicalId(fn)}`)).toEqual(
      expect.arrayContaining(['AWS/Lambda Errors', 'AWS/Lambda Throttles', 'AWS/Lambda ConcurrentExecutions', 'AWS/Lambda Duration']),
    );
  });

  it("shows the HTTP API's 4xx, 5xx and latency, and the orders' latency from POST to final status", () => {
    // Assess
    expect(metricsOf('ApiId', `@${logicalId(pipeline.stack.api)}`)).toEqual(expect.arrayContaining(['AWS/ApiGateway 4xx', 'AWS/ApiGateway 5xx', 'AWS/ApiGateway Latency']));
    expect(hasMetric(METRICS_NAMESPACE, OrderMetric.latency, 'service', 'project-order')).toBe(true);
  });
});
