/**
 * The invariants the order pipeline keeps whatever faults it meets, as pure checks over data
 * read from the running cloud through its public interfaces (GET /orders/{id}, the ledger and
 * inventory tables, the DLQs, the events seen on the bus). The soak command and the
 * fault-injection tests both judge a run with {@link checkInvariants}.
 */
import type { OrderLine, Rejection } from '#shared/contracts';
import type { OrderView } from '#shared/order-view';
import { isSettled, SETTLING_EVENTS, TERMINAL_STATUSES } from '#shared/pipeline-graph';

/** How an order must end, known from how it was built (a declining card, a sold-out SKU…). */
export type ExpectedOutcome = { readonly status: 'notified' } | { readonly status: 'cancelled'; readonly reasonCode: Rejection['code'] };

/** An order the API accepted (answered 202). */
export interface AcceptedOrder {
  readonly orderId: string;
  readonly items: readonly OrderLine[];
  /** @default not checked: any terminal status will do */
  readonly expected?: ExpectedOutcome;
}

/** A ledger item: a step's recorded outcome for an order. */
export interface LedgerEntry {
  readonly orderId: string;
  /** `reserve-inventory`, `capture-payment`, `notify-customer#shipped`… */
  readonly step: string;
  readonly outcome: { readonly detailType: string; readonly detail: Readonly<Record<string, unknown>> };
}

/** A SKU's counters in the inventory table. */
export interface StockLevel {
  readonly sku: string;
  readonly available: number;
  readonly reserved: number;
  readonly shipped: number;
}

/** A message found in a dead-letter queue. */
export interface DeadLetter {
  readonly queueName: string;
  /** `step`: a step queue's DLQ (handler parking, or SQS after maxReceiveCount); `target`: a rule target's DLQ (EventBridge). */
  readonly kind: 'step' | 'target';
  readonly messageId: string;
  /** The order the message is about, when its body names one. */
  readonly orderId?: string;
  readonly detailType?: string;
  /** Message attributes, as strings: `errorName`, `errorMessage`, `receiveCount`… (step) or `ERROR_CODE`, `ERROR_MESSAGE`… (target). */
  readonly attributes: Readonly<Record<string, string>>;
}

/** An event EventBridge gave up delivering and could not dead-letter either: lost. */
export interface LostDelivery {
  readonly eventId: string;
  readonly targetArn: string;
  readonly errorCode: string;
  readonly errorMessage: string;
}

/** Everything the invariants are checked against. */
export interface PipelineState {
  readonly orders: readonly AcceptedOrder[];
  /** GET /orders/{id} of each accepted order; `undefined` for a 404. */
  readonly views: ReadonlyMap<string, OrderView | undefined>;
  readonly ledger: readonly LedgerEntry[];
  readonly inventory: readonly StockLevel[];
  /** Each SKU's stock when the cloud started (the demo catalogue's initialStock). */
  readonly seededStock: ReadonlyMap<string, number>;
  /** The paymentIds of the PaymentCaptured events seen on the bus, by order. */
  readonly paymentIdsSeen: ReadonlyMap<string, readonly string[]>;
  /** The DLQs' contents once the faults had run their course, before the redrive. */
  readonly deadLettersBeforeRedrive: readonly DeadLetter[];
  /** The DLQs' contents after the redrive was processed. */
  readonly deadLettersAfterRedrive: readonly DeadLetter[];
  readonly lostDeliveries: readonly LostDelivery[];
}

/** The invariants, by what they promise. */
export const Invariant = {
  terminalStatus: 'every accepted order reaches exactly one terminal status',
  singleCapture: 'no payment is captured twice',
  inventoryConserved: 'inventory is conserved',
  deadLettersExplained: 'every unprocessed message is in a DLQ with its cause, and a redrive completes its order',
} as const;
export type Invariant = (typeof Invariant)[keyof typeof Invariant];

/** The verdict on one invariant. */
export interface InvariantResult {
  readonly invariant: Invariant;
  readonly holds: boolean;
  /** One line per violation, naming the order, SKU or message concerned. */
  readonly violations: readonly string[];
}

/** Checks every invariant; each result lists all of its violations. */
export function checkInvariants(state: PipelineState): InvariantResult[] {
  const ledgerByOrder = groupBy(state.ledger, (entry) => entry.orderId);
  return [
    verdict(Invariant.terminalStatus, state.orders.flatMap((order) => terminalStatusViolations(order, state.views.get(order.orderId), ledgerByOrder.get(order.orderId) ?? []))),
    verdict(Invariant.singleCapture, state.orders.flatMap((order) => captureViolations(order, state.views.get(order.orderId), ledgerByOrder.get(order.orderId) ?? [], state.paymentIdsSeen.get(order.orderId) ?? []))),
    verdict(Invariant.inventoryConserved, inventoryViolations(state)),
    verdict(Invariant.deadLettersExplained, deadLetterViolations(state)),
  ];
}

function verdict(invariant: Invariant, violations: readonly string[]): InvariantResult {
  return { invariant, holds: violations.length === 0, violations };
}

