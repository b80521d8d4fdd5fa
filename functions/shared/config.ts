/**
 * The one place that reads environment variables. Every getter fails with "X is required"
 * when its variable is missing, so a misconfigured function fails at start, not mid-order.
 * There is no "local" switch: where the AWS endpoint is comes from the SDK's own
 * `AWS_ENDPOINT_URL` variable, set by the local cloud and absent on AWS.
 */

import type { TableName } from '#shared/tables';

/** Names of the variables the stack gives the functions; the CDK stack imports these too. */
export const EnvName = {
  eventBusName: 'EVENT_BUS_NAME',
  ordersTableName: 'ORDERS_TABLE_NAME',
  inventoryTableName: 'INVENTORY_TABLE_NAME',
  ledgerTableName: 'LEDGER_TABLE_NAME',
  idempotencyTableName: 'IDEMPOTENCY_TABLE_NAME',
  paymentIntentsTableName: 'PAYMENT_INTENTS_TABLE_NAME',
  orderContactsTableName: 'ORDER_CONTACTS_TABLE_NAME',
  deadLetterQueueUrl: 'DEAD_LETTER_QUEUE_URL',
  maxReceiveCount: 'MAX_RECEIVE_COUNT',
  serviceName: 'POWERTOOLS_SERVICE_NAME',
} as const;
export type EnvName = (typeof EnvName)[keyof typeof EnvName];

/** The variable that carries each table's name. */
export const TABLE_NAME_ENV = {
  orders: EnvName.ordersTableName,
  inventory: EnvName.inventoryTableName,
  ledger: EnvName.ledgerTableName,
  idempotency: EnvName.idempotencyTableName,
  paymentIntents: EnvName.paymentIntentsTableName,
  orderContacts: EnvName.orderContactsTableName,
} as const satisfies Record<TableName, EnvName>;

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

function requiredPositiveInteger(name: string): number {
  const raw = required(name);
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

/** Typed access to the function's configuration. */
export const config = {
  eventBusName: () => required(EnvName.eventBusName),
  ordersTableName: () => required(EnvName.ordersTableName),
  inventoryTableName: () => required(EnvName.inventoryTableName),
  ledgerTableName: () => required(EnvName.ledgerTableName),
  idempotencyTableName: () => required(EnvName.idempotencyTableName),
  paymentIntentsTableName: () => required(EnvName.paymentIntentsTableName),
  orderContactsTableName: () => required(EnvName.orderContactsTableName),
  deadLetterQueueUrl: () => required(EnvName.deadLetterQueueUrl),
  maxReceiveCount: () => requiredPositiveInteger(EnvName.maxReceiveCount),
} as const;
