/**
 * DynamoDB read and write request units per order, from the handlers' access pattern (one
 * table below, per step) and item sizes measured in the run's own tables. The local DynamoDB
 * does not report consumed capacity and the handlers do not ask for it, so the units are
 * derived; the run counts the requests each operation received, to check this table against.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */

/** The three paths an order takes through the pipeline. */
export const OrderKind = { fulfilled: 'fulfilled', outOfStock: 'outOfStock', declined: 'declined' } as const;
export type OrderKind = (typeof OrderKind)[keyof typeof OrderKind];

/** Sizes of the items the steps read and write, in DynamoDB's item-size bytes. */
export interface ItemSizes {
  /** Ledger item per step (the sort key before any `#`, e.g. `notify-customer`). */
  readonly ledgerBytesByStep: Readonly<Record<string, number>>;
  /** An inventory (SKU) item. */
  readonly inventoryBytes: number;
  /** An order's read-model item once settled (the largest it gets). */
  readonly orderViewBytes: number;
}

/** Units and requests of one order. */
export interface OrderCapacity {
  readonly readRequestUnits: number;
  readonly writeRequestUnits: number;
  /** Requests by operation (`GetItem`, `PutItem`, `BatchGetItem`, `TransactWriteItems`). */
  readonly requests: Readonly<Record<string, number>>;
}

/** Write units of a standard write of an item: 1 per KB, rounded up. */
export function writeUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 1024));
}

/** Read units of a strongly consistent read: 1 per 4 KB, rounded up (a missing item costs the minimum). */
export function strongReadUnits(itemBytes: number): number {
  return Math.max(1, Math.ceil(itemBytes / 4096));
}

/**
 * The handlers' access pattern, per order of `kind` with `skuCount` order lines:
 *
 * | step | reads | writes |
 * |---|---|---|
 * | place-order (no Idempotency-Key) | - | conditional PutItem of the new view (the settled size is used, an upper bound) |
 * | reserve-inventory | BatchGetItem of the SKUs, eventually consistent: 0.5 RRU per item per 4 KB | reserved: TransactWriteItems of the ledger put + one stock update per SKU, 2 WRU per item per KB; rejected: one conditional PutItem of the ledger |
 * | capture-payment | GetItem of its own ledger item and of reserve-inventory's, consistent | conditional PutItem of the ledger |
 * | release-inventory (declined) | GetItem of capture-payment's ledger item, consistent | TransactWriteItems, ledger + one update per SKU |
 * | ship-order (fulfilled) | GetItem of capture-payment's ledger item, consistent | TransactWriteItems, ledger + one update per SKU |
 * | cancel-order (rejected, declined) | GetItem of reserve-inventory's or release-inventory's ledger item, consistent | conditional PutItem of the ledger |
 * | notify-customer | GetItem of ship-order's or cancel-order's ledger item, consistent | conditional PutItem of the ledger |
 * | project-order, per group of the order's events it applies together | GetItem of the view, consistent | conditional PutItem of the view |
 *
 * Every step but reserve-inventory first reads its predecessor's ledger item (`requireRecorded`).
 * The projection's writes are measured (`projectionWrites`: the view's version counts its writes,
 * place-order's included); it reads once per write plus once for OrderPlaced, which place-order
 * already applied, an upper bound (OrderPlaced costs no read of its own when it shares a group).
 *
 * A stock update's size is the SKU item's (the larger of before and after, which differ by a digit).
 */
