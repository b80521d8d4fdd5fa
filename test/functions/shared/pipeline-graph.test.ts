import { describe, expect, it } from 'vitest';
import { DETAIL_TYPES, type DetailType } from '#shared/contracts';
import { PIPELINE } from '#shared/pipeline';
import { definePipeline, InvalidPipelineError, pipelineProblems, type PipelineDeclaration } from '#shared/pipeline-declaration';
import { isSettled, PIPELINE_GRAPH, SETTLING_EVENTS, STEP_NAMES, TERMINAL_STATUSES } from '#shared/pipeline-graph';
import { OrderStatusRank } from '#shared/order-view';
import { SHOP_GRAPH, SHOP_PIPELINE } from '#test/support/shop-pipeline';

describe("the order pipeline's declaration", () => {
  it('has none of the problems its types cannot catch', () => {
    expect(pipelineProblems(PIPELINE)).toEqual([]);
  });

  it('ranks the statuses in the order an order goes through them, the terminal ones last and equal', () => {
    const rank = OrderStatusRank;

    expect(rank.placed).toBeLessThan(rank['inventory-reserved']);
    expect(rank['inventory-reserved']).toBe(rank['inventory-rejected']);
    expect(rank['inventory-reserved']).toBeLessThan(rank['payment-captured']);
    expect(rank['payment-captured']).toBe(rank['payment-declined']);
    expect(rank['payment-captured']).toBeLessThan(rank.shipped);
    expect(rank['payment-declined']).toBeLessThan(rank['inventory-released']);
    expect(rank.notified).toBe(rank.cancelled);
    expect(Math.max(...Object.values<number>(rank))).toBe(rank.notified);
    expect(Object.entries(rank).filter(([, value]) => value === rank.notified).map(([status]) => status).sort()).toEqual(['cancelled', 'notified']);
  });

  it('moves the status strictly forward along every path an order can take, and ends it in a terminal status', () => {
    for (const path of PIPELINE_GRAPH.paths()) {
      const statuses = path.events.flatMap((type) => {
        const status = PIPELINE_GRAPH.statusAfter(type, { outcome: path.events.includes('OrderShipped') ? 'shipped' : 'cancelled' });
        return status === undefined ? [] : [status];
      });
      const ranks = statuses.map((status) => PIPELINE_GRAPH.statusRank[status] ?? Number.NaN);

      expect(ranks, path.events.join(' -> ')).toEqual([...ranks].sort((a, b) => a - b));
      expect(new Set(ranks).size, path.events.join(' -> ')).toBe(ranks.length);
      expect(TERMINAL_STATUSES, path.events.join(' -> ')).toContain(statuses.at(-1));
    }
  });

  it('ends every order notified or cancelled', () => {
    expect([...TERMINAL_STATUSES].sort()).toEqual(['cancelled', 'notified']);
  });

  it('shows notified only for a shipped order: a notification about a cancellation leaves the status', () => {
    expect(PIPELINE_GRAPH.statusAfter('CustomerNotified', { outcome: 'shipped' })).toBe('notified');
    expect(PIPELINE_GRAPH.statusAfter('CustomerNotified', { outcome: 'cancelled' })).toBeUndefined();
  });

  it('settles an order when the customer is notified, and by no other event', () => {
    expect(SETTLING_EVENTS).toEqual(['CustomerNotified']);
    expect(isSettled([{ type: 'OrderPlaced' }, { type: 'OrderCancelled' }])).toBe(false);
    expect(isSettled([{ type: 'OrderPlaced' }, { type: 'OrderCancelled' }, { type: 'CustomerNotified' }])).toBe(true);
  });

  it("requires, before a consumed event, its producer's record of it where declared; nothing before OrderPlaced (place-order keeps no ledger) nor in the projection", () => {
    for (const step of STEP_NAMES) {
      for (const [type, prerequisite] of Object.entries(PIPELINE.steps[step].consumes)) {
        expect(PIPELINE_GRAPH.prerequisiteOf(step, type as DetailType), `${step} before ${type}`).toBe(prerequisite === 'producer-recorded' ? PIPELINE_GRAPH.producers.get(type as DetailType) : undefined);
      }
    }
    expect(PIPELINE_GRAPH.prerequisiteOf('reserve-inventory', 'OrderPlaced')).toBeUndefined();
    for (const type of DETAIL_TYPES) expect(PIPELINE_GRAPH.prerequisiteOf('project-order', type)).toBeUndefined();
  });

  it('routes every event to the projection, and names each step as its folder under functions/', () => {
    expect(Object.keys(PIPELINE.steps['project-order'].consumes).sort()).toEqual([...DETAIL_TYPES].sort());
    for (const step of STEP_NAMES) expect(step).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

describe('PipelineGraph', () => {
  it('finds every path an order can take, the happy path first', () => {
    // Act
    const paths = SHOP_GRAPH.paths();

    // Assess
    expect(paths.map((path) => ({ choices: path.choices, events: path.events }))).toEqual([
      { choices: {}, events: ['OrderPlaced', 'InventoryReserved', 'PaymentCaptured', 'OrderShipped', 'CustomerNotified'] },
      { choices: { 'reserve-inventory': 'InventoryRejected' }, events: ['OrderPlaced', 'InventoryRejected', 'OrderCancelled', 'CustomerNotified'] },
      { choices: { 'capture-payment': 'PaymentDeclined' }, events: ['OrderPlaced', 'InventoryReserved', 'PaymentDeclined', 'InventoryReleased', 'OrderCancelled', 'CustomerNotified'] },
    ]);
    expect(paths[2]?.hops.map((hop) => hop.step)).toEqual(['reserve-inventory', 'capture-payment', 'release-inventory', 'cancel-order', 'notify-customer']);
  });

  it("requires before each consumed event its producer's record", () => {
    expect(SHOP_GRAPH.prerequisiteOf('capture-payment', 'InventoryReserved')).toBe('reserve-inventory');
    expect(SHOP_GRAPH.prerequisiteOf('cancel-order', 'InventoryRejected')).toBe('reserve-inventory');
    expect(SHOP_GRAPH.prerequisiteOf('cancel-order', 'InventoryReleased')).toBe('release-inventory');
    expect(SHOP_GRAPH.prerequisiteOf('reserve-inventory', 'OrderPlaced')).toBeUndefined();
  });

  it('refuses a path choice its step cannot make', () => {
    expect(() => SHOP_GRAPH.path({ 'capture-payment': 'OrderShipped' })).toThrow(/capture-payment does not produce OrderShipped; it produces PaymentCaptured, PaymentDeclined/);
  });

  it('orders detail-types by the life cycle: by how many events precede them', () => {
    expect(SHOP_GRAPH.lifeCycleOrder).toEqual([
      'OrderPlaced',
      'InventoryReserved',
      'InventoryRejected',
      'PaymentCaptured',
      'PaymentDeclined',
      'InventoryReleased',
      'OrderShipped',
      'OrderCancelled',
      'CustomerNotified',
    ]);
  });

  it('ranks a status set after a longer way higher: a cancellation after a release outranks the release', () => {
    expect(SHOP_GRAPH.statusRank).toEqual({
      placed: 1,
      'inventory-reserved': 2,
      'inventory-rejected': 2,
      'payment-captured': 3,
      'payment-declined': 3,
      'inventory-released': 4,
      shipped: 4,
      cancelled: 7,
      notified: 7,
    });
  });
});

describe('pipelineProblems', () => {
  const withSteps = (steps: PipelineDeclaration['steps']): PipelineDeclaration => ({ http: SHOP_PIPELINE.http, steps: { ...SHOP_PIPELINE.steps, ...steps } });

  it.each<[string, PipelineDeclaration, string]>([
    ['an event with two producers', withSteps({ 'double-ship': { description: 'ships again', consumes: { PaymentCaptured: 'producer-recorded' }, produces: { OrderShipped: {} } } }), 'OrderShipped is produced by ship-order and double-ship; every event has exactly one producer'],
    [
      'an event nobody produces',
      { http: SHOP_PIPELINE.http, steps: { 'cancel-order': SHOP_PIPELINE.steps['cancel-order'] } },
      "cancel-order consumes InventoryRejected, which no function produces: add it to a producer's produces",
    ],
    ['the record of an event no step records', withSteps({ 'reserve-inventory': { ...SHOP_PIPELINE.steps['reserve-inventory'], consumes: { OrderPlaced: 'producer-recorded' } } }), "reserve-inventory requires place-order's record of OrderPlaced, but place-order keeps no ledger: use 'none'"],
    ['a cycle', withSteps({ 'ship-order': { description: 'ships', consumes: { PaymentCaptured: 'producer-recorded', CustomerNotified: 'producer-recorded' }, produces: { OrderShipped: {} } } }), 'events go round in a cycle: OrderShipped -> CustomerNotified -> OrderShipped'],
    ['a large batch without a window', withSteps({ 'project-order': { ...SHOP_PIPELINE.steps['project-order'], batching: { batchSize: 100, maxBatchingWindowSeconds: 0 } } }), 'project-order batches 100 records without a batching window; above 10 needs at least 1 second'],
  ])('reports %s', (_case, declaration, problem) => {
    expect(pipelineProblems(declaration)).toContain(problem);
  });

  it('makes definePipeline throw, naming the declaration', () => {
    const declare = () => definePipeline({ http: {}, steps: { lonely: { description: 'waits', consumes: { OrderShipped: 'none' }, produces: {} } } });

    expect(declare).toThrow(InvalidPipelineError);
    expect(declare).toThrow('the pipeline declaration (functions/shared/pipeline.ts) is invalid: lonely consumes OrderShipped, which no function produces');
  });
});

describe('definePipeline types', () => {
  it('refuses, at compile time, to require the record of an event only an HTTP function produces, and a consumed event that is not a contract', () => {
    const declare = () => [
      definePipeline({
        http: { place: { description: 'places', route: 'POST /orders', produces: { OrderPlaced: {} } } },
        // @ts-expect-error -- place keeps no ledger: its OrderPlaced can only be consumed with 'none'.
        steps: { reserve: { description: 'reserves', consumes: { OrderPlaced: 'producer-recorded' }, produces: {} } },
      }),
      definePipeline({
        http: {},
        // @ts-expect-error -- OrderPaid is not a detail-type of contracts.ts.
        steps: { pay: { description: 'pays', consumes: { OrderPaid: 'none' }, produces: {} } },
      }),
    ];

    // At run time the first is refused too, for callers without types.
    expect(declare).toThrow(InvalidPipelineError);
  });
});
