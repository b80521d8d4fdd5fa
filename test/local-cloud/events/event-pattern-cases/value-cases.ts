/** Exact values, JSON types, null and empty strings, nesting, and the default AND/OR. */
import { ec2StateChange, matching, notMatching, Source, withDetail, type MatchCase } from './corpus.ts';

export const exactValueCases: readonly MatchCase[] = [
  matching('README simple pattern on the sample event', {
    'detail-type': ['EC2 Instance State-change Notification'],
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: { state: ['initializing', 'running'] },
  }, ec2StateChange(), Source.rulerSimple),
  matching('a value list is an OR: second value matches', { detail: { state: ['initializing', 'running'] } }, ec2StateChange({ state: 'running' }), Source.rulerSimple),
  notMatching('no value of the list equals the event value', { detail: { state: ['initializing', 'stopped'] } }, ec2StateChange(), Source.rulerSimple),
  matching('source and detail-type together', { source: ['aws.ec2'], 'detail-type': ['EC2 Instance State-change Notification'] }, ec2StateChange(), Source.ebPatterns),
  notMatching('all fields must match (AND): one differs', { source: ['aws.ec2'], detail: { state: ['stopped'] } }, ec2StateChange(), Source.rulerAnd),
  notMatching('a field named by the pattern is missing from the event', { detail: { 'not-there': ['x'] } }, ec2StateChange(), Source.ebPatterns),
  matching('fields the pattern does not name are ignored', { source: ['aws.ec2'] }, ec2StateChange(), Source.ebPatterns),
  notMatching('exact string comparison is case sensitive', { source: ['AWS.EC2'] }, ec2StateChange(), Source.ebPatterns),
  notMatching('exact string must be the whole value, not a substring', { source: ['aws'] }, ec2StateChange(), Source.ebPatterns),
  matching('three levels of nesting', { detail: { order: { customer: { tier: ['gold'] } } } }, withDetail({ order: { customer: { tier: 'gold' } } }), Source.ebPatterns),
  notMatching('nested pattern against a scalar in the event', { detail: { order: { id: ['o-1'] } } }, withDetail({ order: 'o-1' }), Source.ebPatterns),
  notMatching('scalar pattern against an object in the event (not a leaf)', { detail: { order: ['o-1'] } }, withDetail({ order: { id: 'o-1' } }), Source.rulerExists),
  matching('pattern given as a JSON string', '{"detail":{"state":["running"]}}', ec2StateChange(), Source.ebPatterns),
  matching('README complex example', {
    time: [{ prefix: '2017-10-02' }],
    detail: {
      state: [{ 'anything-but': 'initializing' }],
      'c-count': [{ numeric: ['>', 0, '<=', 5] }],
      'd-count': [{ numeric: ['<', 10] }],
      'x-limit': [{ 'anything-but': [100, 200, 300] }],
      'source-ip': [{ cidr: '10.0.0.0/8' }],
    },
  }, ec2StateChange(), Source.rulerComplex),
  notMatching('README complex example with one numeric field out of range', {
    time: [{ prefix: '2017-10-02' }],
    detail: { 'c-count': [{ numeric: ['>', 0, '<=', 5] }], 'd-count': [{ numeric: ['<', 3] }] },
  }, ec2StateChange(), Source.rulerComplex),
  matching('exact values and operators mixed in one list', { detail: { state: ['stopped', { prefix: 'run' }] } }, ec2StateChange(), Source.ebOperators),
  matching('"exactly" operator compares the string as is', { detail: { state: [{ exactly: 'running' }] } }, ec2StateChange(), Source.rulerCompiler),
  notMatching('"exactly" operator does not match another string', { detail: { state: [{ exactly: 'Running' }] } }, ec2StateChange(), Source.rulerCompiler),
];

