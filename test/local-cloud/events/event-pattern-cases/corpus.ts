/**
 * Shapes, builders and sources for the event-pattern corpus. Every case cites where its
 * expected outcome comes from: the EventBridge documentation or aws/event-ruler (its README,
 * or the compiler source for the exact rejection reasons).
 */

const RULER = 'https://github.com/aws/event-ruler';
const RULER_SOURCE = `${RULER}/blob/main/src/main/software/amazon/event/ruler`;
const EVENTBRIDGE_GUIDE = 'https://docs.aws.amazon.com/eventbridge/latest/userguide';

/** Where a behaviour is documented. */
export const Source = {
  ebPatterns: `${EVENTBRIDGE_GUIDE}/eb-event-patterns.html`,
  ebOperators: `${EVENTBRIDGE_GUIDE}/eb-create-pattern-operators.html`,
  ebNullValues: `${EVENTBRIDGE_GUIDE}/eb-event-patterns-null-values.html`,
  ebArrays: `${EVENTBRIDGE_GUIDE}/eb-event-patterns-arrays.html`,
  rulerSimple: `${RULER}#simple-matching`,
  rulerPrefix: `${RULER}#prefix-matching`,
  rulerPrefixIgnoreCase: `${RULER}#prefix-equals-ignore-case-matching`,
  rulerSuffix: `${RULER}#suffix-matching`,
  rulerSuffixIgnoreCase: `${RULER}#suffix-equals-ignore-case-matching`,
  rulerEqualsIgnoreCase: `${RULER}#equals-ignore-case-matching`,
  rulerWildcard: `${RULER}#wildcard-matching`,
  rulerAnythingBut: `${RULER}#anything-but-matching`,
  rulerNumeric: `${RULER}#numeric-matching`,
  rulerIpAddress: `${RULER}#ip-address-matching`,
  rulerExists: `${RULER}#exists-matching`,
  rulerComplex: `${RULER}#complex-example`,
  rulerAnd: `${RULER}#default-and-relationship`,
  rulerOr: `${RULER}#the-or-primitive`,
  rulerOrCompatibility: `${RULER}#the-backward-compatibility-of-using-or-as-field-name-in-the-rule`,
  rulerArrays: `${RULER}#json-array-matching`,
  rulerJsonText: `${RULER}#json-text-matching`,
  rulerDottedKeys: `${RULER}#caveat-compiled-rules-and-json-keys-with-dots`,
  rulerCompiler: `${RULER_SOURCE}/JsonRuleCompiler.java`,
  rulerByteMachine: `${RULER_SOURCE}/ByteMachine.java`,
  rulerNameState: `${RULER_SOURCE}/NameState.java`,
  rulerCidr: `${RULER_SOURCE}/CIDR.java`,
  rulerRange: `${RULER_SOURCE}/Range.java`,
  rulerWildcardParser: `${RULER_SOURCE}/input/WildcardParser.java`,
  rulerIgnoreCaseParser: `${RULER_SOURCE}/input/EqualsIgnoreCaseParser.java`,
} as const;

/** A pattern, an event, and whether EventBridge delivers the event to a rule with that pattern. */
export interface MatchCase {
  readonly name: string;
  readonly pattern: string | object;
  readonly event: object;
  readonly expected: boolean;
  readonly source: string;
}

/** A pattern EventBridge rejects, with (part of) the reason it gives. */
export interface InvalidPatternCase {
  readonly name: string;
  readonly pattern: unknown;
  readonly reason: string;
  readonly source: string;
}

/** A case where the event is delivered. */
export function matching(name: string, pattern: string | object, event: object, source: string): MatchCase {
  return { name, pattern, event, expected: true, source };
}

/** A case where the event is not delivered. */
export function notMatching(name: string, pattern: string | object, event: object, source: string): MatchCase {
  return { name, pattern, event, expected: false, source };
}

/** A case where the pattern is rejected. */
export function invalid(name: string, pattern: unknown, reason: string, source: string): InvalidPatternCase {
  return { name, pattern, reason, source };
}

/** event-ruler README's sample EC2 event, with `detail` fields overridden or added. */
export function ec2StateChange(detail: Readonly<Record<string, unknown>> = {}): Record<string, unknown> {
  return {
    version: '0',
    id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
    'detail-type': 'EC2 Instance State-change Notification',
    source: 'aws.ec2',
    account: '012345679012',
    time: '2017-10-02T16:24:49Z',
    region: 'us-east-1',
    resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000'],
    detail: {
      'c-count': 5,
      'd-count': 3,
      'x-limit': 301.8,
      'source-ip': '10.0.0.33',
      'instance-id': 'i-000000aaaaaa00000',
      state: 'running',
      ...detail,
    },
  };
}

/** An event whose `detail` is exactly the given object. */
export function withDetail(detail: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return { source: 'com.example.orders', 'detail-type': 'OrderPlaced', detail };
}
