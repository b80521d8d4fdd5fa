import { describe, expect, it } from 'vitest';
import type { OrderView } from '#shared/order-view';
import { checkInvariants, Invariant, type DeadLetter, type LedgerEntry, type PipelineState } from '#local/soak/invariants';

const SHIPPED_ID = '11111111-1111-4111-8111-111111111111';
const CANCELLED_ID = '22222222-2222-4222-8222-222222222222';

/** A view as GET /orders/{id} serves it. */
function aView(orderId: string, status: OrderView['status'], overrides: Partial<OrderView> = {}): OrderView {
  const types = status === 'notified' ? ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderShipped', 'CustomerNotified'] : ['OrderPlaced', 'InventoryRejected', 'OrderCancelled', 'CustomerNotified'];
  return {
    orderId,
    status,
    timeline: types.map((type) => ({ type: type as OrderView['timeline'][number]['type'], at: '2026-01-01T00:00:00Z' })),
    updatedAt: '2026-01-01T00:00:00Z',
    version: types.length,
    ...(status === 'cancelled' ? { reason: { code: 'OUT_OF_STOCK', message: 'out of stock: SKU-SOLD-OUT' } } : {}),
    ...overrides,
  };
}

const entry = (orderId: string, step: string, detailType: string, detail: Record<string, unknown> = {}): LedgerEntry => ({ orderId, step, outcome: { detailType, detail: { orderId, ...detail } } });

/** A settled run: one order shipped (2 keyboards), one cancelled out of stock, nothing dead-lettered. */
function aSettledState(overrides: Partial<PipelineState> = {}): PipelineState {
  return {
    orders: [
      { orderId: SHIPPED_ID, items: [{ sku: 'SKU-KEYBOARD', quantity: 2 }], expected: { status: 'notified' } },
      { orderId: CANCELLED_ID, items: [{ sku: 'SKU-SOLD-OUT', quantity: 1 }], expected: { status: 'cancelled', reasonCode: 'OUT_OF_STOCK' } },
    ],
    views: new Map([
      [SHIPPED_ID, aView(SHIPPED_ID, 'notified', { paymentId: 'pay_1' })],
      [CANCELLED_ID, aView(CANCELLED_ID, 'cancelled')],
    ]),
    ledger: [
      entry(SHIPPED_ID, 'reserve-inventory', 'InventoryReserved'),
      entry(SHIPPED_ID, 'capture-payment', 'PaymentCaptured', { paymentId: 'pay_1' }),
      entry(SHIPPED_ID, 'ship-order', 'OrderShipped'),
      entry(SHIPPED_ID, 'notify-customer#shipped', 'CustomerNotified'),
      entry(CANCELLED_ID, 'reserve-inventory', 'InventoryRejected'),
      entry(CANCELLED_ID, 'cancel-order', 'OrderCancelled'),
      entry(CANCELLED_ID, 'notify-customer#cancelled', 'CustomerNotified'),
    ],
    inventory: [
      { sku: 'SKU-KEYBOARD', available: 98, reserved: 0, shipped: 2 },
      { sku: 'SKU-SOLD-OUT', available: 0, reserved: 0, shipped: 0 },
    ],
    seededStock: new Map([
      ['SKU-KEYBOARD', 100],
      ['SKU-SOLD-OUT', 0],
    ]),
    paymentIdsSeen: new Map([[SHIPPED_ID, ['pay_1', 'pay_1']]]),
    deadLettersBeforeRedrive: [],
    deadLettersAfterRedrive: [],
    lostDeliveries: [],
    ...overrides,
  };
}

const aDeadLetter = (overrides: Partial<DeadLetter> = {}): DeadLetter => ({
  queueName: 'OrderPipeline-ShipOrderDeadLetterQueue',
  kind: 'step',
  messageId: 'message-1',
  orderId: SHIPPED_ID,
  detailType: 'PaymentCaptured',
  attributes: { errorName: 'PublishError', errorMessage: '1 event(s) could not be published' },
  ...overrides,
});

/** The violations reported for `invariant`. */
function violationsOf(state: PipelineState, invariant: Invariant): readonly string[] {
  return checkInvariants(state).find((result) => result.invariant === invariant)?.violations ?? [];
}

