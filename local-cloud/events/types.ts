/**
 * Inputs and outputs of the EventBridge operations in the shape of the AWS JSON protocol (what
 * `AWSEvents.<Operation>` requests carry), which is also the in-process API of
 * {@link EventBridgeService}. Inputs are as the operations layer hands them on, validated:
 * required members present, every member of its type. Times are epoch seconds, as on the wire.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_Operations.html
 */
import type { TargetInput } from '#cloud/events/input-transformer';
import type { PutEventsEntry } from '#cloud/events/put-events-entry';
import type { RetryPolicy } from '#cloud/events/target-delivery';

/** Whether a rule routes events. */
export type RuleState = 'ENABLED' | 'DISABLED';

/** Whether an archive receives events. */
export type ArchiveState = 'ENABLED' | 'DISABLED';

/** A rule target as PutTargets takes it and ListTargetsByRule returns it. */
export interface Target extends TargetInput {
  readonly Id: string;
  readonly Arn: string;
  readonly DeadLetterConfig?: { readonly Arn?: string };
  readonly RetryPolicy?: RetryPolicy;
  readonly SqsParameters?: { readonly MessageGroupId?: string };
}

/** Output of operations that return nothing. */
export type EmptyOutput = Record<string, never>;

/** Input of PutEvents. */
export interface PutEventsInput {
  readonly Entries: readonly PutEventsEntry[];
}

/** One entry's result in PutEvents: its event id, or why it failed. */
export type PutEventsResultEntry = { readonly EventId: string } | { readonly ErrorCode: string; readonly ErrorMessage: string };

/** Output of PutEvents. */
export interface PutEventsOutput {
  readonly FailedEntryCount: number;
  readonly Entries: readonly PutEventsResultEntry[];
}

/** Input of TestEventPattern. */
export interface TestEventPatternInput {
  readonly EventPattern: string;
  readonly Event: string;
}

/** Output of TestEventPattern. */
export interface TestEventPatternOutput {
  readonly Result: boolean;
}

/** Input of CreateEventBus. */
export interface CreateEventBusInput {
  readonly Name: string;
  readonly Description?: string;
}

/** Output of CreateEventBus. */
export interface CreateEventBusOutput {
  readonly EventBusArn: string;
}

/** Input of DescribeEventBus and DeleteEventBus. */
export interface EventBusInput {
  /** @default 'default' (DescribeEventBus only) */
  readonly Name?: string;
}

/** A bus as DescribeEventBus and ListEventBuses show it. */
export interface EventBusOutput {
  readonly Name: string;
  readonly Arn: string;
}

/** Input of ListEventBuses. */
export interface ListEventBusesInput {
  readonly NamePrefix?: string;
}

/** Output of ListEventBuses. */
export interface ListEventBusesOutput {
  readonly EventBuses: readonly EventBusOutput[];
}

/** Input of PutRule (event-pattern rules only: the local cloud runs no schedules). */
export interface PutRuleInput {
  readonly Name: string;
  readonly EventBusName?: string;
  readonly EventPattern: string;
  /** `DISABLED`, or anything else for an enabled rule. @default 'ENABLED' */
  readonly State?: string;
  readonly Description?: string;
}

/** Output of PutRule. */
export interface PutRuleOutput {
  readonly RuleArn: string;
}

/** Input of the operations on one rule: DescribeRule, EnableRule, DisableRule. */
export interface RuleInput {
  readonly Name: string;
  /** @default 'default' */
  readonly EventBusName?: string;
}

/** Input of DeleteRule. */
export interface DeleteRuleInput extends RuleInput {
  /** Deletes a rule an AWS service manages. */
  readonly Force?: boolean;
}

/** A rule as ListRules shows it. */
export interface RuleOutput {
  readonly Name: string;
  readonly Arn: string;
  readonly EventPattern: string;
  readonly State: RuleState;
  readonly Description?: string;
  /** The AWS service that created and manages the rule. */
  readonly ManagedBy?: string;
  readonly EventBusName: string;
}

/** Output of DescribeRule. */
export interface DescribeRuleOutput extends RuleOutput {
  /** The account that created the rule. */
  readonly CreatedBy: string;
}

/** Input of ListRules. */
export interface ListRulesInput {
  readonly EventBusName?: string;
  readonly NamePrefix?: string;
}

/** Output of ListRules. */
export interface ListRulesOutput {
  readonly Rules: readonly RuleOutput[];
}

/** Input of PutTargets. */
export interface PutTargetsInput {
  readonly Rule: string;
  readonly EventBusName?: string;
  readonly Targets: readonly Target[];
}

