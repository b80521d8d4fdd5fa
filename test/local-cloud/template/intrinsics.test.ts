import { describe, expect, it } from 'vitest';
import { resolve, UnresolvableError, type ResolutionContext, type ResolvedResource } from '#cloud/template/intrinsics';

const context: ResolutionContext = {
  resources: new Map<string, ResolvedResource>([
    ['Queue', { ref: 'http://127.0.0.1:4566/000000000000/Stack-Queue', attributes: { Arn: 'arn:aws:sqs:us-east-1:000000000000:Stack-Queue', QueueName: 'Stack-Queue' } }],
    ['Table', { ref: 'Stack-Table', attributes: { Arn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Stack-Table' } }],
  ]),
  pseudo: { 'AWS::Region': 'us-east-1', 'AWS::AccountId': '000000000000', 'AWS::Partition': 'aws' },
  conditions: new Map([['IsLocal', true]]),
};

describe('CloudFormation intrinsic functions', () => {
  it.each([
    ['Ref to a resource', { Ref: 'Table' }, 'Stack-Table'],
    ['Ref to a pseudo parameter', { Ref: 'AWS::Region' }, 'us-east-1'],
    ['Fn::GetAtt as a list', { 'Fn::GetAtt': ['Queue', 'Arn'] }, 'arn:aws:sqs:us-east-1:000000000000:Stack-Queue'],
    ['Fn::GetAtt as a dotted string', { 'Fn::GetAtt': 'Queue.QueueName' }, 'Stack-Queue'],
    ['Fn::Join', { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':x']] }, 'arn:aws:x'],
    ['Fn::Sub with a resource, an attribute and a pseudo parameter', { 'Fn::Sub': '${Table}/${Queue.Arn}@${AWS::Region}' }, 'Stack-Table/arn:aws:sqs:us-east-1:000000000000:Stack-Queue@us-east-1'],
    ['Fn::Sub with its own variables and a literal', { 'Fn::Sub': ['${Name}-${!Literal}', { Name: { Ref: 'Table' } }] }, 'Stack-Table-${Literal}'],
    ['Fn::Select of Fn::Split', { 'Fn::Select': [1, { 'Fn::Split': ['/', 'a/b/c'] }] }, 'b'],
    ['Fn::If on a known condition', { 'Fn::If': ['IsLocal', 'yes', 'no'] }, 'yes'],
  ])('resolves %s', (_name, value, expected) => {
    expect(resolve(value, context)).toEqual(expected);
  });

  it('resolves nested structures and drops AWS::NoValue', () => {
    // Act
    const resolved = resolve({ Variables: { TABLE: { Ref: 'Table' }, GONE: { Ref: 'AWS::NoValue' } }, List: [{ Ref: 'AWS::NoValue' }, 1] }, context);
    // Assess
    expect(resolved).toEqual({ Variables: { TABLE: 'Stack-Table' }, List: [1] });
  });

  it.each([
    ['a Ref to nothing', { Ref: 'Missing' }, /Ref Missing/],
    ['an attribute with no local value', { 'Fn::GetAtt': ['Table', 'StreamLabel'] }, /Table.StreamLabel/],
    ['Fn::ImportValue', { 'Fn::ImportValue': 'Shared' }, /no exports/],
    ['an out-of-range Fn::Select', { 'Fn::Select': [5, ['a']] }, /out of range/],
  ])('refuses %s with a clear error', (_name, value, message) => {
    expect(() => resolve(value, context)).toThrow(UnresolvableError);
    expect(() => resolve(value, context)).toThrow(message);
  });
});
