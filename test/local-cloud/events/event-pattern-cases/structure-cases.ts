/** exists, $or, array consistency and how field paths are named. */
import { ec2StateChange, matching, notMatching, Source, withDetail, type MatchCase } from './corpus.ts';

export const existsCases: readonly MatchCase[] = [
  matching('exists true, field present', { detail: { 'c-count': [{ exists: true }] } }, ec2StateChange(), Source.rulerExists),
  notMatching('exists true, field missing', { detail: { 'e-count': [{ exists: true }] } }, ec2StateChange(), Source.rulerExists),
  matching('exists false, field missing', { detail: { 'e-count': [{ exists: false }] } }, ec2StateChange(), Source.rulerExists),
  notMatching('exists false, field present', { detail: { 'c-count': [{ exists: false }] } }, ec2StateChange(), Source.rulerExists),
  matching('exists true, field is null (null is a value)', { detail: { note: [{ exists: true }] } }, withDetail({ note: null }), Source.rulerNameState),
  notMatching('exists false, field is null (null is a value)', { detail: { note: [{ exists: false }] } }, withDetail({ note: null }), Source.rulerNameState),
  matching('exists true, field is an empty string', { detail: { note: [{ exists: true }] } }, withDetail({ note: '' }), Source.rulerExists),
  notMatching('exists true, field is an empty array (no value)', { detail: { tags: [{ exists: true }] } }, withDetail({ tags: [] }), Source.rulerExists),
  matching('exists false, field is an empty array (no value)', { detail: { tags: [{ exists: false }] } }, withDetail({ tags: [] }), Source.rulerExists),
  notMatching('exists true on an object: only leaves exist', { detail: { 'c-count': [{ exists: true }] } }, ec2StateChange({ 'c-count': { c1: 100 } }), Source.rulerExists),
  matching('exists false on an object: README says it matches', { detail: { 'c-count': [{ exists: false }] } }, ec2StateChange({ 'c-count': { c1: 100 } }), Source.rulerExists),
  matching('exists false when the parent object is missing', { detail: { order: { coupon: [{ exists: false }] } } }, withDetail({}), Source.rulerExists),
  matching('exists true on an array of values', { detail: { tags: [{ exists: true }] } }, withDetail({ tags: ['a'] }), Source.rulerExists),
  matching('exists false together with another field', { source: ['aws.ec2'], detail: { 'e-count': [{ exists: false }] } }, ec2StateChange(), Source.ebOperators),
  matching('exists false or a value: field missing', { detail: { tier: [{ exists: false }, 'gold'] } }, withDetail({}), Source.ebOperators),
  matching('exists false or a value: field has the value', { detail: { tier: [{ exists: false }, 'gold'] } }, withDetail({ tier: 'gold' }), Source.ebOperators),
  notMatching('exists false or a value: field has another value', { detail: { tier: [{ exists: false }, 'gold'] } }, withDetail({ tier: 'silver' }), Source.ebOperators),
];

export const orCases: readonly MatchCase[] = [
  matching('$or: first alternative matches', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, { source: 'aws.cloudwatch', metricName: 'ReadLatency' }, Source.rulerOr),
  matching('$or: second alternative matches', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, Source.rulerOr),
  notMatching('$or: no alternative matches', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, Source.rulerOr),
  notMatching('$or combined with another field: the other field fails', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] }, { source: 'aws.ec2', metricName: 'CPUUtilization' }, Source.rulerOr),
  matching('parallel $or at two levels', {
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
  }, { namespace: 'AWS/EC2', detail: { 'detail-type': 'CloudWatch Alarm State Change' } }, Source.rulerOr),
  notMatching('parallel $or: only one of the two holds', {
    $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }],
    detail: { $or: [{ source: ['aws.cloudwatch'] }, { 'detail-type': ['CloudWatch Alarm State Change'] }] },
  }, { namespace: 'AWS/EC2', detail: { source: 'aws.ec2' } }, Source.rulerOr),
  matching('$or alternative with an AND inside', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }, { scope: ['Service'] }] }, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2' }, Source.rulerOr),
  notMatching('$or alternative with an AND inside, half of it holds', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'] }] }, { source: 'aws.cloudwatch', metricType: 'MetricType' }, Source.rulerOr),
  matching('nested $or inside an alternative', {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
  }, { source: 'aws.cloudwatch', metricType: 'MetricType', spaceId: 1000 }, Source.rulerOr),
  notMatching('nested $or inside an alternative, nested part fails', {
    source: ['aws.cloudwatch'],
    $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }],
  }, { source: 'aws.cloudwatch', metricType: 'MetricType', spaceId: 1001 }, Source.rulerOr),
  matching('$or of operators on different fields', { detail: { $or: [{ 'c-count': [{ numeric: ['>', 10] }] }, { state: [{ prefix: 'run' }] }] } }, ec2StateChange(), Source.rulerOr),
  matching('$or with exists false in an alternative', { detail: { $or: [{ coupon: [{ exists: false }] }, { coupon: ['WELCOME'] }] } }, withDetail({}), Source.rulerOr),
  matching('a field after $or overrides the same field inside it', { $or: [{ a: ['y'] }, { b: ['z'] }], a: ['x'] }, { a: 'x', b: 'z' }, Source.rulerCompiler),
  notMatching('a field after $or overrides it in every alternative', { $or: [{ a: ['y'] }, { b: ['z'] }], a: ['x'] }, { a: 'y' }, Source.rulerCompiler),
  matching('a field inside $or overrides the same field before it', { a: ['x'], $or: [{ a: ['y'] }, { b: ['z'] }] }, { a: 'y' }, Source.rulerCompiler),
  matching('$or followed by an object is a plain field name (backward compatibility)', { source: ['aws.cloudwatch'], $or: { metricType: ['MetricType'] } }, { source: 'aws.cloudwatch', $or: { metricType: 'MetricType' } }, Source.rulerOrCompatibility),
  notMatching('$or as a plain field name needs that field in the event', { source: ['aws.cloudwatch'], $or: { metricType: ['MetricType'] } }, { source: 'aws.cloudwatch', metricType: 'MetricType' }, Source.rulerOrCompatibility),
];