describe('checkInvariants', () => {
  it('finds nothing wrong with a settled run, even with dead letters that carry their cause', () => {
    // Prepare
    const state = aSettledState({
      deadLettersBeforeRedrive: [aDeadLetter(), aDeadLetter({ kind: 'target', queueName: 'OrderPipeline-ShipOrderTargetDeadLetterQueue', attributes: { ERROR_CODE: 'ServiceUnavailable', ERROR_MESSAGE: 'down' } })],
    });
    // Act
    const results = checkInvariants(state);
    // Assess
    expect(results.map((result) => [result.invariant, result.holds])).toEqual(Object.values(Invariant).map((invariant) => [invariant, true]));
  });

  it.each<[string, Partial<PipelineState>, Invariant, string]>([
    ['an order the API does not know', { views: new Map([[CANCELLED_ID, aView(CANCELLED_ID, 'cancelled')]]) }, Invariant.terminalStatus, `order ${SHIPPED_ID}: GET /orders/{id} does not know it`],
    ['an order stuck half way', { views: new Map([[SHIPPED_ID, aView(SHIPPED_ID, 'payment-captured', { paymentId: 'pay_1' })], [CANCELLED_ID, aView(CANCELLED_ID, 'cancelled')]]) }, Invariant.terminalStatus, 'status "payment-captured" is not terminal'],
    ['a cancellation without its reason', { views: new Map([[SHIPPED_ID, aView(SHIPPED_ID, 'notified', { paymentId: 'pay_1' })], [CANCELLED_ID, { ...aView(CANCELLED_ID, 'cancelled'), reason: undefined }]]) }, Invariant.terminalStatus, 'cancelled without a reason'],
    ['an order both shipped and cancelled', { ledger: [...aSettledState().ledger, entry(SHIPPED_ID, 'cancel-order', 'OrderCancelled')] }, Invariant.terminalStatus, 'both shipped and cancelled'],
    ['an outcome other than the one the order was built for', { orders: aSettledState().orders.map((order) => (order.orderId === CANCELLED_ID ? { ...order, expected: { status: 'cancelled' as const, reasonCode: 'CARD_DECLINED' as const } } : order)) }, Invariant.terminalStatus, 'expected cancelled (CARD_DECLINED), got cancelled (OUT_OF_STOCK)'],
    ['two payment ids on the bus for one order', { paymentIdsSeen: new Map([[SHIPPED_ID, ['pay_1', 'pay_2']]]) }, Invariant.singleCapture, 'PaymentCaptured events carried 2 payment ids (pay_1, pay_2)'],
    ['two capture ledger items', { ledger: [...aSettledState().ledger, entry(SHIPPED_ID, 'capture-payment', 'PaymentCaptured', { paymentId: 'pay_1' })] }, Invariant.singleCapture, '2 capture-payment ledger items'],
    ['money captured for a cancelled order', { ledger: [...aSettledState().ledger, entry(CANCELLED_ID, 'capture-payment', 'PaymentCaptured', { paymentId: 'pay_9' })] }, Invariant.singleCapture, 'cancelled, yet its payment pay_9 was captured'],
    ['a unit that vanished', { inventory: [{ sku: 'SKU-KEYBOARD', available: 97, reserved: 0, shipped: 2 }, { sku: 'SKU-SOLD-OUT', available: 0, reserved: 0, shipped: 0 }] }, Invariant.inventoryConserved, 'SKU-KEYBOARD: available 97 + reserved 0 + shipped 2 = 99, seeded 100'],
    ['units left reserved', { inventory: [{ sku: 'SKU-KEYBOARD', available: 96, reserved: 2, shipped: 2 }, { sku: 'SKU-SOLD-OUT', available: 0, reserved: 0, shipped: 0 }] }, Invariant.inventoryConserved, 'SKU-KEYBOARD: 2 unit(s) still reserved'],
    ['units shipped twice', { inventory: [{ sku: 'SKU-KEYBOARD', available: 96, reserved: 0, shipped: 4 }, { sku: 'SKU-SOLD-OUT', available: 0, reserved: 0, shipped: 0 }] }, Invariant.inventoryConserved, 'SKU-KEYBOARD: 4 unit(s) shipped, notified orders hold 2'],
    ['a record SQS moved without a cause', { deadLettersBeforeRedrive: [aDeadLetter({ attributes: {} })] }, Invariant.deadLettersExplained, 'moved by SQS after maxReceiveCount without a cause'],
    ['a target dead letter without EventBridge attributes', { deadLettersBeforeRedrive: [aDeadLetter({ kind: 'target', attributes: {} })] }, Invariant.deadLettersExplained, "without EventBridge's ERROR_CODE"],
    ['an event EventBridge dropped', { lostDeliveries: [{ eventId: 'event-1', targetArn: 'arn:aws:sqs:us-east-1:000000000000:q', errorCode: 'ServiceUnavailable', errorMessage: 'down' }] }, Invariant.deadLettersExplained, 'event event-1 to arn:aws:sqs:us-east-1:000000000000:q: dropped'],
    ['an accepted order still dead-lettered after the redrive', { deadLettersAfterRedrive: [aDeadLetter()] }, Invariant.deadLettersExplained, 'still dead-lettered after the redrive (PublishError)'],
  ])('reports %s', (_case, doctored, invariant, violation) => {
    // Prepare
    const state = aSettledState(doctored);
    // Act
    const violations = violationsOf(state, invariant);
    // Assess
    expect(violations).toEqual(expect.arrayContaining([expect.stringContaining(violation)]));
    expect(checkInvariants(state).find((result) => result.invariant === invariant)?.holds).toBe(false);
  });

  it('does not hold an unknown order still dead-lettered after the redrive (a poison message) against the run', () => {
    // Prepare
    const state = aSettledState({ deadLettersAfterRedrive: [aDeadLetter({ orderId: 'not-an-order', attributes: { errorName: 'ValidationError', errorMessage: 'OrderPlaced detail is invalid' } })] });
    // Act
    const violations = violationsOf(state, Invariant.deadLettersExplained);
    // Assess
    expect(violations).toEqual([]);
  });
});
