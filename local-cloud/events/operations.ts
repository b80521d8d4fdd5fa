/**
 * The EventBridge operation table: operation name -> how its input is read from the request
 * (every member checked for presence and type, names of new resources against EventBridge's
 * pattern) and the service method that serves it. What a request means (does the bus exist, is
 * the pattern valid) is the service's to judge.
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
 */
import { EventBridgeErrors } from '#cloud/events/errors';
import type { EventBridgeService } from '#cloud/events/eventbridge-service';
import { checkPutEventsRequest } from '#cloud/events/put-events-entry';
import type { ArchiveInput, ListTargetsByRuleInput, ReplayInput, RuleInput } from '#cloud/events/types';
import {
  optionalBoolean,
  optionalNumber,
  optionalString,
  optionalStringList,
  requiredNumber,
  requiredObject,
  requiredObjectList,
  requiredString,
  requiredStringList,
  resourceName,
  targetOf,
  type JsonObject,
} from '#cloud/events/validation';
import { operation, type OperationTable } from '#cloud/operation-table';

/** Archive names are at most 48 characters, so their managed rule's name fits in a rule name's 64. */
const MAX_ARCHIVE_NAME_LENGTH = 48;

const ruleInput = (input: JsonObject): RuleInput => ({ Name: requiredString(input, 'Name'), EventBusName: optionalString(input, 'EventBusName') });
const targetsOfRuleInput = (input: JsonObject): ListTargetsByRuleInput => ({ Rule: requiredString(input, 'Rule'), EventBusName: optionalString(input, 'EventBusName') });
const archiveInput = (input: JsonObject): ArchiveInput => ({ ArchiveName: requiredString(input, 'ArchiveName') });
const replayInput = (input: JsonObject): ReplayInput => ({ ReplayName: requiredString(input, 'ReplayName') });

/** Every EventBridge operation the local cloud serves. */
export const eventBridgeOperations: OperationTable<EventBridgeService> = {
  PutEvents: operation(
    (input) => {
      const entries = input.Entries;
      checkPutEventsRequest(entries);
      return { Entries: entries };
    },
    (events, input) => events.putEvents(input),
  ),
  TestEventPattern: operation(
    (input) => ({ EventPattern: requiredString(input, 'EventPattern'), Event: requiredString(input, 'Event') }),
    (events, input) => events.testEventPattern(input),
  ),
  CreateEventBus: operation(
    (input) => ({ Name: resourceName(input, 'Name'), Description: optionalString(input, 'Description') }),
    (events, input) => events.createEventBus(input),
  ),
  DescribeEventBus: operation(
    (input) => ({ Name: optionalString(input, 'Name') }),
    (events, input) => events.describeEventBus(input),
  ),
  DeleteEventBus: operation(
    (input) => ({ Name: requiredString(input, 'Name') }),
    (events, input) => events.deleteEventBus(input),
  ),
  ListEventBuses: operation(
    (input) => ({ NamePrefix: optionalString(input, 'NamePrefix') }),
    (events, input) => events.listEventBuses(input),
  ),
  PutRule: operation(
    (input) => {
      const Name = resourceName(input, 'Name');
      if (optionalString(input, 'ScheduleExpression') !== undefined) {
        throw EventBridgeErrors.validation(`Rule ${Name}: ScheduleExpression rules are not run by the local cloud; only event-pattern rules are.`);
      }
      const EventPattern = optionalString(input, 'EventPattern');
      if (EventPattern === undefined) throw EventBridgeErrors.validation('Parameter EventPattern is required (ScheduleExpression is not supported locally).');
      return { Name, EventPattern, EventBusName: optionalString(input, 'EventBusName'), State: optionalString(input, 'State'), Description: optionalString(input, 'Description') };
    },
    (events, input) => events.putRule(input),
  ),
  DescribeRule: operation(ruleInput, (events, input) => events.describeRule(input)),
  DeleteRule: operation(
    (input) => ({ ...ruleInput(input), Force: optionalBoolean(input, 'Force') }),
    (events, input) => events.deleteRule(input),
  ),
  EnableRule: operation(ruleInput, (events, input) => events.enableRule(input)),
  DisableRule: operation(ruleInput, (events, input) => events.disableRule(input)),
  ListRules: operation(
    (input) => ({ EventBusName: optionalString(input, 'EventBusName'), NamePrefix: optionalString(input, 'NamePrefix') }),
    (events, input) => events.listRules(input),
  ),
  PutTargets: operation(
    (input) => ({ ...targetsOfRuleInput(input), Targets: requiredObjectList(input, 'Targets').map(targetOf) }),
    (events, input) => events.putTargets(input),
  ),
  RemoveTargets: operation(
    (input) => ({ ...targetsOfRuleInput(input), Ids: requiredStringList(input, 'Ids'), Force: optionalBoolean(input, 'Force') }),
    (events, input) => events.removeTargets(input),
  ),
  ListTargetsByRule: operation(targetsOfRuleInput, (events, input) => events.listTargetsByRule(input)),
  CreateArchive: operation(
    (input) => {
      const ArchiveName = resourceName(input, 'ArchiveName');
      if (ArchiveName.length > MAX_ARCHIVE_NAME_LENGTH) throw EventBridgeErrors.memberTooLong('ArchiveName', ArchiveName, MAX_ARCHIVE_NAME_LENGTH);
      return {
        ArchiveName,
        EventSourceArn: requiredString(input, 'EventSourceArn'),
        EventPattern: optionalString(input, 'EventPattern'),
        RetentionDays: optionalNumber(input, 'RetentionDays'),
        Description: optionalString(input, 'Description'),
      };
    },
    (events, input) => events.createArchive(input),
  ),
  DescribeArchive: operation(archiveInput, (events, input) => events.describeArchive(input)),
  DeleteArchive: operation(archiveInput, (events, input) => events.deleteArchive(input)),
  ListArchives: operation(
    (input) => ({ NamePrefix: optionalString(input, 'NamePrefix'), EventSourceArn: optionalString(input, 'EventSourceArn') }),
    (events, input) => events.listArchives(input),
  ),
  StartReplay: operation(
    (input) => {
      const destination = requiredObject(input, 'Destination');
      return {
        ReplayName: resourceName(input, 'ReplayName'),
        EventSourceArn: requiredString(input, 'EventSourceArn'),
        EventStartTime: requiredNumber(input, 'EventStartTime'),
        EventEndTime: requiredNumber(input, 'EventEndTime'),
        Destination: { Arn: requiredString(destination, 'Arn'), FilterArns: optionalStringList(destination, 'FilterArns') },
        Description: optionalString(input, 'Description'),
      };
    },
    (events, input) => events.startReplay(input),
  ),
  DescribeReplay: operation(replayInput, (events, input) => events.describeReplay(input)),
  CancelReplay: operation(replayInput, (events, input) => events.cancelReplay(input)),
  ListReplays: operation(
    (input) => ({ NamePrefix: optionalString(input, 'NamePrefix'), State: optionalString(input, 'State') }),
    (events, input) => events.listReplays(input),
  ),
};