export const typeCases: readonly MatchCase[] = [
  notMatching('string "300" does not match number 300', { detail: { count: ['300'] } }, withDetail({ count: 300 }), Source.rulerJsonText),
  notMatching('number 300 does not match string "300"', { detail: { count: [300] } }, withDetail({ count: '300' }), Source.rulerJsonText),
  matching('number 300 matches number 300', { detail: { count: [300] } }, withDetail({ count: 300 }), Source.rulerJsonText),
  matching('numbers compare by value: 3.0e2 in the pattern matches 300', '{"detail":{"count":[3.0e2]}}', withDetail({ count: 300 }), Source.rulerNumeric),
  matching('numbers compare by value: 300 matches 300.0 in the event', { detail: { count: [300] } }, JSON.parse('{"detail":{"count":300.0}}') as object, Source.rulerNumeric),
  matching('negative and fractional exact numbers', { detail: { delta: [-0.25] } }, withDetail({ delta: -0.25 }), Source.rulerNumeric),
  matching('boolean true matches true', { detail: { paid: [true] } }, withDetail({ paid: true }), Source.rulerJsonText),
  notMatching('boolean true does not match string "true"', { detail: { paid: [true] } }, withDetail({ paid: 'true' }), Source.rulerJsonText),
  notMatching('string "true" does not match boolean true', { detail: { paid: ['true'] } }, withDetail({ paid: true }), Source.rulerJsonText),
  notMatching('boolean false does not match true', { detail: { paid: [false] } }, withDetail({ paid: true }), Source.rulerJsonText),
  notMatching('boolean false does not match number 0', { detail: { paid: [false] } }, withDetail({ paid: 0 }), Source.rulerJsonText),
  notMatching('number 1 does not match boolean true', { detail: { paid: [1] } }, withDetail({ paid: true }), Source.rulerJsonText),
];

export const nullAndEmptyCases: readonly MatchCase[] = [
  matching('null matches a null value', { detail: { responseElements: [null] } }, withDetail({ eventVersion: '', responseElements: null }), Source.ebNullValues),
  matching('empty string matches an empty string', { detail: { eventVersion: [''] } }, withDetail({ eventVersion: '', responseElements: null }), Source.ebNullValues),
  notMatching('empty string does not match null', { detail: { responseElements: [''] } }, withDetail({ responseElements: null }), Source.ebNullValues),
  notMatching('null does not match an empty string', { detail: { eventVersion: [null] } }, withDetail({ eventVersion: '' }), Source.ebNullValues),
  notMatching('null does not match a missing field', { detail: { responseElements: [null] } }, withDetail({}), Source.ebNullValues),
  notMatching('null does not match the string "null"', { detail: { responseElements: [null] } }, withDetail({ responseElements: 'null' }), Source.ebNullValues),
  notMatching('empty string does not match a missing field', { detail: { eventVersion: [''] } }, withDetail({}), Source.ebNullValues),
  matching('null or a value', { detail: { region: [null, 'eu-west-1'] } }, withDetail({ region: 'eu-west-1' }), Source.ebNullValues),
  notMatching('null does not match an empty array', { detail: { resources: [null] } }, withDetail({ resources: [] }), Source.rulerArrays),
];

export const valueArrayCases: readonly MatchCase[] = [
  matching('event array matches if any element equals a pattern value', { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'] }, ec2StateChange(), Source.rulerSimple),
  matching('event array and pattern array intersect', { detail: { tags: ['blue', 'green'] } }, withDetail({ tags: ['red', 'green'] }), Source.ebArrays),
  notMatching('event array and pattern array do not intersect', { detail: { tags: ['blue', 'green'] } }, withDetail({ tags: ['red', 'yellow'] }), Source.ebArrays),
  notMatching('empty event array matches no value', { detail: { tags: ['blue'] } }, withDetail({ tags: [] }), Source.ebArrays),
  matching('nested arrays of scalars are flattened', { detail: { matrix: [5] } }, withDetail({ matrix: [[1, 2], [3, [4, 5]]] }), Source.rulerArrays),
  matching('array of mixed types: the number element matches', { detail: { codes: [42] } }, withDetail({ codes: ['42', 42, null] }), Source.rulerJsonText),
  notMatching('array of mixed types: no element has the pattern type', { detail: { codes: [42] } }, withDetail({ codes: ['42', null, true] }), Source.rulerJsonText),
  matching('null inside an event array matches null', { detail: { codes: [null] } }, withDetail({ codes: ['a', null] }), Source.ebNullValues),
  matching('operator applied to each element of an event array', { detail: { files: [{ suffix: '.png' }] } }, withDetail({ files: ['a.txt', 'b.png'] }), Source.ebArrays),
  matching('field inside an array of objects', { detail: { employees: { firstName: ['Anna'] } } }, withDetail({ employees: [{ firstName: 'John' }, { firstName: 'Anna' }] }), Source.rulerArrays),
  matching('field inside nested arrays of objects', { employees: { firstName: ['Peter'] } }, {
    employees: [[{ firstName: 'John', lastName: 'Doe' }, { firstName: 'Anna', lastName: 'Smith' }], [{ firstName: 'Peter', lastName: 'Jones' }]],
  }, Source.rulerArrays),
];
