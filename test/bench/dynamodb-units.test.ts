import { describe, expect, it } from 'vitest';
import { SHOP_GRAPH } from '#test/support/shop-pipeline';
import { itemSizeBytes, orderCapacity, projectionWritesEachEventAlone, strongReadUnits, writeUnits, type ItemSizes } from '../../bench/dynamodb-units.ts';

/** Ledger items of 500 bytes, SKU items of 100, a settled read model of 1,500 (2 WRU, 1 RRU). */
const SIZES: ItemSizes = {
  ledgerBytesByStep: { 'reserve-inventory': 500, 'capture-payment': 500, 'ship-order': 500, 'release-inventory': 500, 'cancel-order': 500, 'notify-customer': 500 },
  inventoryBytes: 100,
  orderViewBytes: 1500,
};

/** The shop's three paths: fulfilled, out of stock (reservation rejected), declined (then released). */
const FULFILLED = SHOP_GRAPH.path();
const OUT_OF_STOCK = SHOP_GRAPH.path({ 'reserve-inventory': 'InventoryRejected' });
const DECLINED = SHOP_GRAPH.path({ 'capture-payment': 'PaymentDeclined' });

describe('orderCapacity, derived from the declaration', () => {
  it('counts a fulfilled order of two lines, its 4 later events projected in 2 writes, as worked out by hand', () => {
    // Act
    const capacity = orderCapacity(SHOP_GRAPH, FULFILLED, 2, SIZES, 2);

    // Assess: reads: batch get 2 x 0.5 + capture's own ledger get 1 + the prerequisite gets of
    // capture, ship and notify 3 + 3 projection gets (OrderPlaced's, then one per write) + capture's
    // get of the payment intent 1; writes: place-order's view 2 + two transactions of 3 items x 2 +
    // two puts + 2 projection puts of 2, one write of the customer index's entry for each of the 3
    // view writes, and the payment intent's put by place-order and delete by capture 2.
    expect(capacity.readRequestUnits).toBe(9);
    expect(capacity.writeRequestUnits).toBe(25);
    expect(capacity.requests).toEqual({ BatchGetItem: 1, TransactWriteItems: 2, GetItem: 8, PutItem: 6, DeleteItem: 1 });
  });

  it('counts an out-of-stock order of one line, projected in one write: no transaction, no payment', () => {
    // Act
    const capacity = orderCapacity(SHOP_GRAPH, OUT_OF_STOCK, 1, SIZES, 1);

    // Assess: reads 0.5 + the prerequisite gets of cancel and notify 2 + 2 projection gets;
    // writes: place-order's view 2 + reserve, cancel and notify puts + 1 projection put of 2, an
    // index entry for each of the 2 view writes, and the payment intent's put by place-order and
    // delete by reserve (no later step redeems it) 2.
    expect(capacity.readRequestUnits).toBe(4.5);
    expect(capacity.writeRequestUnits).toBe(11);
    expect(capacity.requests).toEqual({ BatchGetItem: 1, PutItem: 6, GetItem: 4, DeleteItem: 1 });
  });

  it('counts a declined order, reserved, then released and cancelled, projected one event at a time', () => {
    // Act
    const capacity = orderCapacity(SHOP_GRAPH, DECLINED, 2, SIZES, 5);

    // Assess: reads 1 + capture's own 1 + the prerequisite gets of capture, release, cancel and
    // notify 4 + 6 projection gets + capture's get of the payment intent 1; writes 2 + 6 + 1 + 6 +
    // 1 + 1 + 5 x 2, an index entry for each of the 6 view writes, and the payment intent's put and
    // delete 2.
    expect(capacity.readRequestUnits).toBe(13);
    expect(capacity.writeRequestUnits).toBe(35);
  });
});

describe('projectionWritesEachEventAlone', () => {
  it.each([
    { name: 'fulfilled', path: FULFILLED, writes: 4 },
    { name: 'out of stock', path: OUT_OF_STOCK, writes: 3 },
    { name: 'declined', path: DECLINED, writes: 5 },
  ])('writes the view once for each event of a $name order after the one that placed it: $writes', ({ path, writes }) => {
    expect(projectionWritesEachEventAlone(path)).toBe(writes);
  });

  it('makes a declined order cost what projecting it one event at a time costs', () => {
    // Act
    const alone = orderCapacity(SHOP_GRAPH, DECLINED, 2, SIZES, projectionWritesEachEventAlone(DECLINED));

    // Assess: the figures of the declined order projected one event at a time, above.
    expect(alone).toEqual(orderCapacity(SHOP_GRAPH, DECLINED, 2, SIZES, 5));
    expect(alone.writeRequestUnits).toBe(35);
  });
});

describe('units', () => {
  it.each([
    { bytes: 0, write: 1, read: 1 },
    { bytes: 1024, write: 1, read: 1 },
    { bytes: 1025, write: 2, read: 1 },
    { bytes: 4097, write: 5, read: 2 },
  ])('$bytes bytes cost $write WRU and $read RRU', ({ bytes, write, read }) => {
    expect(writeUnits(bytes)).toBe(write);
    expect(strongReadUnits(bytes)).toBe(read);
  });
});

describe('itemSizeBytes', () => {
  it('adds names and values as DynamoDB sizes them', () => {
    // Prepare: 7+3, 1+(2+1), 1+(3+1+1+1), 1+(3+1+1).
    const item = { orderId: { S: 'abc' }, n: { N: '123' }, m: { M: { a: { S: 'x' } } }, l: { L: [{ BOOL: true }] } };

    // Act
    const size = itemSizeBytes(item);

    // Assess
    expect(size).toBe(27);
  });

  it('counts strings in UTF-8 bytes', () => {
    expect(itemSizeBytes({ s: { S: 'é' } })).toBe(3);
  });

  it('refuses an unknown attribute type', () => {
    expect(() => itemSizeBytes({ x: { Q: 1 } })).toThrow(RangeError);
  });
});
