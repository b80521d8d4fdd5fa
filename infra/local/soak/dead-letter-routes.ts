/**
 * Where each DLQ of the stack sends its messages back to, read from the template: a step
 * queue's DLQ (its RedrivePolicy) returns to the step queue; a rule target's DLQ
 * (DeadLetterConfig) returns to the rule's target queue.
 */
import type { StackPlan } from '#cloud/template/stack-plan';

/** A DLQ and the queue its messages belong to. */
export interface DeadLetterRoute {
  /** `step`: SQS's redrive target and the handlers' parking; `target`: EventBridge's for undeliverable events. */
  readonly kind: 'step' | 'target';
  readonly deadLetterQueueName: string;
  /** The queue a redrive returns the messages to. */
  readonly sourceQueueName: string;
}

/** Every DLQ of the plan with its source queue. */
export function deadLetterRoutes(plan: StackPlan): DeadLetterRoute[] {
  const nameOf = (arn: unknown) => String(arn).split(':').pop() ?? '';
  const step = plan.queues.flatMap((queue): DeadLetterRoute[] =>
    queue.deadLetterQueueName === undefined ? [] : [{ kind: 'step', deadLetterQueueName: queue.deadLetterQueueName, sourceQueueName: queue.QueueName }],
  );
  const target = plan.rules.flatMap((rule) =>
    rule.Targets.flatMap((target): DeadLetterRoute[] => {
      const deadLetterArn = (target.DeadLetterConfig as { Arn?: string } | undefined)?.Arn;
      return deadLetterArn === undefined ? [] : [{ kind: 'target', deadLetterQueueName: nameOf(deadLetterArn), sourceQueueName: nameOf(target.Arn) }];
    }),
  );
  return [...step, ...target];
}