export function orderCapacity(kind: OrderKind, skuCount: number, sizes: ItemSizes, projectionWrites: number): OrderCapacity {
  const ledger = (step: string) => sizes.ledgerBytesByStep[step] ?? 0;
  const requests: Record<string, number> = {};
  let read = 0;
  let write = 0;
  const request = (operation: string) => (requests[operation] = (requests[operation] ?? 0) + 1);
  const put = (itemBytes: number) => {
    request('PutItem');
    write += writeUnits(itemBytes);
  };
  const transact = (ledgerBytes: number) => {
    request('TransactWriteItems');
    write += 2 * (writeUnits(ledgerBytes) + skuCount * writeUnits(sizes.inventoryBytes));
  };
  const consistentGet = (itemBytes: number) => {
    request('GetItem');
    read += strongReadUnits(itemBytes);
  };

  // place-order writes the new view; reserve-inventory
  put(sizes.orderViewBytes);
  request('BatchGetItem');
  read += skuCount * 0.5 * strongReadUnits(sizes.inventoryBytes);
  if (kind === OrderKind.outOfStock) put(ledger('reserve-inventory'));
  else transact(ledger('reserve-inventory'));
  if (kind !== OrderKind.outOfStock) {
    consistentGet(0);
    consistentGet(ledger('reserve-inventory'));
    put(ledger('capture-payment'));
  }
  if (kind === OrderKind.fulfilled) {
    consistentGet(ledger('capture-payment'));
    transact(ledger('ship-order'));
  }
  if (kind === OrderKind.declined) {
    consistentGet(ledger('capture-payment'));
    transact(ledger('release-inventory'));
  }
  if (kind !== OrderKind.fulfilled) {
    consistentGet(ledger(kind === OrderKind.outOfStock ? 'reserve-inventory' : 'release-inventory'));
    put(ledger('cancel-order'));
  }
  consistentGet(ledger(kind === OrderKind.fulfilled ? 'ship-order' : 'cancel-order'));
  put(ledger('notify-customer'));
  consistentGet(sizes.orderViewBytes);
  for (let write = 0; write < projectionWrites; write += 1) {
    consistentGet(sizes.orderViewBytes);
    put(sizes.orderViewBytes);
  }
  return { readRequestUnits: read, writeRequestUnits: write, requests };
}

/** A DynamoDB attribute value in the wire format (`{ S: "…" }`, `{ N: "…" }`, `{ M: {…} }` …). */
export type WireAttributeValue = { readonly [type: string]: unknown };

/**
 * The size DynamoDB bills an item at: each attribute's name in UTF-8 bytes plus its value's
 * size (strings in UTF-8 bytes, numbers about one byte per two significant digits plus one,
 * binaries in bytes, booleans and nulls one byte, lists and maps 3 bytes plus one per element
 * plus their elements).
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
export function itemSizeBytes(item: Readonly<Record<string, WireAttributeValue>>): number {
  return Object.entries(item).reduce((sum, [name, value]) => sum + Buffer.byteLength(name) + valueSizeBytes(value), 0);
}

function valueSizeBytes(value: WireAttributeValue): number {
  const [type, content] = Object.entries(value)[0] ?? ['NULL', true];
  switch (type) {
    case 'S':
      return Buffer.byteLength(String(content));
    case 'N':
      return numberSizeBytes(String(content));
    case 'B':
      return Buffer.from(String(content), 'base64').length;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'SS':
      return (content as string[]).reduce((sum, entry) => sum + Buffer.byteLength(entry), 0);
    case 'NS':
      return (content as string[]).reduce((sum, entry) => sum + numberSizeBytes(entry), 0);
    case 'BS':
      return (content as string[]).reduce((sum, entry) => sum + Buffer.from(entry, 'base64').length, 0);
    case 'L':
      return 3 + (content as WireAttributeValue[]).reduce((sum, element) => sum + 1 + valueSizeBytes(element), 0);
    case 'M':
      return 3 + Object.entries(content as Record<string, WireAttributeValue>).reduce((sum, [name, element]) => sum + 1 + Buffer.byteLength(name) + valueSizeBytes(element), 0);
    default:
      throw new RangeError(`unknown DynamoDB attribute type ${type}`);
  }
}

function numberSizeBytes(text: string): number {
  const digits = text.replace(/^-/, '').replace(/[eE].*$/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(1, digits.length) / 2) + 1;
}
