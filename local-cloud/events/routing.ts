/**
 * Routing an event on a bus: which enabled rules match it, and what each of their targets
 * receives. Pure: it decides, and the service commits what it decided (the events archived,
 * the deliveries started).
 * @see https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rules.html
 */
import { targetInputOf } from '#cloud/events/input-transformer';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { Bus, Rule } from '#cloud/events/state';
import type { DeepReadonly } from '#cloud/persistence/change-log';
import type { Delivery } from '#cloud/events/target-delivery';

/** Where an event goes. */
export interface Routing {
  /** The archives whose managed rules matched it. */
  readonly archives: readonly string[];
  /** A delivery per target of every other rule that matched it. */
  readonly deliveries: readonly Delivery[];
  /** The rules that matched it and deliver to targets (archives' managed rules not counted). */
  readonly matchedRules: number;
}

/**
 * Routes `event` on `bus` at `now` (epoch ms, its ingestion time) to the enabled rules that
 * match it and that `ruleFilter` lets through (a replay's FilterArns).
 */
export function routeEvent(bus: DeepReadonly<Bus>, event: EventEnvelope, now: number, ruleFilter: (rule: DeepReadonly<Rule>) => boolean = () => true): Routing {
  const archives: string[] = [];
  const deliveries: Delivery[] = [];
  let matchedRules = 0;
  // Most targets take the whole event: serialize it once for all of them.
  let json: string | undefined;
  const eventJson = () => (json ??= JSON.stringify(event));
  const ingestionTime = new Date(now).toISOString();
  for (const rule of bus.rules.values()) {
    if (rule.state !== 'ENABLED' || !ruleFilter(rule) || !rule.matcher.matches(event)) continue;
    if (rule.archive !== undefined) {
      // The managed rule's one target is its archive, which keeps the event itself.
      if (rule.targets.size > 0) archives.push(rule.archive);
      continue;
    }
    matchedRules += 1;
    for (const target of rule.targets.values()) {
      deliveries.push({
        eventId: event.id,
        eventTime: now,
        ruleArn: rule.arn,
        targetArn: target.Arn,
        body: targetInputOf(target, event, { ruleArn: rule.arn, ruleName: rule.name, ingestionTime }, eventJson),
        messageGroupId: target.SqsParameters?.MessageGroupId,
        retryPolicy: target.RetryPolicy,
        deadLetterArn: target.DeadLetterConfig?.Arn,
      });
    }
  }
  return { archives, deliveries, matchedRules };
}
