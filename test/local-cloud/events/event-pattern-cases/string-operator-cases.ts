/** prefix, suffix, equals-ignore-case (alone and inside prefix/suffix) and wildcard. */
import { ec2StateChange, matching, notMatching, Source, withDetail, type MatchCase } from './corpus.ts';

export const prefixSuffixCases: readonly MatchCase[] = [
  matching('prefix on the event time', { time: [{ prefix: '2017-10-02' }] }, ec2StateChange(), Source.rulerPrefix),
  notMatching('prefix that the value does not start with', { time: [{ prefix: '2017-10-03' }] }, ec2StateChange(), Source.rulerPrefix),
  notMatching('prefix is case sensitive', { source: [{ prefix: 'AWS.' }] }, ec2StateChange(), Source.rulerPrefix),
  matching('prefix equal to the whole value', { source: [{ prefix: 'aws.ec2' }] }, ec2StateChange(), Source.rulerPrefix),
  notMatching('prefix longer than the value', { source: [{ prefix: 'aws.ec2.x' }] }, ec2StateChange(), Source.rulerPrefix),
  matching('empty prefix matches any string, even empty', { detail: { note: [{ prefix: '' }] } }, withDetail({ note: '' }), Source.rulerPrefix),
  notMatching('prefix only works on strings: number 1234', { detail: { code: [{ prefix: '12' }] } }, withDetail({ code: 1234 }), Source.rulerPrefix),
  notMatching('empty prefix does not match null', { detail: { note: [{ prefix: '' }] } }, withDetail({ note: null }), Source.rulerPrefix),
  matching('prefix against an event array', { detail: { regions: [{ prefix: 'us-' }] } }, withDetail({ regions: ['eu-west-1', 'us-east-1'] }), Source.ebOperators),
  matching('suffix on a file name', { detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'image.png' }), Source.rulerSuffix),
  notMatching('suffix that the value does not end with', { detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'image.jpg' }), Source.rulerSuffix),
  notMatching('suffix is case sensitive', { detail: { FileName: [{ suffix: '.png' }] } }, withDetail({ FileName: 'image.PNG' }), Source.rulerSuffix),
  notMatching('suffix only works on strings: number 1234', { detail: { code: [{ suffix: '34' }] } }, withDetail({ code: 1234 }), Source.rulerSuffix),
  matching('README suffix example on source', { source: [{ suffix: 'ec2' }] }, ec2StateChange(), Source.rulerSuffix),
  matching('prefix equals-ignore-case: "EC2" vs "ec2-…"', { detail: { host: [{ prefix: { 'equals-ignore-case': 'EC2' } }] } }, withDetail({ host: 'ec2-10-0-0-1' }), Source.rulerPrefixIgnoreCase),
  matching('prefix equals-ignore-case with mixed case in the event', { detail: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] } }, withDetail({ service: 'EventBridge' }), Source.ebOperators),
  notMatching('prefix equals-ignore-case that is not a prefix', { detail: { service: [{ prefix: { 'equals-ignore-case': 'bridge' } }] } }, withDetail({ service: 'EventBridge' }), Source.rulerPrefixIgnoreCase),
  notMatching('prefix equals-ignore-case does not match a number', { detail: { code: [{ prefix: { 'equals-ignore-case': '1' } }] } }, withDetail({ code: 12 }), Source.rulerPrefixIgnoreCase),
  matching('suffix equals-ignore-case: ".PNG" vs ".png"', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'IMAGE.PNG' }), Source.rulerSuffixIgnoreCase),
  notMatching('suffix equals-ignore-case that is not a suffix', { detail: { FileName: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, withDetail({ FileName: 'image.png.bak' }), Source.rulerSuffixIgnoreCase),
];

export const equalsIgnoreCaseCases: readonly MatchCase[] = [
  matching('equals-ignore-case: "EC2" vs "ec2"', { detail: { kind: [{ 'equals-ignore-case': 'EC2' }] } }, withDetail({ kind: 'ec2' }), Source.rulerEqualsIgnoreCase),
  matching('equals-ignore-case with mixed case on both sides', { detail: { state: [{ 'equals-ignore-case': 'iNiTiAlIzInG' }] } }, withDetail({ state: 'Initializing' }), Source.ebOperators),
  notMatching('equals-ignore-case is still a whole-value comparison', { detail: { kind: [{ 'equals-ignore-case': 'EC2' }] } }, withDetail({ kind: 'ec2-instance' }), Source.rulerEqualsIgnoreCase),
  notMatching('equals-ignore-case does not match a boolean', { detail: { flag: [{ 'equals-ignore-case': 'TRUE' }] } }, withDetail({ flag: true }), Source.rulerEqualsIgnoreCase),
  matching('equals-ignore-case with non-ASCII letters', { detail: { city: [{ 'equals-ignore-case': 'ZÜRICH' }] } }, withDetail({ city: 'zürich' }), Source.rulerIgnoreCaseParser),
  matching('equals-ignore-case: "ß" upper-cases to "SS"', { detail: { street: [{ 'equals-ignore-case': 'ß' }] } }, withDetail({ street: 'SS' }), Source.rulerIgnoreCaseParser),
  notMatching('equals-ignore-case: the Kelvin sign is not a "k"', { detail: { unit: [{ 'equals-ignore-case': 'k' }] } }, withDetail({ unit: '\u212A' }), Source.rulerIgnoreCaseParser),
  matching('equals-ignore-case on the empty string', { detail: { note: [{ 'equals-ignore-case': '' }] } }, withDetail({ note: '' }), Source.rulerEqualsIgnoreCase),
  notMatching('equals-ignore-case treats regex characters literally', { detail: { kind: [{ 'equals-ignore-case': 'a.c' }] } }, withDetail({ kind: 'abc' }), Source.rulerEqualsIgnoreCase),
];

export const wildcardCases: readonly MatchCase[] = [
  matching('wildcard in the middle', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueueService' }, Source.rulerWildcard),
  matching('wildcard can stand for nothing', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleService' }, Source.rulerWildcard),
  notMatching('wildcard pattern must cover the whole value', { source: [{ wildcard: 'Simple*Service' }] }, { source: 'SimpleQueueServices' }, Source.rulerWildcard),
  matching('several wildcards', { detail: { path: [{ wildcard: '*/lib/*.jar' }] } }, withDetail({ path: '/usr/lib/app.jar' }), Source.rulerWildcard),
  notMatching('several wildcards, last literal missing', { detail: { path: [{ wildcard: '*/lib/*.jar' }] } }, withDetail({ path: '/usr/lib/app.war' }), Source.rulerWildcard),
  matching('lone wildcard matches the empty string', { detail: { note: [{ wildcard: '*' }] } }, withDetail({ note: '' }), Source.rulerWildcard),
  notMatching('wildcard only works on strings', { detail: { count: [{ wildcard: '*' }] } }, withDetail({ count: 5 }), Source.rulerWildcard),
  matching('escaped asterisk matches a literal asterisk', { detail: { expr: [{ wildcard: 'a\\*b' }] } }, withDetail({ expr: 'a*b' }), Source.rulerWildcard),
  notMatching('escaped asterisk is not a wildcard', { detail: { expr: [{ wildcard: 'a\\*b' }] } }, withDetail({ expr: 'axb' }), Source.rulerWildcard),
  matching('escaped backslash matches a literal backslash', { detail: { path: [{ wildcard: 'C:\\\\*' }] } }, withDetail({ path: 'C:\\Windows' }), Source.rulerWildcard),
  notMatching('without a wildcard it is an exact comparison', { detail: { state: [{ wildcard: 'run' }] } }, withDetail({ state: 'running' }), Source.rulerWildcard),
  matching('wildcard segments must appear in order', { detail: { key: [{ wildcard: 'a*b*c' }] } }, withDetail({ key: 'axxbyyc' }), Source.rulerWildcard),
  notMatching('wildcard segments out of order', { detail: { key: [{ wildcard: 'a*b*c' }] } }, withDetail({ key: 'acb' }), Source.rulerWildcard),
  notMatching('wildcard prefix and suffix may not overlap', { detail: { key: [{ wildcard: 'ab*ba' }] } }, withDetail({ key: 'aba' }), Source.rulerWildcard),
  matching('wildcard with a repeated segment', { detail: { key: [{ wildcard: '*ab*ab' }] } }, withDetail({ key: 'xabab' }), Source.rulerWildcard),
];
