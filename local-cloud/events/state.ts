/**
 * The local EventBridge's state: buses with their rules and targets, archives with their
 * events, replays, and the deliveries to targets not yet finished. Only `applyEventBridgeChange`
 * in `changes.ts` changes it. Times are absolute epoch ms.
 */
import type { EventPattern } from '#cloud/events/event-pattern';
import type { EventEnvelope } from '#cloud/events/put-events-entry';
import type { Delivery } from '#cloud/events/target-delivery';
import type { ReplayDestination, RuleState, Target } from '#cloud/events/types';

/** The bus every account has, which cannot be deleted. */
export const DEFAULT_BUS_NAME = 'default';

/** A rule without its targets, as plain data. */
export interface RuleDefinition {
  readonly name: string;
  readonly arn: string;
  readonly busName: string;
  readonly eventPattern: string;
  readonly state: RuleState;
  readonly description?: string;
  /** The AWS service that created the rule and manages it (ManagedBy); absent on a rule of the account's own. */
  readonly managedBy?: string;
  /** The archive a managed archive rule feeds: its matched events go there, not to a delivery. */
  readonly archive?: string;
}

/** A rule on a bus. */
export interface Rule extends RuleDefinition {
  /** By target id, in the order they were put. */
  readonly targets: Map<string, Target>;
  /** The compiled `eventPattern`. */
  readonly matcher: EventPattern;
}

/** An event bus and its rules. */
export interface Bus {
  readonly name: string;
  readonly arn: string;
  /** By name, in the order they were created. */
  readonly rules: Map<string, Rule>;
}

/** An event an archive keeps. */
export interface ArchivedEvent {
  readonly event: EventEnvelope;
  /** Epoch ms the archive received it; retention counts from here. */
  readonly archivedAt: number;
}

/** An archive and the events it holds. */
export interface Archive {
  readonly name: string;
  readonly arn: string;
  /** The ARN of the bus whose events it keeps. */
  readonly eventSourceArn: string;
  readonly eventPattern?: string;
  readonly description?: string;
  /** 0 keeps events indefinitely. */
  readonly retentionDays: number;
  readonly creationTime: number;
  /**
   * Tells this archive from an earlier one of the same name, as the `archive-arn` its managed
   * rule's target names (`<archive ARN>:<incarnation>`).
   */
  readonly incarnation: string;
  /** In the order they were archived. */
  readonly events: ArchivedEvent[];
}

/** The states a replay goes through. */
export const ReplayState = {
  starting: 'STARTING',
  running: 'RUNNING',
  cancelling: 'CANCELLING',
  completed: 'COMPLETED',
  cancelled: 'CANCELLED',
  failed: 'FAILED',
} as const;
/** One of {@link ReplayState}. */
export type ReplayState = (typeof ReplayState)[keyof typeof ReplayState];

/** A replay and its progress. */
export interface Replay {
  readonly name: string;
  readonly arn: string;
  /** The ARN of the archive it replays. */
  readonly eventSourceArn: string;
  readonly description?: string;
  readonly destination: ReplayDestination;
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  readonly state: ReplayState;
  readonly stateReason?: string;
  readonly replayStartTime: number;
  readonly replayEndTime?: number;
  readonly eventLastReplayedTime?: number;
}

/** The whole state of the local EventBridge. */
export interface EventBridgeState {
  /** By name. */
  readonly buses: Map<string, Bus>;
  /** By name. */
  readonly archives: Map<string, Archive>;
  /** By name. */
  readonly replays: Map<string, Replay>;
  /** Deliveries to targets started and not yet ended (delivered, dead-lettered or dropped), by id. */
  readonly deliveries: Map<string, Delivery>;
}

/** The name of a bus given by name or by ARN (`…:event-bus/<name>`), as EventBusName takes either. */
export function busNameOf(nameOrArn: string): string {
  return nameOrArn.startsWith('arn:') ? (nameOrArn.split('/').pop() ?? nameOrArn) : nameOrArn;
}

/** The bus with this name, or with this ARN. */
export function busNamed<B>(buses: ReadonlyMap<string, B>, nameOrArn: string): B | undefined {
  return buses.get(busNameOf(nameOrArn));
}

/** The bus with exactly this ARN. */
export function busWithArn<B extends { readonly arn: string }>(buses: ReadonlyMap<string, B>, arn: string): B | undefined {
  for (const bus of buses.values()) if (bus.arn === arn) return bus;
  return undefined;
}

/**
 * The ARN of a rule on `bus`: `arn:aws:events:<region>:<account>:rule/[<bus>/]<name>`, the bus
 * named unless it is the default one.
 */
export function ruleArnOf(bus: Pick<Bus, 'name' | 'arn'>, ruleName: string): string {
  const prefix = bus.arn.slice(0, bus.arn.lastIndexOf(':event-bus/') + 1);
  return `${prefix}rule/${bus.name === DEFAULT_BUS_NAME ? '' : `${bus.name}/`}${ruleName}`;
}
