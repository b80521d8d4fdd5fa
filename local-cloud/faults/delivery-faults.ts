/**
 * `unreachableTarget`, `delay` and `duplicate` faults on EventBridge's sends to its rules'
 * target queues. An unreachable queue answers a retriable `ServiceUnavailable`, so the target's
 * retry policy and then its DLQ come into play; a delay holds a send so deliveries reorder; a
 * duplicate sends the same body twice (at-least-once delivery). Sends to a target's DLQ are
 * left alone: the fault is the target being down, not EventBridge losing what it parks.
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-retry-policy.html
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AwsServiceError } from '#cloud/aws-error';
import type { SqsSendPort } from '#cloud/events/target-delivery';
import type { FaultInjector } from '#cloud/faults/fault-injector';

/** `port` with delivery faults applied to sends whose queue `isRuleTarget` says is a rule's target. */
export function withDeliveryFaults(port: SqsSendPort, faults: FaultInjector, isRuleTarget: (queueName: string) => boolean): SqsSendPort {
  return {
    sendMessage: async (input, origin) => {
      // EventBridge addresses a queue by URL or by name; either way the name is the last segment.
      const queueName = input.QueueUrl.split('/').pop() ?? input.QueueUrl;
      if (!isRuleTarget(queueName)) return port.sendMessage(input, origin);
      if (faults.unreachable(queueName)) {
        throw new AwsServiceError('ServiceUnavailable', `injected fault: queue ${queueName} is unreachable`, { statusCode: 503 });
      }
      const delayMs = faults.delayMs(queueName);
      // Not referenced: a held send must not keep a stopping process alive.
      if (delayMs > 0) await sleep(delayMs, undefined, { ref: false });
      const result = await port.sendMessage(input, origin);
      if (faults.strikes('duplicate', queueName)) await port.sendMessage(input, origin);
      return result;
    },
  };
}