/** A target PutTargets could not put. */
export interface FailedTargetEntry {
  readonly TargetId: string;
  readonly ErrorCode: string;
  readonly ErrorMessage: string;
}

/** Output of PutTargets and RemoveTargets. */
export interface TargetsOutput {
  readonly FailedEntryCount: number;
  readonly FailedEntries: readonly FailedTargetEntry[];
}

/** Input of RemoveTargets. */
export interface RemoveTargetsInput {
  readonly Rule: string;
  readonly EventBusName?: string;
  readonly Ids: readonly string[];
  /** Removes targets of a rule an AWS service manages. */
  readonly Force?: boolean;
}

/** Input of ListTargetsByRule. */
export interface ListTargetsByRuleInput {
  readonly Rule: string;
  readonly EventBusName?: string;
}

/** Output of ListTargetsByRule. */
export interface ListTargetsByRuleOutput {
  readonly Targets: readonly Target[];
}

/** Input of CreateArchive. */
export interface CreateArchiveInput {
  readonly ArchiveName: string;
  /** The ARN of the bus whose events the archive keeps. */
  readonly EventSourceArn: string;
  readonly EventPattern?: string;
  /** @default 0, indefinitely */
  readonly RetentionDays?: number;
  readonly Description?: string;
}

/** Output of CreateArchive. */
export interface CreateArchiveOutput {
  readonly ArchiveArn: string;
  readonly State: ArchiveState;
  readonly CreationTime: number;
}

/** Input of DescribeArchive and DeleteArchive. */
export interface ArchiveInput {
  readonly ArchiveName: string;
}

/** An archive as ListArchives shows it. */
export interface ArchiveSummaryOutput {
  readonly ArchiveName: string;
  readonly EventSourceArn: string;
  readonly State: ArchiveState;
  readonly StateReason?: string;
  readonly RetentionDays: number;
  readonly EventCount: number;
  readonly CreationTime: number;
}

/** Output of DescribeArchive. */
export interface DescribeArchiveOutput extends ArchiveSummaryOutput {
  readonly ArchiveArn: string;
  readonly EventPattern?: string;
  readonly Description?: string;
  readonly SizeBytes: number;
}

/** Input of ListArchives. */
export interface ListArchivesInput {
  readonly NamePrefix?: string;
  readonly EventSourceArn?: string;
}

/** Output of ListArchives. */
export interface ListArchivesOutput {
  readonly Archives: readonly ArchiveSummaryOutput[];
}

/** Where a replay sends its events. */
export interface ReplayDestination {
  /** The ARN of the archive's bus. */
  readonly Arn: string;
  /** Only these rules receive the events. @default every rule of the bus */
  readonly FilterArns?: readonly string[];
}

/** Input of StartReplay. */
export interface StartReplayInput {
  readonly ReplayName: string;
  /** The ARN of the archive. */
  readonly EventSourceArn: string;
  readonly EventStartTime: number;
  readonly EventEndTime: number;
  readonly Destination: ReplayDestination;
  readonly Description?: string;
}

/** Output of StartReplay. */
export interface StartReplayOutput {
  readonly ReplayArn: string;
  readonly State: string;
  readonly ReplayStartTime: number;
}

/** Input of DescribeReplay and CancelReplay. */
export interface ReplayInput {
  readonly ReplayName: string;
}

/** Output of DescribeReplay. */
export interface DescribeReplayOutput {
  readonly ReplayName: string;
  readonly ReplayArn: string;
  readonly Description?: string;
  readonly State: string;
  readonly StateReason?: string;
  readonly EventSourceArn: string;
  readonly Destination: ReplayDestination;
  readonly EventStartTime: number;
  readonly EventEndTime: number;
  readonly EventLastReplayedTime?: number;
  readonly ReplayStartTime: number;
  readonly ReplayEndTime?: number;
}

/** Output of CancelReplay. */
export interface CancelReplayOutput {
  readonly ReplayArn: string;
  readonly State: string;
}

/** Input of ListReplays. */
export interface ListReplaysInput {
  readonly NamePrefix?: string;
  readonly State?: string;
}

/** A replay as ListReplays shows it. */
export interface ReplaySummaryOutput {
  readonly ReplayName: string;
  readonly EventSourceArn: string;
  readonly State: string;
  readonly ReplayStartTime: number;
}

/** Output of ListReplays. */
export interface ListReplaysOutput {
  readonly Replays: readonly ReplaySummaryOutput[];
}
