/**
 * What faults the local cloud injects, and the text form `--faults` and `LOCAL_CLOUD_FAULTS`
 * take. Grammar (items separated by commas, later items override earlier ones):
 *
 * ```
 * spec     := 'none' | item (',' item)*
 * item     := 'all' | kind '=' value ['@' target ('+' target)*]
 * kind     := 'throw' | 'crash' | 'duplicate' | 'putEventsFailure'      value: probability 0..1
 *           | 'delay'                                                    value: max delay, 200 | 200ms | 2s
 *           | 'unreachableTarget'                                        value: probability 0..1, or a window 5s | 800ms
 * target   := a function, queue or detail-type name, or part of one: `capture-payment` matches
 *             `OrderPipeline-CapturePaymentFunction…` (case and punctuation are ignored)
 * ```
 * `all` is {@link ALL_FAULTS}: every kind at a rate a pipeline must absorb without losing an order.
 */
import { FaultSettingError } from '#cloud/faults/errors';

/** The kinds of fault. */
export const FaultKind = {
  /** A function invocation fails before the handler runs, as if it threw. */
  throw: 'throw',
  /** The handler runs (its writes happen) but the worker dies before the mapping deletes the batch. */
  crash: 'crash',
  /** A delivery is made twice: EventBridge to a target queue, or SQS again after processing. */
  duplicate: 'duplicate',
  /** EventBridge to queue sends wait a random 0..N ms, so deliveries reorder. */
  delay: 'delay',
  /** A PutEvents entry answers `InternalFailure` and is not put on the bus. */
  putEventsFailure: 'putEventsFailure',
  /** A rule's target queue refuses sends with a retriable error (for a fraction of sends, or for a window). */
  unreachableTarget: 'unreachableTarget',
} as const;
export type FaultKind = (typeof FaultKind)[keyof typeof FaultKind];

/** Which names a fault applies to. */
export interface FaultTargets {
  /** Name fragments (function, queue or detail-type); absent: every name. */
  readonly targets?: readonly string[];
}

/** A fault that strikes each time with some probability. */
export interface ProbabilityFault extends FaultTargets {
  /** From 0 (never) to 1 (always). */
  readonly probability: number;
}

/** Delayed deliveries. */
export interface DelayFault extends FaultTargets {
  /** Each send waits a uniform random 0..maxDelayMs milliseconds. */
  readonly maxDelayMs: number;
}

/** An unreachable target: each send fails with `probability`, or every send fails during `windowMs` after the faults were set. */
export type UnreachableTargetFault = ProbabilityFault | (FaultTargets & { readonly windowMs: number });

/** The faults to inject, by kind; a kind left out is not injected. */
export interface FaultSpec {
  readonly throw?: ProbabilityFault;
  readonly crash?: ProbabilityFault;
  readonly duplicate?: ProbabilityFault;
  readonly delay?: DelayFault;
  readonly putEventsFailure?: ProbabilityFault;
  readonly unreachableTarget?: UnreachableTargetFault;
}

/**
 * `all`: every kind at once. Throws and crashes are kept low because a batch that fails on all
 * of its queue's 4 receives is moved to the DLQ by SQS without a cause (an invariant violation,
 * and what a real outage would do): at 3% together that is about 1 record in 1.2 million.
 */
export const ALL_FAULTS: FaultSpec = {
  throw: { probability: 0.02 },
  crash: { probability: 0.01 },
  duplicate: { probability: 0.05 },
  delay: { maxDelayMs: 100 },
  putEventsFailure: { probability: 0.02 },
  unreachableTarget: { probability: 0.05 },
};

/** The longest delay or unreachable window accepted: longer would outlast EventBridge's retries for nothing. */
const MAX_DURATION_MS = 3_600_000;
const TARGET = /^[A-Za-z0-9_-]+$/;
const KINDS = Object.values(FaultKind);

/** Reads a spec in the grammar above. @throws FaultSettingError naming the bad item and what is allowed */
export function parseFaultSpec(text: string): FaultSpec {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return {};
  const spec: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const item of trimmed.split(',').map((part) => part.trim())) {
    if (item === 'all') {
      Object.assign(spec, ALL_FAULTS);
      continue;
    }
    const match = /^([A-Za-z]+)=([^@]+)(?:@(.*))?$/.exec(item);
    if (!match) throw new FaultSettingError('fault spec', item, `expected "all" or kind=value[@target+target], kinds: ${KINDS.join(', ')}`);
    const [, kind = '', value = '', targetText] = match;
    if (!(KINDS as readonly string[]).includes(kind)) throw new FaultSettingError('fault spec', item, `unknown fault kind "${kind}"; kinds: ${KINDS.join(', ')}`);
    if (given.has(kind)) throw new FaultSettingError('fault spec', item, `${kind} is given twice`);
    given.add(kind);
    const targets = targetText === undefined ? undefined : parseTargets(item, targetText);
    spec[kind] = { ...parseValue(item, kind as FaultKind, value.trim()), ...(targets ? { targets } : {}) };
  }
  return spec as FaultSpec;
}

/** The spec in the text form {@link parseFaultSpec} reads back, e.g. for a report; `none` when empty. */
export function formatFaultSpec(spec: FaultSpec): string {
  const items = KINDS.flatMap((kind) => {
    const fault = spec[kind] as (FaultTargets & { probability?: number; maxDelayMs?: number; windowMs?: number }) | undefined;
    if (fault === undefined) return [];
    const value = fault.maxDelayMs !== undefined ? `${fault.maxDelayMs}ms` : fault.windowMs !== undefined ? `${fault.windowMs}ms` : String(fault.probability);
    return [`${kind}=${value}${fault.targets ? `@${fault.targets.join('+')}` : ''}`];
  });
  return items.length === 0 ? 'none' : items.join(',');
}

function parseValue(item: string, kind: FaultKind, value: string): Record<string, number> {
  if (kind === FaultKind.delay) return { maxDelayMs: parseDuration(item, value, { unitRequired: false }) };
  if (kind === FaultKind.unreachableTarget && /[a-z]$/.test(value)) return { windowMs: parseDuration(item, value, { unitRequired: true }) };
  return { probability: parseProbability(item, value) };
}

function parseProbability(item: string, value: string): number {
  const probability = /^(0|1|0?\.\d+|1\.0*)$/.test(value) ? Number(value) : Number.NaN;
  if (!(probability >= 0 && probability <= 1)) throw new FaultSettingError('fault spec', item, `"${value}" is not a probability from 0 to 1 (e.g. 0.05)`);
  return probability;
}

function parseDuration(item: string, value: string, options: { unitRequired: boolean }): number {
  const match = /^(\d+)(ms|s)?$/.exec(value);
  if (!match || (options.unitRequired && match[2] === undefined)) {
    throw new FaultSettingError('fault spec', item, `"${value}" is not a duration; write whole milliseconds or seconds, e.g. 200ms or 5s${options.unitRequired ? '' : ' (a bare number is milliseconds)'}`);
  }
  const ms = Number(match[1]) * (match[2] === 's' ? 1000 : 1);
  if (ms < 1 || ms > MAX_DURATION_MS) throw new FaultSettingError('fault spec', item, `${ms} ms is out of range: from 1 ms to ${MAX_DURATION_MS / 1000} s`);
  return ms;
}

function parseTargets(item: string, text: string): string[] {
  const targets = text.split('+');
  const bad = targets.find((target) => !TARGET.test(target));
  if (bad !== undefined) throw new FaultSettingError('fault spec', item, `target "${bad}" must be a name or part of one (letters, digits, - and _), several joined with +`);
  return targets;
}
