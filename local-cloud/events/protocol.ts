/**
 * How the local EventBridge speaks on the wire: the AWS JSON 1.1 protocol, `X-Amz-Target:
 * AWSEvents.<Operation>`, dispatched through the operation table.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonParameters.html
 */
import type { EventBridgeService } from '#cloud/events/eventbridge-service';
import { eventBridgeOperations } from '#cloud/events/operations';
import type { JsonProtocolBinding } from '#cloud/gateway-registration';
import { bindOperations } from '#cloud/operation-table';

/**
 * The gateway binding of an EventBridge service.
 *
 * @example
 * gateway.register({ name: 'events', json: eventBridgeBinding(new EventBridgeService({ sqs })) });
 */
export function eventBridgeBinding(events: EventBridgeService): JsonProtocolBinding {
  return { targetPrefix: 'AWSEvents', jsonVersion: '1.1', operations: bindOperations(eventBridgeOperations, events) };
}
