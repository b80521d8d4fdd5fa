/**
 * Poison messages under faults: events that can never succeed, put on the bus while a soak's
 * orders run, are parked once each with their reason on their first receive, never block their
 * batch, and the other orders settle.
 */
import { randomUUID } from 'node:crypto';
import { aPlacedOrder } from '#test/support/factories';
import { setTimeout as sleep } from 'node:timers/promises';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { describe, expect, it } from 'vitest';
import type { LocalCloud } from '#cloud/local-cloud';
import type { DeadLetter } from '#local/soak/invariants';
import type { DetailType } from '#shared/contracts';
import { PIPELINE_GRAPH } from '#shared/pipeline-graph';
import { expectAllInvariantsHold, SOAK_TEST_TIMEOUT_MS, soakUnder } from './soak-support.ts';

/** A poison event: what it is, and the step DLQs that must park it (every consumer of its detail-type). */
interface Poison {
  readonly orderId: string;
  readonly entry: Omit<PutEventsRequestEntry, 'EventBusName'>;
  readonly parkedBy: readonly string[];
  /** The error each DLQ copy must name. */
  readonly error: { readonly name: string; readonly message: string };
}

/** The DLQs of the steps that consume `type`, by the name their queues carry; `requiring`: only those that require its producer's record. */
function deadLetterQueuesOf(type: DetailType, options: { readonly requiring?: boolean } = {}): string[] {
  const consumers = PIPELINE_GRAPH.stepNames.filter((step) => type in PIPELINE_GRAPH.step(step).consumes && (!options.requiring || PIPELINE_GRAPH.prerequisiteOf(step, type) !== undefined));
  return consumers.map((step) => `${step.replace(/(^|-)([a-z])/g, (_, _dash: string, letter: string) => letter.toUpperCase())}DeadLetterQueue`);
}

/** A placed order whose detail breaks the contract (every consumer parks it: reserve-inventory and the projection). */
function anInvalidOrderPlaced(): Poison {
  const orderId = randomUUID();
  return { orderId, entry: { Source: 'shop.orders', DetailType: 'OrderPlaced', Detail: JSON.stringify({ schemaVersion: 2, orderId, order: { items: 'none' } }) }, parkedBy: deadLetterQueuesOf('OrderPlaced'), error: { name: 'ValidationError', message: 'OrderPlaced detail is invalid' } };
}

/** A reservation of an order never placed, with an impossible amount (every consumer parks it: the next step and the projection). */
function anInvalidInventoryReserved(): Poison {
  const orderId = randomUUID();
  return { orderId, entry: { Source: 'shop.inventory', DetailType: 'InventoryReserved', Detail: JSON.stringify({ schemaVersion: 2, orderId, amountCents: -1, currency: 'USD' }) }, parkedBy: deadLetterQueuesOf('InventoryReserved'), error: { name: 'ValidationError', message: 'InventoryReserved detail is invalid' } };
}

/**
 * A well-formed capture for an order that was never placed: ship-order must not ship it (it
 * would take units other orders reserved). The projection, which tolerates events arriving
 * before OrderPlaced, keeps it in a read model of its own.
 */
function aCaptureOfAnUnknownOrder(): Poison {
  const orderId = randomUUID();
  const detail = { schemaVersion: 2, orderId, order: aPlacedOrder(), paymentId: 'pay_forged', amountCents: 100 };
  return { orderId, entry: { Source: 'shop.payments', DetailType: 'PaymentCaptured', Detail: JSON.stringify(detail) }, parkedBy: deadLetterQueuesOf('PaymentCaptured', { requiring: true }), error: { name: 'UnknownOrderError', message: 'the event belongs to no placed order' } };
}

/** Puts `poisons` on the cloud's bus, sending again any entry PutEvents failed (faults are on). */
async function putOnBus(cloud: LocalCloud, poisons: readonly Poison[]): Promise<void> {
  const events = new EventBridgeClient({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  try {
    let pending = poisons.map((poison) => ({ ...poison.entry, EventBusName: cloud.outputs.EventBusName }));
    while (pending.length > 0) {
      const { Entries = [] } = await events.send(new PutEventsCommand({ Entries: pending }));
      pending = pending.filter((_, index) => Entries[index]?.ErrorCode !== undefined);
    }
  } finally {
    events.destroy();
  }
}

const parkedCopies = (letters: readonly DeadLetter[], poison: Poison, queue: string) => letters.filter((letter) => letter.orderId === poison.orderId && letter.queueName.includes(queue));

describe('poison messages in a soak under faults', () => {
  it('parks each poison event once, on its first receive, with its reason, while the other orders settle', { timeout: SOAK_TEST_TIMEOUT_MS }, async () => {
    // Prepare: three rounds of poison while the orders are being placed. The faults spare the
    // poisons' consumers: a crash or duplicate there would (rightly) park a poison twice.
    const rounds = [0, 1, 2].map(() => [anInvalidOrderPlaced(), anInvalidInventoryReserved(), aCaptureOfAnUnknownOrder()]);
    const poisons = rounds.flat();
    const faults = { throw: { probability: 0.05, targets: ['release-inventory'] }, crash: { probability: 0.05, targets: ['notify-customer'] }, delay: { maxDelayMs: 100 }, unreachableTarget: { probability: 0.1 }, putEventsFailure: { probability: 0.05 } };
    // Act
    const report = await soakUnder(faults, {
      orders: 40,
      seed: 11,
      alongside: async (cloud) => {
        for (const round of rounds) {
          await sleep(300);
          await putOnBus(cloud, round);
        }
      },
    });
    // Assess
    expectAllInvariantsHold(report);
    for (const poison of poisons) {
      for (const queue of poison.parkedBy) {
        const parked = parkedCopies(report.deadLettersBeforeRedrive, poison, queue);
        expect(parked, `${poison.entry.DetailType} ${poison.orderId} in ${queue}`).toHaveLength(1);
        expect(parked[0]?.attributes).toMatchObject({ errorName: poison.error.name, receiveCount: '1', orderId: poison.orderId });
        expect(parked[0]?.attributes.errorMessage).toContain(poison.error.message);
        // An operator's redrive gives it one more try: it is parked again, once, with its reason.
        expect(parkedCopies(report.deadLettersAfterRedrive, poison, queue).map((letter) => letter.attributes.receiveCount)).toEqual(['1']);
      }
    }
  });
});
