import { describe, expect, it } from 'vitest';
import { evaluate } from '#cloud/iam/evaluation';
import { compilePolicy, type CompiledStatement, type RequestPrincipal } from '#cloud/iam/policy';
import { PolicyDocumentError } from '#cloud/iam/errors';
import { ACCOUNT, EVALUATION_CASES, INVALID_POLICY_CASES, ROLE_ARN, SESSION_ARN, type EvaluationCase, type ExpectedDecision } from './evaluation-cases.ts';

const ROLE_SESSION: RequestPrincipal = { kind: 'role-session', roleArn: ROLE_ARN, sessionArn: SESSION_ARN, accountId: ACCOUNT };

function decide(testCase: EvaluationCase): ExpectedDecision {
  const statements: CompiledStatement[] = [
    ...compilePolicy({ name: 'identity', type: 'identity-based', document: { Statement: [...(testCase.identity ?? [])] } }),
    ...compilePolicy({ name: 'resource', type: 'resource-based', document: { Statement: [...(testCase.resource ?? [])] } }),
  ];
  const principal: RequestPrincipal = testCase.principal ? { kind: 'service', service: testCase.principal.service } : ROLE_SESSION;
  const context = { 'aws:securetransport': 'true', ...testCase.context };
  const decision = evaluate(statements, { principal, request: { action: testCase.action, resource: testCase.resourceArn }, context: (key) => context[key as keyof typeof context] });
  return decision.allowed ? 'allow' : decision.explicit ? 'explicit deny' : 'implicit deny';
}

describe('IAM policy evaluation', () => {
  it.each(EVALUATION_CASES.map((testCase) => [testCase.name, testCase] as const))('%s', (_name, testCase) => {
    // Act
    const decision = decide(testCase);
    // Assess
    expect(decision, `expected by ${testCase.source}`).toBe(testCase.expected);
  });

  it.each(INVALID_POLICY_CASES.map((testCase) => [testCase.name, testCase] as const))('refuses to compile %s', (_name, testCase) => {
    // Act
    const compile = () => compilePolicy(testCase.policy);
    // Assess
    expect(compile, `expected by ${testCase.source}`).toThrow(PolicyDocumentError);
    expect(compile).toThrow(testCase.message);
  });

  it("names the keys of the conditions that kept an otherwise matching Allow from applying", () => {
    // Prepare
    const statements = compilePolicy({ name: 'p', type: 'identity-based', document: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: '*', Condition: { StringEquals: { 'events:source': 'shop.orders', 'events:detail-type': 'OrderPlaced' } } }] } });
    const context: Record<string, string> = { 'events:source': 'shop.orders', 'events:detail-type': 'OrderShipped' };
    // Act
    const decision = evaluate(statements, { principal: ROLE_SESSION, request: { action: 'events:PutEvents', resource: '*' }, context: (key) => context[key] });
    // Assess
    expect(decision).toMatchObject({ allowed: false, explicit: false, conditionKeys: ['events:detail-type'] });
  });
});
