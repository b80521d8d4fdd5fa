import { describe, expect, it } from 'vitest';
import { AccessControl } from '#cloud/iam/access-control';
import type { AccessRefusal } from '#cloud/iam/access-denied';
import type { PermissionModel } from '#cloud/iam/permission-model';
import { compilePolicy, PolicyType } from '#cloud/iam/policy';
import { accessKeyIdOf } from '#cloud/iam/request-credentials';

const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/PublisherRole`;
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/OrderBus`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;

/** A role that may publish shop.orders events, read and write the orders, and never delete them. */
function aModel(): PermissionModel {
  return {
    scope: { region: 'us-east-1', accountId: ACCOUNT },
    roles: [
      {
        arn: ROLE,
        name: 'PublisherRole',
        policies: [
          {
            name: 'Default',
            type: 'identity-based',
            document: {
              Statement: [
                { Sid: 'Publish', Effect: 'Allow', Action: 'events:PutEvents', Resource: BUS, Condition: { StringEquals: { 'events:source': 'shop.orders' } } },
                { Sid: 'Orders', Effect: 'Allow', Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Resource: TABLE },
                { Sid: 'NoDelete', Effect: 'Deny', Action: 'dynamodb:DeleteItem', Resource: '*' },
              ],
            },
          },
        ],
      },
    ],
    resourcePolicies: [],
    sessions: [{ functionName: 'publisher', roleArn: ROLE, credentials: { accessKeyId: 'ASIAPUBLISHER0000000', secretAccessKey: 's', sessionToken: 't' } }],
  };
}

describe('access control: deciding, reporting and recording calls', () => {
  it("maps a function's access key to its role session, and any other key to nobody (the administrator)", () => {
    // Prepare
    const access = new AccessControl(aModel());
    // Act
    const session = access.sessionOfKey('ASIAPUBLISHER0000000');
    // Assess
    expect(session).toMatchObject({ roleArn: ROLE, functionName: 'publisher', sessionArn: `arn:aws:sts::${ACCOUNT}:assumed-role/PublisherRole/publisher` });
    expect(access.sessionOfKey('AKIAEXAMPLE')).toBeUndefined();
    expect(access.sessionOfKey(undefined)).toBeUndefined();
  });

  it('reports every refusal, the explicit deny naming its statement', () => {
    // Prepare
    const refusals: AccessRefusal[] = [];
    const access = new AccessControl(aModel(), { onRefusal: (refusal) => refusals.push(refusal) });
    const session = access.sessionOfFunction('publisher');
    if (session === undefined) throw new Error('no session');
    // Act
    access.authorize(session, { action: 'dynamodb:DeleteItem', resource: TABLE });
    access.authorize(session, { action: 'dynamodb:DeleteItem', resource: TABLE });
    // Assess
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ explicit: true, missingGrant: 'the Deny statement NoDelete of Default refuses it', message: expect.stringMatching(/with an explicit deny in an identity-based policy$/) });
  });

  it('records allowed calls once each, not a check made ahead of one, and lists the grants no call used', () => {
    // Prepare
    const access = new AccessControl(aModel());
    const session = access.sessionOfFunction('publisher');
    if (session === undefined) throw new Error('no session');
    // Act
    access.authorize(session, { action: 'dynamodb:GetItem', resource: TABLE });
    access.authorize(session, { action: 'dynamodb:GetItem', resource: TABLE });
    access.authorize(session, { action: 'dynamodb:PutItem', resource: TABLE }, { record: false });
    // Another source than the condition's: refused, so it uses no grant.
    access.authorize(session, { action: 'events:PutEvents', resource: BUS }, { context: { 'events:source': 'shop.payments' } });
    const unused = access.unusedGrants(access.exercised());
    // Assess
    expect(access.exercised()).toEqual([{ roleArn: ROLE, action: 'dynamodb:GetItem', resource: TABLE }]);
    expect(unused.map((grant) => `${grant.statement} ${grant.action}`)).toEqual(['Publish events:PutEvents', 'Orders dynamodb:PutItem']);
    expect(access.grants()).toHaveLength(3);
  });

  it("counts a conditioned grant used by a call that meets its condition", () => {
    // Prepare
    const access = new AccessControl(aModel());
    const session = access.sessionOfFunction('publisher');
    if (session === undefined) throw new Error('no session');
    // Act
    const allowed = access.authorize(session, { action: 'events:PutEvents', resource: BUS }, { context: { 'events:source': 'shop.orders' } });
    // Assess
    expect(allowed.allowed).toBe(true);
    expect(access.unusedGrants(access.exercised()).map((grant) => grant.statement)).not.toContain('Publish');
  });
});

describe("access control: a resource's live policy (a queue's Policy attribute)", () => {
  const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:orders`;
  const compiled = (effect: 'Allow' | 'Deny') =>
    compilePolicy({ name: 'Policy of queue orders', type: PolicyType.resource, document: { Statement: [{ Sid: effect, Effect: effect, Principal: { AWS: ROLE }, Action: 'sqs:SendMessage', Resource: QUEUE }] } });

  it('decides by the policy the resource answers now, and records a call once across its changes', () => {
    // Prepare: the role has no identity grant on the queue; the queue's policy changes between calls.
    let live: ReturnType<typeof compiled> | undefined;
    const access = new AccessControl(aModel(), { livePolicyOf: (arn) => (arn === QUEUE ? live : undefined) });
    const session = access.sessionOfFunction('publisher');
    if (session === undefined) throw new Error('no session');
    const send = () => access.authorize(session, { action: 'sqs:SendMessage', resource: QUEUE });
    // Act
    const without = send();
    live = compiled('Allow');
    const allowed = [send(), send()];
    live = compiled('Allow');
    const allowedByANewCompilation = send();
    live = compiled('Deny');
    const denied = send();
    // Assess
    expect(without).toMatchObject({ allowed: false, refusal: { explicit: false } });
    expect([...allowed, allowedByANewCompilation].map((authorization) => authorization.allowed)).toEqual([true, true, true]);
    expect(denied).toMatchObject({ allowed: false, refusal: { explicit: true, missingGrant: 'the Deny statement Deny of Policy of queue orders refuses it' } });
    expect(access.exercised()).toEqual([{ roleArn: ROLE, action: 'sqs:SendMessage', resource: QUEUE }]);
  });
});

describe('request credentials: the access key of a SigV4 request', () => {
  it.each([
    ['an Authorization header', 'AWS4-HMAC-SHA256 Credential=ASIAKEY/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=abc', '/', 'ASIAKEY'],
    ['a presigned URL', undefined, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=ASIAKEY%2F20260101%2Fus-east-1%2Fsqs%2Faws4_request', 'ASIAKEY'],
    ['no signature', undefined, '/', undefined],
  ])('reads it from %s', (_case, authorization, url, expected) => {
    // Act
    const key = accessKeyIdOf(authorization, url);
    // Assess
    expect(key).toBe(expected);
  });
});
