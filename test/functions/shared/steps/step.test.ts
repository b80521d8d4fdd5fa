import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { domainEvent, type DomainEvent } from '#shared/contracts';
import { UnknownOrderError } from '#shared/errors';
import { consumedBy } from '#shared/pipeline-graph';
import type { StepLedger, StockChange } from '#shared/ports';
import { stepProcess, type StepLogic } from '#shared/steps/step';
import { aPlacedOrder } from '#test/support/factories';

/** A ledger in memory that records what it was asked to record. */
class MemoryLedger implements StepLedger {
  readonly records = new Map<string, { outcome: DomainEvent; changes: readonly StockChange[] }>();
  readonly finds: string[] = [];

  async find(orderId: string, step: string): Promise<DomainEvent | undefined> {
    this.finds.push(step);
    return this.records.get(`${orderId}/${step}`)?.outcome;
  }

  async record(orderId: string, step: string, outcome: DomainEvent, changes: readonly StockChange[] = []): Promise<DomainEvent> {
    const key = `${orderId}/${step}`;
    if (!this.records.has(key)) this.records.set(key, { outcome, changes });
    return this.records.get(key)?.outcome ?? outcome;
  }
}

const order = aPlacedOrder({ items: [{ sku: 'SKU-MOUSE', quantity: 2 }] });
const declined = (orderId: string) => ({ id: randomUUID(), detailType: 'PaymentDeclined' as const, time: new Date().toISOString(), detail: { schemaVersion: 2 as const, orderId, order, reason: { code: 'CARD_DECLINED' as const, message: 'declined' } } });
const release: StepLogic<'release-inventory'> = async ({ detail }, { ledger }) => [
  await ledger.record(domainEvent('InventoryReleased', { schemaVersion: 2, orderId: detail.orderId, reason: detail.reason }), { lines: detail.order.items }),
];

describe('stepProcess', () => {
  it("checks the producer's record of the consumed event, then records the outcome with the stock moves its declaration gives", async () => {
    // Prepare
    const ledger = new MemoryLedger();
    const orderId = randomUUID();
    await ledger.record(orderId, 'capture-payment', domainEvent('PaymentDeclined', declined(orderId).detail));
    ledger.finds.length = 0;
    // Act
    const published = await stepProcess('release-inventory', release, { ledger: () => ledger })(declined(orderId));
    // Assess
    expect(ledger.finds).toEqual(['capture-payment']);
    expect(published.map((event) => event.detailType)).toEqual(['InventoryReleased']);
    expect(ledger.records.get(`${orderId}/release-inventory`)?.changes).toEqual([{ sku: 'SKU-MOUSE', availableDelta: 2, reservedDelta: -2, shippedDelta: 0 }]);
  });

  it("refuses, as permanent, an event whose producer's record is missing, before the logic runs", async () => {
    // Prepare
    let ran = false;
    const process = stepProcess('release-inventory', async () => ((ran = true), []), { ledger: () => new MemoryLedger() });
    // Act
    const processing = process(declined(randomUUID()));
    // Assess
    await expect(processing).rejects.toThrow(UnknownOrderError);
    await expect(processing).rejects.toThrow(/capture-payment recorded nothing, not PaymentDeclined/);
    expect(ran).toBe(false);
  });

  it('republishes the own record of a step that reads it first, without running its logic again', async () => {
    // Prepare
    const ledger = new MemoryLedger();
    const orderId = randomUUID();
    const captured = domainEvent('PaymentCaptured', { schemaVersion: 2, orderId, order, paymentId: 'pay_1', amountCents: 100 });
    await ledger.record(orderId, 'capture-payment', captured);
    let ran = false;
    const process = stepProcess('capture-payment', async () => ((ran = true), []), { ledger: () => ledger, paymentIntentRedeemer: () => ({ find: async () => undefined, discard: async () => undefined }) });
    const [consumed] = consumedBy('capture-payment');
    // Act
    const published = await process({ id: randomUUID(), detailType: consumed!, time: new Date().toISOString(), detail: { schemaVersion: 2, orderId, order, amountCents: 100, currency: 'USD' } });
    // Assess
    expect(published).toEqual([captured]);
    expect(ran).toBe(false);
  });

  it('builds only the adapters the step declares', () => {
    // Act
    const build = () => stepProcess('reserve-inventory', async () => [], { ledger: () => new MemoryLedger() });
    // Assess: reserve-inventory uses the catalogue, which was not given.
    expect(build).toThrow('step reserve-inventory needs the catalogue adapter');
  });

  it('types a step to what its declaration says: only its outcomes, stock moves with their lines, only its ports', () => {
    const logics = [
      // @ts-expect-error -- ship-order does not produce PaymentCaptured.
      (async (_event, { ledger }) => [await ledger.record(domainEvent('PaymentCaptured', { schemaVersion: 2, orderId: '', order, paymentId: '', amountCents: 0 }))]) satisfies StepLogic<'ship-order'>,
      // @ts-expect-error -- OrderShipped moves stock: recording it needs the order's lines.
      (async ({ detail }, { ledger }) => [await ledger.record(domainEvent('OrderShipped', { schemaVersion: 2, orderId: detail.orderId, shipment: { carrier: 'UPS', trackingNumber: '1Z' } }))]) satisfies StepLogic<'ship-order'>,
      // @ts-expect-error -- capture-payment is given no catalogue.
      (async (_event, { catalogue }) => (await catalogue.stockLevels([]), [])) satisfies StepLogic<'capture-payment'>,
    ];

    expect(logics).toHaveLength(3);
  });
});
