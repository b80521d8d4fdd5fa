import { describe, expect, it } from 'vitest';
import { DetailSchemas, EventEnvelopeSchema, OrderIdSchema, OrderSchema, PlacedOrderSchema, RejectionSchema } from '#shared/contracts';
import { fieldIssues } from '#shared/errors';
import { anOrder, aPlacedOrder } from '#test/support/factories';

const orderId = '5f0c3c2e-8a4b-4c1d-9e2f-1a2b3c4d5e6f';

/** The problems a schema finds in `input`, as a client or an operator reads them. */
function issuesOf(schema: { safeParse(input: unknown): { success: boolean; error?: Parameters<typeof fieldIssues>[0] } }, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? [] : fieldIssues(result.error as Parameters<typeof fieldIssues>[0]);
}

describe('event contracts', () => {
  it('accepts a valid order and a valid event of each kind it is given', () => {
    // Act
    const results = [OrderSchema.safeParse(anOrder()), DetailSchemas.OrderPlaced.safeParse({ schemaVersion: 2, orderId, order: aPlacedOrder(), placedAt: '2026-11-22T12:00:00.000Z' })];
    // Assess
    expect(results.map((result) => result.success)).toEqual([true, true]);
  });

  // The messages are part of the contract: POST /orders answers them, DLQ messages carry them.
  it.each([
    {
      what: 'an order with a problem in every part',
      schema: OrderSchema,
      input: {
        customer: { customerId: '', email: 'not-an-email', name: 7 },
        items: [
          { sku: 'sku-mouse', quantity: 1.5 },
          { sku: 'SKU-MOUSE', quantity: 1001 },
        ],
        shippingAddress: { ...anOrder().shippingAddress, line2: 'x'.repeat(201), country: 'GBR' },
        paymentToken: 'visa',
      },
      issues: [
        { field: 'customer.customerId', message: 'Too small: expected string to have >=1 characters' },
        { field: 'customer.email', message: 'Invalid email address' },
        { field: 'customer.name', message: 'Invalid input: expected string, received number' },
        { field: 'items.0.sku', message: 'must be 1-64 upper-case letters, digits or dashes' },
        { field: 'items.0.quantity', message: 'Invalid input: expected int, received number' },
        { field: 'items.1.quantity', message: 'Too big: expected number to be <=1000' },
        { field: 'shippingAddress.line2', message: 'Too big: expected string to have <=200 characters' },
        { field: 'shippingAddress.country', message: 'must be an ISO 3166-1 alpha-2 code such as "DE"' },
        { field: 'paymentToken', message: 'must look like "tok_..."' },
      ],
    },
    {
      what: 'an order without lines',
      schema: OrderSchema,
      input: anOrder({ items: [] }),
      issues: [{ field: 'items', message: 'Too small: expected array to have >=1 items' }],
    },
    {
      what: 'an order naming a SKU twice',
      schema: OrderSchema,
      input: anOrder({ items: [{ sku: 'SKU-MOUSE', quantity: 1 }, { sku: 'SKU-MOUSE', quantity: 2 }] }),
      issues: [{ field: 'items', message: 'each sku may appear only once' }],
    },
    {
      what: 'a placed order with its payment token instead of a payment intent',
      schema: PlacedOrderSchema,
      input: { ...aPlacedOrder(), paymentIntentId: 'tok_visa' },
      issues: [{ field: 'paymentIntentId', message: 'must look like "pi_" and 32 hex digits' }],
    },
    {
      what: 'an InventoryReserved of another version, order id, amount and currency',
      schema: DetailSchemas.InventoryReserved,
      input: { schemaVersion: 1, orderId: '42', order: aPlacedOrder(), amountCents: -1, currency: 'EUR' },
      issues: [
        { field: 'schemaVersion', message: 'Invalid input: expected 2' },
        { field: 'orderId', message: 'Invalid UUID' },
        { field: 'amountCents', message: 'Too small: expected number to be >=0' },
        { field: 'currency', message: 'Invalid input: expected "USD"' },
      ],
    },
    {
      what: 'a version 1 OrderPlaced, which carried the customer and address instead of the customer id',
      schema: DetailSchemas.OrderPlaced,
      input: { schemaVersion: 1, orderId, order: (({ paymentToken: _paymentToken, ...order }) => ({ ...order, paymentIntentId: aPlacedOrder().paymentIntentId }))(anOrder()), placedAt: '2026-11-22T12:00:00Z' },
      issues: [
        { field: 'schemaVersion', message: 'Invalid input: expected 2' },
        { field: 'order.customerId', message: 'Invalid input: expected string, received undefined' },
      ],
    },
    {
      what: 'an OrderPlaced with a time that is not ISO 8601',
      schema: DetailSchemas.OrderPlaced,
      input: { schemaVersion: 2, orderId, order: aPlacedOrder(), placedAt: 'yesterday' },
      issues: [{ field: 'placedAt', message: 'Invalid ISO datetime' }],
    },
    {
      what: 'a rejection with an unknown code',
      schema: DetailSchemas.InventoryRejected,
      input: { schemaVersion: 2, orderId, reason: { code: 'LOST', message: 'lost', skus: 'SKU-MOUSE' } },
      issues: [
        // Every code, in the order the contract lists them (OUT_OF_STOCK, UNKNOWN_SKU...).
        { field: 'reason.code', message: `Invalid option: expected one of ${RejectionSchema.shape.code.options.map((code) => JSON.stringify(code)).join('|')}` },
        { field: 'reason.skus', message: 'Invalid input: expected array, received string' },
      ],
    },
    {
      what: 'an envelope without detail-type and detail',
      schema: EventEnvelopeSchema,
      input: { id: 1, source: 'shop.orders', time: '2026-11-22T12:00:00Z' },
      issues: [
        { field: 'id', message: 'Invalid input: expected string, received number' },
        { field: 'detail-type', message: 'Invalid input: expected string, received undefined' },
        { field: 'detail', message: 'Invalid input: expected nonoptional, received undefined' },
      ],
    },
    {
      what: 'an order id that is not a UUID',
      schema: OrderIdSchema,
      input: '42',
      issues: [{ field: '(root)', message: 'Invalid UUID' }],
    },
  ])('names every problem of $what in plain English', ({ schema, input, issues }) => {
    // Act
    const found = issuesOf(schema, input);
    // Assess
    expect(found).toEqual(issues);
  });
});
