/**
 * The mix of orders the demo, the soak and the benchmarks place: the one place that knows how
 * to build an order that takes a given path through the pipeline (a sold-out SKU, a declining
 * card...), how it must end, and how often it comes. See README "The simulated world".
 *
 * About 70% are fulfilled, 10% out of stock, 20% declined (card declined, insufficient funds,
 * or above the gateway's amount limit). Kinds are spread evenly through the orders, so any
 * stretch of them (a benchmark's rate step) sees the same mix; the lines of each order are
 * drawn from a generator seeded by the seed and the order's index, so the same seed gives the
 * same orders, Idempotency-Keys (hence order ids) included, and a failing run can be repeated.
 * Every order has a payment token of its own (`tok_visa_<16 hex digits>`, `tok_decline_...`),
 * so a search for an order's token after a run is meaningful.
 */
import type { Order, OrderLine } from '#shared/contracts';
import { DEMO_CATALOGUE } from '#shared/demo-catalogue';
import { AMOUNT_LIMIT_CENTS } from '#shared/payment-gateway';
import { PIPELINE_GRAPH, type OrderPath, type ProducedBy, type StepName } from '#shared/pipeline-graph';
import { SeededRandom } from '#cloud/faults/prng';
import type { ExpectedOutcome } from '#local/soak/invariants';

/** Which outcome a step produces for an order of a kind, where it is not the step's first (happy) one. */
export type PathChoices = { readonly [S in StepName]?: ProducedBy<S> };

/** A kind of order: how often it comes, how to build one, the path it takes and how it ends. */
export interface OrderKind {
  /** For people: `out of stock`. */
  readonly label: string;
  /** Its share of the orders; the shares add up to 1. */
  readonly share: number;
  /** The outcomes its order gets where they differ from the happy path. */
  readonly choices: PathChoices;
  readonly expected: ExpectedOutcome;
  /** The order, from an order with everyday lines (in stock, cheap) and a card that pays. */
  readonly build: (everyday: Order) => Order;
}

/** SKUs in stock and cheap enough that a few units stay under the amount limit. */
const EVERYDAY_SKUS = ['SKU-KEYBOARD', 'SKU-MOUSE', 'SKU-MONITOR', 'SKU-CABLE'] as const;
const SOLD_OUT_SKU = 'SKU-SOLD-OUT';
const PRICEY_SKU = 'SKU-LAPTOP';
const overLimitQuantity = Math.floor(AMOUNT_LIMIT_CENTS / (DEMO_CATALOGUE.find((entry) => entry.sku === PRICEY_SKU)?.unitPriceCents ?? 1)) + 1;

/** The kinds of order in the mix. */
export const ORDER_KINDS = {
  fulfilled: { label: 'fulfilled', share: 0.7, choices: {}, expected: { status: 'notified' }, build: (order) => order },
  outOfStock: {
    label: 'out of stock',
    share: 0.1,
    choices: { 'reserve-inventory': 'InventoryRejected' },
    expected: { status: 'cancelled', reasonCode: 'OUT_OF_STOCK' },
    build: (order) => ({ ...order, items: [...order.items.slice(0, 1), { sku: SOLD_OUT_SKU, quantity: 1 }] }),
  },
  cardDeclined: {
    label: 'declined card',
    share: 0.08,
    choices: { 'capture-payment': 'PaymentDeclined' },
    expected: { status: 'cancelled', reasonCode: 'CARD_DECLINED' },
    build: (order) => withCard(order, 'tok_decline'),
  },
  insufficientFunds: {
    label: 'insufficient funds',
    share: 0.06,
    choices: { 'capture-payment': 'PaymentDeclined' },
    expected: { status: 'cancelled', reasonCode: 'INSUFFICIENT_FUNDS' },
    build: (order) => withCard(order, 'tok_insufficient_funds'),
  },
  overLimit: {
    label: 'over the limit',
    share: 0.06,
    choices: { 'capture-payment': 'PaymentDeclined' },
    expected: { status: 'cancelled', reasonCode: 'AMOUNT_LIMIT_EXCEEDED' },
    build: (order) => ({ ...order, items: [{ sku: PRICEY_SKU, quantity: overLimitQuantity }] }),
  },
} as const satisfies Record<string, OrderKind>;
/** The name of a kind of order in the mix (`fulfilled`, `outOfStock`...). */
export type OrderKindName = keyof typeof ORDER_KINDS;