export const arrayConsistencyCases: readonly MatchCase[] = [
  matching('two fields in the same array element', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, {
    employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }],
  }, Source.rulerArrays),
  notMatching('two fields from different elements of the same array', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, {
    employees: [{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }, { firstName: 'Peter', lastName: 'Jones' }],
  }, Source.rulerArrays),
  notMatching('different elements of nested arrays', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, {
    employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]],
  }, Source.rulerArrays),
  matching('same element of nested arrays', { employees: { firstName: ['Anna'], lastName: ['Smith'] } }, {
    employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]],
  }, Source.rulerArrays),
  matching('fields in two different arrays are independent', { detail: { items: { sku: ['A'] }, payments: { method: ['card'] } } }, withDetail({
    items: [{ sku: 'B' }, { sku: 'A' }],
    payments: [{ method: 'card' }, { method: 'cash' }],
  }), Source.rulerArrays),
  matching('array field plus a top-level field', { source: ['com.example.orders'], detail: { items: { sku: ['A'], quantity: [2] } } }, withDetail({ items: [{ sku: 'A', quantity: 2 }] }), Source.rulerArrays),
  notMatching('operators must hold within one element', { detail: { items: { sku: [{ prefix: 'A' }], quantity: [{ numeric: ['>', 5] }] } } }, withDetail({
    items: [{ sku: 'A-1', quantity: 1 }, { sku: 'B-1', quantity: 10 }],
  }), Source.rulerArrays),
  matching('operators holding within one element', { detail: { items: { sku: [{ prefix: 'B' }], quantity: [{ numeric: ['>', 5] }] } } }, withDetail({
    items: [{ sku: 'A-1', quantity: 1 }, { sku: 'B-1', quantity: 10 }],
  }), Source.rulerArrays),
  notMatching('exists true must hold in the same element', { detail: { items: { sku: ['A'], gift: [{ exists: true }] } } }, withDetail({
    items: [{ sku: 'A' }, { sku: 'B', gift: true }],
  }), Source.rulerArrays),
  matching('inner array of an element stays in that element', { a: { b: { c: ['x'] }, e: ['z'] } }, { a: [{ b: [{ c: 'x' }], e: 'z' }] }, Source.rulerArrays),
  notMatching('inner array of one element, field of another', { a: { b: { c: ['x'] }, e: ['z'] } }, { a: [{ b: [{ c: 'x' }] }, { e: 'z' }] }, Source.rulerArrays),
  notMatching('two elements of an inner array', { a: { b: { c: ['x'], d: ['y'] } } }, { a: [{ b: [{ c: 'x' }, { d: 'y' }] }] }, Source.rulerArrays),
  notMatching('$or alternatives share the array element choice with the other fields', { $or: [{ a: { b: ['1'] } }, { a: { c: ['2'] } }], a: { d: ['3'] } }, { a: [{ b: '1' }, { d: '3' }] }, Source.rulerArrays),
  matching('$or alternative in the same element as the other field', { $or: [{ a: { b: ['1'] } }, { a: { c: ['2'] } }], a: { d: ['3'] } }, { a: [{ b: '1' }, { c: '2', d: '3' }] }, Source.rulerArrays),
  matching('exists false checked within the chosen element (field after it in key order)', { a: { b: ['x'], c: [{ exists: false }] } }, { a: [{ b: 'x', c: 1 }, { b: 'x' }] }, Source.rulerNameState),
  notMatching('exists false checked across the whole array (field before it in key order)', { a: { b: [{ exists: false }] } }, { a: [{ b: 1 }, { c: 2 }] }, Source.rulerNameState),
];

export const fieldPathCases: readonly MatchCase[] = [
  matching('a dotted key in the pattern names the nested field', { detail: { 'state.status': ['running'] } }, withDetail({ state: { status: 'running' } }), Source.rulerDottedKeys),
  matching('a dotted key in the event is reached by the nested pattern', { detail: { state: { status: ['running'] } } }, withDetail({ 'state.status': 'running' }), Source.rulerDottedKeys),
  matching('a field named like an operator outside $or is just a field', { detail: { prefix: ['abc'] } }, withDetail({ prefix: 'abc' }), Source.rulerCompiler),
  matching('keys with spaces and symbols', { detail: { 'order id #': ['o-1'] } }, withDetail({ 'order id #': 'o-1' }), Source.ebPatterns),
];
