/**
 * DynamoDB read and write request units per order, from the handlers' access pattern (derived
 * from the pipeline's declaration, below) and item sizes measured in the run's own tables. The
 * local DynamoDB does not report consumed capacity and the handlers do not ask for it, so the
 * units are derived; the run counts the requests each operation received, to check them against.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 */
import type { OrderPath, PipelineGraph } from '#shared/pipeline-graph';
import { INDEXES } from '#shared/tables';

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
 * The DynamoDB requests and units of one order taking `path` with `skuCount` order lines. Each
 * request follows from the declaration of the function that makes it:
 *
 * - the HTTP function that places the order, if it uses `orderViews`: a conditional PutItem of
 *   the new view (no Idempotency-Key, so no read; the settled size is used, an upper bound);
 * - each step on the path, in turn:
 *   - `readsOwnRecordFirst`: a consistent GetItem of its own ledger item, missing the first time;
 *   - a `producer-recorded` prerequisite: a consistent GetItem of the producer's ledger item;
 *   - `catalogue`: one BatchGetItem of the SKUs, eventually consistent (0.5 RRU per item per 4 KB);
 *   - its outcome: a conditional PutItem of its ledger item, or, when the outcome `moves` stock,
 *     a TransactWriteItems of the ledger put and one update per SKU (2 WRU per item per KB);
 * - a step that records nothing and uses `orderViews` (the projection), per group of the order's
 *   events it applies together: a consistent GetItem and a conditional PutItem of the view. Its
 *   writes are measured (`projectionWrites`: the view's version counts its writes, place-order's
 *   included); it reads once per write plus once for the first event, which place-order already
 *   applied, an upper bound (that event costs no read of its own when it shares a group).
 *
 * - payment intents: the placing function, if it uses `paymentIntentIssuer`, PutItems the order's
 *   intent; a step that uses `paymentIntentRedeemer` reads it (consistent GetItem) and deletes it;
 *   a step that uses `paymentIntentDiscarder` deletes it when no later step of the path redeems
 *   it. An intent (its id, the order's id, the token, an expiry) is well under 1 KB: one unit each.
 * - order contacts: the placing function, if it uses `orderContactKeeper`, PutItems the order's
 *   contact; each step of the path that uses `orderContactReader` reads it (consistent GetItem).
 *   A contact (a name, an e-mail, an address, an expiry) is under 1 KB: one unit each.
 *
 * A stock update's size is the SKU item's (the larger of before and after, which differ by a digit).
 * Each write of a view also writes its entry in every index of the views' table: one write unit
 * each, an index entry being its keys and a few copied attributes, well under 1 KB.
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.ThroughputConsiderations.Writes
 */
export function orderCapacity(graph: PipelineGraph, path: OrderPath, skuCount: number, sizes: ItemSizes, projectionWrites: number): OrderCapacity {
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
  const deleteItem = () => {
    request('DeleteItem');
    write += writeUnits(0);
  };
  const uses = (name: string, port: string) => (graph.function(name).uses as readonly string[] | undefined)?.includes(port) === true;
  const usesOrderViews = (name: string) => uses(name, 'orderViews');
  const viewIndexes = INDEXES.filter((index) => index.table === 'orders').length;
  const putView = () => {
    put(sizes.orderViewBytes);
    write += viewIndexes;
  };

  const [first] = path.events;
  const placer = first === undefined ? undefined : graph.producers.get(first);
  if (placer !== undefined && usesOrderViews(placer)) putView();
  if (placer !== undefined && uses(placer, 'paymentIntentIssuer')) put(0);
  if (placer !== undefined && uses(placer, 'orderContactKeeper')) put(0);
  for (const [index, hop] of path.hops.entries()) {
    const step = graph.step(hop.step);
    if (uses(hop.step, 'orderContactReader')) consistentGet(0);
    if (uses(hop.step, 'paymentIntentRedeemer')) {
      consistentGet(0);
      deleteItem();
    } else if (uses(hop.step, 'paymentIntentDiscarder') && !path.hops.slice(index + 1).some((later) => uses(later.step, 'paymentIntentRedeemer'))) deleteItem();
    if (step.readsOwnRecordFirst) consistentGet(0);
    const prerequisite = graph.prerequisiteOf(hop.step, hop.consumed);
    if (prerequisite !== undefined) consistentGet(ledger(prerequisite));
    if (step.uses?.includes('catalogue')) {
      request('BatchGetItem');
      read += skuCount * 0.5 * strongReadUnits(sizes.inventoryBytes);
    }
    if (graph.outcome(hop.produced)?.moves === undefined) put(ledger(hop.step));
    else transact(ledger(hop.step));
  }
  const projections = graph.stepNames.filter((name) => !graph.records(name) && usesOrderViews(name)).length;
  for (let projection = 0; projection < projections; projection += 1) {
    consistentGet(sizes.orderViewBytes);
    for (let projected = 0; projected < projectionWrites; projected += 1) {
      consistentGet(sizes.orderViewBytes);
      putView();
    }
  }
  return { readRequestUnits: read, writeRequestUnits: write, requests };
}

/**
 * The projection's writes of an order of `path` when it applies each event on its own (one
 * record per invocation): one per event after the first, which the placing function applied
 * when it wrote the view.
 */
export function projectionWritesEachEventAlone(path: OrderPath): number {
  return Math.max(0, path.events.length - 1);
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