/** An order to place, its Idempotency-Key, how it must end and the path it takes. */
export interface PlannedOrder {
  readonly kind: OrderKindName;
  readonly order: Order;
  readonly idempotencyKey: string;
  readonly expected: ExpectedOutcome;
  /** The path through the pipeline, from its declaration. */
  readonly path: OrderPath;
}

/** The prefix of a card that pays: the gateway captures with any token but its declining prefixes. */
const PAYING_CARD = 'tok_visa';

/**
 * `order` paid with a card of `prefix` (the gateway declines `tok_decline...`), its token's own
 * suffix kept: each order's token is its own, so a search for it finds only that order's.
 */
function withCard(order: Order, prefix: 'tok_decline' | 'tok_insufficient_funds'): Order {
  return { ...order, paymentToken: order.paymentToken.replace(PAYING_CARD, prefix) };
}

/** 16 hex digits, the part of an order's payment token that makes it the order's own. */
function tokenSuffix(random: SeededRandom): string {
  return Array.from({ length: 2 }, () => random.below(2 ** 32).toString(16).padStart(8, '0')).join('');
}

/** The golden ratio's fractional part: a Weyl sequence of it spreads any stretch of indices evenly over [0, 1). */
const GOLDEN_FRACTION = (Math.sqrt(5) - 1) / 2;

/**
 * The `index`-th order of the mix for `seed`: the same for the same arguments, whatever was
 * planned before it.
 */
export function plannedOrder(index: number, seed: number): PlannedOrder {
  const offset = new SeededRandom(seed).next();
  const position = (offset + index * GOLDEN_FRACTION) % 1;
  let remaining = position;
  const kinds = Object.entries(ORDER_KINDS) as [OrderKindName, OrderKind][];
  const [kind, declaration] = kinds.find(([, candidate]) => (remaining -= candidate.share) < 0) ?? kinds[0]!;

  // One generator per order, seeded by both numbers (mixed so that neighbouring seeds differ).
  const random = new SeededRandom((Math.imul(seed ^ 0x9e37_79b9, 0x85eb_ca6b) + index) >>> 0);
  const customer = { customerId: `customer-${index % 97}`, email: `customer${index % 97}@example.com`, name: `Customer ${index % 97}` };
  const items = everydayLines(random);
  const everyday: Order = {
    customer,
    shippingAddress: { line1: `${index} Main Street`, city: 'Springfield', postalCode: '12345', country: 'US' },
    paymentToken: `${PAYING_CARD}_${tokenSuffix(random)}`,
    items,
  };
  return {
    kind,
    order: declaration.build(everyday),
    idempotencyKey: `mix-${seed}-${index}`,
    expected: declaration.expected,
    path: PIPELINE_GRAPH.path(declaration.choices),
  };
}

/** The first `count` orders of the mix for `seed`. */
export function planOrders(count: number, seed: number): PlannedOrder[] {
  return Array.from({ length: count }, (_, index) => plannedOrder(index, seed));
}

/** One to three distinct everyday SKUs, one to three units each (well under the amount limit). */
function everydayLines(random: SeededRandom): OrderLine[] {
  const skus = [...EVERYDAY_SKUS];
  return Array.from({ length: 1 + random.below(3) }, () => {
    const [sku = EVERYDAY_SKUS[0]] = skus.splice(random.below(skus.length), 1);
    return { sku, quantity: 1 + random.below(3) };
  });
}