/** (a) exactly one terminal status: `notified` after shipping, or `cancelled` with its reason. */
function terminalStatusViolations(order: AcceptedOrder, view: OrderView | undefined, ledger: readonly LedgerEntry[]): string[] {
  const id = `order ${order.orderId}`;
  if (view === undefined) return [`${id}: GET /orders/{id} does not know it`];
  const violations: string[] = [];
  if (!TERMINAL_STATUSES.includes(view.status)) violations.push(`${id}: status "${view.status}" is not terminal`);
  if (!isSettled(view.timeline)) violations.push(`${id}: the customer was never notified (no ${SETTLING_EVENTS.join(' or ')})`);
  const steps = new Set(ledger.map((entry) => entry.step));
  if (steps.has('ship-order') && steps.has('cancel-order')) violations.push(`${id}: both shipped and cancelled`);
  const notifications = ledger.filter((entry) => entry.step.startsWith('notify-customer#')).map((entry) => entry.step);
  if (notifications.length > 1) violations.push(`${id}: notified of ${notifications.length} outcomes (${notifications.join(', ')})`);
  if (view.status === 'notified' && !steps.has('ship-order')) violations.push(`${id}: notified as shipped but never shipped`);
  if (view.status === 'cancelled' && view.reason === undefined) violations.push(`${id}: cancelled without a reason`);
  const expected = order.expected;
  if (expected !== undefined && TERMINAL_STATUSES.includes(view.status)) {
    const actual = view.status === 'cancelled' ? `cancelled (${view.reason?.code ?? 'no reason'})` : view.status;
    const wanted = expected.status === 'cancelled' ? `cancelled (${expected.reasonCode})` : expected.status;
    if (actual !== wanted) violations.push(`${id}: expected ${wanted}, got ${actual}`);
  }
  return violations;
}

/** (b) one capture per order, one paymentId whatever was redelivered, no money kept for a cancelled order. */
function captureViolations(order: AcceptedOrder, view: OrderView | undefined, ledger: readonly LedgerEntry[], paymentIdsSeen: readonly string[]): string[] {
  const id = `order ${order.orderId}`;
  const violations: string[] = [];
  const captures = ledger.filter((entry) => entry.step === 'capture-payment');
  if (captures.length > 1) violations.push(`${id}: ${captures.length} capture-payment ledger items`);
  const distinct = [...new Set(paymentIdsSeen)];
  if (distinct.length > 1) violations.push(`${id}: PaymentCaptured events carried ${distinct.length} payment ids (${distinct.join(', ')})`);
  const captured = captures.find((entry) => entry.outcome.detailType === 'PaymentCaptured');
  const ledgerPaymentId = captured?.outcome.detail.paymentId;
  if (captured !== undefined && distinct.some((paymentId) => paymentId !== ledgerPaymentId)) {
    violations.push(`${id}: the bus carried payment ${distinct.join(', ')} but the ledger recorded ${String(ledgerPaymentId)}`);
  }
  if (view?.status === 'cancelled' && captured !== undefined) violations.push(`${id}: cancelled, yet its payment ${String(ledgerPaymentId)} was captured`);
  if (view?.status === 'notified' && captured === undefined) violations.push(`${id}: shipped without a captured payment`);
  return violations;
}

/** (c) per SKU: available + reserved + shipped = seeded; nothing left reserved; shipped = units of notified orders. */
function inventoryViolations(state: PipelineState): string[] {
  const shippedUnits = new Map<string, number>();
  for (const order of state.orders) {
    if (state.views.get(order.orderId)?.status !== 'notified') continue;
    for (const item of order.items) shippedUnits.set(item.sku, (shippedUnits.get(item.sku) ?? 0) + item.quantity);
  }
  const levels = new Map(state.inventory.map((level) => [level.sku, level]));
  return [...state.seededStock].flatMap(([sku, seeded]) => {
    const level = levels.get(sku);
    if (level === undefined) return [`${sku}: missing from the inventory table`];
    const { available, reserved, shipped } = level;
    const expectedShipped = shippedUnits.get(sku) ?? 0;
    const violations: string[] = [];
    if (available + reserved + shipped !== seeded) violations.push(`${sku}: available ${available} + reserved ${reserved} + shipped ${shipped} = ${available + reserved + shipped}, seeded ${seeded}`);
    if (reserved !== 0) violations.push(`${sku}: ${reserved} unit(s) still reserved after every order settled`);
    if (shipped !== expectedShipped) violations.push(`${sku}: ${shipped} unit(s) shipped, notified orders hold ${expectedShipped}`);
    if (available !== seeded - expectedShipped) violations.push(`${sku}: ${available} available, expected ${seeded - expectedShipped} (cancelled orders' units must come back)`);
    return violations;
  });
}

/** (d) every dead letter says why; nothing was dropped; the redrive left no accepted order's message behind. */
function deadLetterViolations(state: PipelineState): string[] {
  const accepted = new Set(state.orders.map((order) => order.orderId));
  const describe = (letter: DeadLetter) => `${letter.queueName} message ${letter.messageId}${letter.orderId ? ` (order ${letter.orderId}, ${letter.detailType ?? 'unknown event'})` : ''}`;
  return [
    ...state.deadLettersBeforeRedrive.flatMap((letter) => {
      if (letter.kind === 'step' && (letter.attributes.errorName === undefined || letter.attributes.errorMessage === undefined)) {
        return [`${describe(letter)}: moved by SQS after maxReceiveCount without a cause`];
      }
      if (letter.kind === 'target' && (letter.attributes.ERROR_CODE === undefined || letter.attributes.ERROR_MESSAGE === undefined)) {
        return [`${describe(letter)}: in a target DLQ without EventBridge's ERROR_CODE and ERROR_MESSAGE`];
      }
      return [];
    }),
    ...state.lostDeliveries.map((lost) => `event ${lost.eventId} to ${lost.targetArn}: dropped, in no DLQ (${lost.errorCode}: ${lost.errorMessage})`),
    ...state.deadLettersAfterRedrive
      .filter((letter) => letter.orderId !== undefined && accepted.has(letter.orderId))
      .map((letter) => `${describe(letter)}: still dead-lettered after the redrive (${letter.attributes.errorName ?? letter.attributes.ERROR_CODE ?? 'no cause'})`),
  ];
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group === undefined) groups.set(key(item), [item]);
    else group.push(item);
  }
  return groups;
}
