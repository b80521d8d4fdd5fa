/**
 * Behaviours where hand-written EventBridge emulators (moto, LocalStack's Python matcher) are
 * known to diverge from EventBridge, each pinned here with an event from our own domain so
 * that a regression in this engine shows up under a name that says what it breaks.
 */
import { matching, notMatching, Source, withDetail, type MatchCase } from './corpus.ts';

export const emulatorGapCases: readonly MatchCase[] = [
  notMatching('gap: array consistency across order lines', { detail: { lines: { sku: ['SKU-1'], status: ['backordered'] } } }, withDetail({
    lines: [{ sku: 'SKU-1', status: 'reserved' }, { sku: 'SKU-2', status: 'backordered' }],
  }), Source.rulerArrays),
  matching('gap: array consistency holds within one order line', { detail: { lines: { sku: ['SKU-2'], status: ['backordered'] } } }, withDetail({
    lines: [{ sku: 'SKU-1', status: 'reserved' }, { sku: 'SKU-2', status: 'backordered' }],
  }), Source.rulerArrays),
  notMatching('gap: exists false does not match a null value', { detail: { cancelledAt: [{ exists: false }] } }, withDetail({ cancelledAt: null }), Source.rulerNameState),
  matching('gap: exists true matches a null value', { detail: { cancelledAt: [{ exists: true }] } }, withDetail({ cancelledAt: null }), Source.rulerNameState),
  matching('gap: exists false matches a missing value', { detail: { cancelledAt: [{ exists: false }] } }, withDetail({ orderId: 'o-1' }), Source.rulerExists),
  notMatching('gap: numeric pattern value does not match a string amount', { detail: { total: [100] } }, withDetail({ total: '100' }), Source.rulerJsonText),
  notMatching('gap: numeric range does not match a string amount', { detail: { total: [{ numeric: ['>=', 100] }] } }, withDetail({ total: '150' }), Source.rulerNumeric),
  matching('gap: numeric range matches an integer-valued float', { detail: { total: [{ numeric: ['=', 150] }] } }, JSON.parse('{"detail":{"total":150.0}}') as object, Source.rulerNumeric),
  notMatching('gap: anything-but prefix excludes a matching prefix', { detail: { channel: [{ 'anything-but': { prefix: 'test-' } }] } }, withDetail({ channel: 'test-web' }), Source.ebOperators),
  notMatching('gap: anything-but suffix excludes a matching suffix', { detail: { email: [{ 'anything-but': { suffix: '@example.com' } }] } }, withDetail({ email: 'qa@example.com' }), Source.ebOperators),
  matching('gap: anything-but wildcard lets other values through', { detail: { email: [{ 'anything-but': { wildcard: '*@example.*' } }] } }, withDetail({ email: 'alice@shop.io' }), Source.ebOperators),
  notMatching('gap: anything-but wildcard excludes a matching value', { detail: { email: [{ 'anything-but': { wildcard: '*@example.*' } }] } }, withDetail({ email: 'qa@example.org' }), Source.ebOperators),
  matching('gap: equals-ignore-case inside prefix', { detail: { country: [{ prefix: { 'equals-ignore-case': 'fr' } }] } }, withDetail({ country: 'FR-75' }), Source.rulerPrefixIgnoreCase),
  matching('gap: equals-ignore-case inside suffix', { detail: { file: [{ suffix: { 'equals-ignore-case': '.CSV' } }] } }, withDetail({ file: 'orders.csv' }), Source.rulerSuffixIgnoreCase),
  notMatching('gap: $or combined with another field requires both', { source: ['com.example.orders'], $or: [{ detail: { status: ['paid'] } }, { detail: { total: [{ numeric: ['>', 1000] }] } }] }, {
    source: 'com.example.billing',
    detail: { status: 'paid', total: 5 },
  }, Source.rulerOr),
  matching('gap: $or combined with another field, both hold', { source: ['com.example.orders'], $or: [{ detail: { status: ['paid'] } }, { detail: { total: [{ numeric: ['>', 1000] }] } }] }, {
    source: 'com.example.orders',
    detail: { status: 'pending', total: 5000 },
  }, Source.rulerOr),
];
