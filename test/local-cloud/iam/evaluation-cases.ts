/**
 * Data-driven cases of IAM policy evaluation: each names the AWS documentation it follows, the
 * policies in force, the request and the expected decision.
 */
import type { NamedPolicy, PolicyStatement } from '#cloud/iam/policy';

const ACTION_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html';
const NOTACTION_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html';
const RESOURCE_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html';
const NOTRESOURCE_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notresource.html';
const LOGIC_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html';
const DENY_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_AccessPolicyLanguage_Interplay.html';
const OPERATORS_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const MULTI_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html';
const CONDITION_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html';
const PRINCIPAL_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html';
const NOTPRINCIPAL_DOC = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html';
const EVENTS_DOC = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-conditions.html';
const SQS_EVENTS_DOC = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sqs-permissions';
const LOGS_DOC = 'https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html';

export const ACCOUNT = '111122223333';
export const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/PlaceOrderRole`;
export const SESSION_ARN = `arn:aws:sts::${ACCOUNT}:assumed-role/PlaceOrderRole/place-order`;
const TABLE = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Orders`;
const QUEUE = `arn:aws:sqs:us-east-1:${ACCOUNT}:ShipOrderQueue`;
const BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/OrderBus`;
const RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/OrderBus/ShipOrderRule`;
const STREAM = `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/place-order:log-stream:2026/01/01/[$LATEST]abc`;

/** The decision a case expects. */
export type ExpectedDecision = 'allow' | 'explicit deny' | 'implicit deny';

/** One evaluation case. */
export interface EvaluationCase {
  readonly name: string;
  /** The AWS documentation the expectation follows. */
  readonly source: string;
  readonly identity?: readonly PolicyStatement[];
  readonly resource?: readonly PolicyStatement[];
  /** Who asks. @default the role session */
  readonly principal?: { readonly service: string };
  readonly action: string;
  readonly resourceArn: string;
  /** Context keys beyond the role session's own (`aws:SecureTransport` true...). */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
  readonly expected: ExpectedDecision;
}

const allow = (Action: string | string[], Resource: string | string[], Condition?: Record<string, unknown>): PolicyStatement => ({ Effect: 'Allow', Action, Resource, ...(Condition ? { Condition } : {}) });
const deny = (Action: string | string[], Resource: string | string[], Condition?: Record<string, unknown>): PolicyStatement => ({ Effect: 'Deny', Action, Resource, ...(Condition ? { Condition } : {}) });

export const EVALUATION_CASES: readonly EvaluationCase[] = [
  // Action
  { name: 'an action named exactly is allowed', source: ACTION_DOC, identity: [allow('dynamodb:PutItem', TABLE)], action: 'dynamodb:PutItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'actions match without regard to case', source: ACTION_DOC, identity: [allow('DynamoDB:putitem', TABLE)], action: 'dynamodb:PutItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'a * in an action matches any run of characters', source: ACTION_DOC, identity: [allow('dynamodb:*Item', TABLE)], action: 'dynamodb:UpdateItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'a prefix wildcard does not match another action', source: ACTION_DOC, identity: [allow('dynamodb:Get*', TABLE)], action: 'dynamodb:PutItem', resourceArn: TABLE, expected: 'implicit deny' },
  { name: 'a ? matches exactly one character', source: ACTION_DOC, identity: [allow('sqs:?etQueueUrl', QUEUE)], action: 'sqs:GetQueueUrl', resourceArn: QUEUE, expected: 'allow' },
  { name: 'a read-only grant does not allow a write (the place-order bug)', source: LOGIC_DOC, identity: [allow(['dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'], TABLE)], action: 'dynamodb:PutItem', resourceArn: TABLE, expected: 'implicit deny' },
  { name: 'another service prefix does not match', source: ACTION_DOC, identity: [allow('sqs:*', '*')], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'implicit deny' },
  { name: 'no policy at all denies implicitly', source: LOGIC_DOC, identity: [], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'implicit deny' },
  { name: 'NotAction allows every action but the listed ones', source: NOTACTION_DOC, identity: [{ Effect: 'Allow', NotAction: 'sqs:*', Resource: '*' }], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'NotAction does not allow the listed actions', source: NOTACTION_DOC, identity: [{ Effect: 'Allow', NotAction: 'sqs:*', Resource: '*' }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'implicit deny' },
  // Resource
  { name: 'another table is not covered', source: RESOURCE_DOC, identity: [allow('dynamodb:GetItem', TABLE)], action: 'dynamodb:GetItem', resourceArn: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Ledger`, expected: 'implicit deny' },
  { name: 'resource ARNs match with regard to case', source: RESOURCE_DOC, identity: [allow('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/orders`)], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'implicit deny' },
  { name: 'a wildcard in the resource part matches a name prefix', source: RESOURCE_DOC, identity: [allow('dynamodb:GetItem', `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Ord*`)], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'a table ARN does not cover its indexes', source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-specific-table-indexes.html', identity: [allow('dynamodb:Query', TABLE)], action: 'dynamodb:Query', resourceArn: `${TABLE}/index/byCustomer`, expected: 'implicit deny' },
  { name: 'index/* covers a table index', source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/iam-policy-specific-table-indexes.html', identity: [allow('dynamodb:Query', `${TABLE}/index/*`)], action: 'dynamodb:Query', resourceArn: `${TABLE}/index/byCustomer`, expected: 'allow' },
  { name: 'the last ARN part keeps its colons: arn:aws:logs:*:*:* covers a log stream', source: RESOURCE_DOC, identity: [allow('logs:PutLogEvents', 'arn:aws:logs:*:*:*')], action: 'logs:PutLogEvents', resourceArn: STREAM, expected: 'allow' },
  { name: "a log group's ARN with its trailing :* covers its streams", source: LOGS_DOC, identity: [allow(['logs:CreateLogStream', 'logs:PutLogEvents'], `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/place-order:*`)], action: 'logs:CreateLogStream', resourceArn: STREAM, expected: 'allow' },
  { name: "a log group's ARN without :* does not cover its streams", source: LOGS_DOC, identity: [allow('logs:PutLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/place-order`)], action: 'logs:PutLogEvents', resourceArn: STREAM, expected: 'implicit deny' },
  { name: 'a wildcard matches within each ARN part', source: RESOURCE_DOC, identity: [allow('sqs:SendMessage', `arn:aws:sqs:*:${ACCOUNT}:Ship*`)], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'allow' },
  { name: 'an action that names no resource needs Resource *', source: RESOURCE_DOC, identity: [allow('sqs:ListQueues', `arn:aws:sqs:us-east-1:${ACCOUNT}:*`)], action: 'sqs:ListQueues', resourceArn: '*', expected: 'implicit deny' },
  { name: 'Resource * covers an action that names no resource', source: RESOURCE_DOC, identity: [allow('sqs:ListQueues', '*')], action: 'sqs:ListQueues', resourceArn: '*', expected: 'allow' },
  { name: 'NotResource allows every resource but the listed ones', source: NOTRESOURCE_DOC, identity: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/Ledger` }], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'allow' },
  { name: 'NotResource does not allow a listed resource', source: NOTRESOURCE_DOC, identity: [{ Effect: 'Allow', Action: 'dynamodb:GetItem', NotResource: TABLE }], action: 'dynamodb:GetItem', resourceArn: TABLE, expected: 'implicit deny' },
  // Effect
  { name: 'an explicit deny wins over an allow in the same policy', source: DENY_DOC, identity: [allow('dynamodb:*', '*'), deny('dynamodb:DeleteItem', TABLE)], action: 'dynamodb:DeleteItem', resourceArn: TABLE, expected: 'explicit deny' },
  { name: "a deny of another action leaves the allow's other actions allowed", source: DENY_DOC, identity: [allow('dynamodb:*', '*'), deny('dynamodb:DeleteItem', TABLE)], action: 'dynamodb:PutItem', resourceArn: TABLE, expected: 'allow' },
  { name: "a resource policy's deny wins over an identity policy's allow", source: LOGIC_DOC, identity: [allow('sqs:SendMessage', QUEUE)], resource: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: QUEUE }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'explicit deny' },
  // Conditions
  { name: 'StringEquals on events:source allows the named source', source: EVENTS_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders' }, expected: 'allow' },
  { name: 'StringEquals on events:source refuses another source', source: EVENTS_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'implicit deny' },
  { name: 'a positive operator fails on an absent key', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, expected: 'implicit deny' },
  { name: 'string values compare with regard to case', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'Shop.Orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders' }, expected: 'implicit deny' },
  { name: 'StringEqualsIgnoreCase compares without regard to case', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEqualsIgnoreCase: { 'events:source': 'Shop.Orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders' }, expected: 'allow' },
  { name: 'condition keys match without regard to case', source: CONDITION_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'Events:Source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders' }, expected: 'allow' },
  { name: 'StringLike takes wildcards', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringLike: { 'events:source': 'shop.*' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'allow' },
  { name: 'StringEquals takes no wildcards', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.*' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'implicit deny' },
  { name: "the values of one key are ORed", source: MULTI_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': ['shop.orders', 'shop.payments'] } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'allow' },
  { name: 'keys under one operator are ANDed', source: MULTI_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.orders', 'events:detail-type': 'OrderPlaced' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders', 'events:detail-type': 'OrderCancelled' }, expected: 'implicit deny' },
  { name: 'operators are ANDed', source: MULTI_DOC, identity: [allow('events:PutEvents', BUS, { StringEquals: { 'events:source': 'shop.orders' }, StringLike: { 'events:detail-type': 'Order*' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.orders', 'events:detail-type': 'OrderPlaced' }, expected: 'allow' },
  { name: 'a negated operator holds on an absent key', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringNotEquals: { 'events:source': 'shop.payments' } })], action: 'events:PutEvents', resourceArn: BUS, expected: 'allow' },
  { name: "a negated operator's values are NORed", source: MULTI_DOC, identity: [allow('events:PutEvents', BUS, { StringNotEquals: { 'events:source': ['shop.orders', 'shop.payments'] } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'implicit deny' },
  { name: '...IfExists holds on an absent key', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEqualsIfExists: { 'events:source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, expected: 'allow' },
  { name: '...IfExists tests a present key', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { StringEqualsIfExists: { 'events:source': 'shop.orders' } })], action: 'events:PutEvents', resourceArn: BUS, context: { 'events:source': 'shop.payments' }, expected: 'implicit deny' },
  { name: 'Null true holds when the key is absent', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { Null: { 'events:source': 'true' } })], action: 'events:PutEvents', resourceArn: BUS, expected: 'allow' },
  { name: 'Null false fails when the key is absent', source: OPERATORS_DOC, identity: [allow('events:PutEvents', BUS, { Null: { 'events:source': 'false' } })], action: 'events:PutEvents', resourceArn: BUS, expected: 'implicit deny' },
  { name: 'ForAnyValue holds when one of several values matches', source: MULTI_DOC, identity: [allow('dynamodb:Query', TABLE, { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['status'] } })], action: 'dynamodb:Query', resourceArn: TABLE, context: { 'dynamodb:attributes': ['orderId', 'status'] }, expected: 'allow' },
  { name: 'ForAllValues fails when one value is not listed', source: MULTI_DOC, identity: [allow('dynamodb:Query', TABLE, { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['status'] } })], action: 'dynamodb:Query', resourceArn: TABLE, context: { 'dynamodb:attributes': ['orderId', 'status'] }, expected: 'implicit deny' },
  { name: 'ForAllValues holds on an absent key', source: MULTI_DOC, identity: [allow('dynamodb:Query', TABLE, { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['status'] } })], action: 'dynamodb:Query', resourceArn: TABLE, expected: 'allow' },
  { name: 'ForAnyValue fails on an absent key', source: MULTI_DOC, identity: [allow('dynamodb:Query', TABLE, { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['status'] } })], action: 'dynamodb:Query', resourceArn: TABLE, expected: 'implicit deny' },
  { name: "Bool aws:SecureTransport false (CDK's enforceSSL) denies nothing over TLS", source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#enforce-encryption-data-in-transit', identity: [allow('sqs:SendMessage', QUEUE)], resource: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: QUEUE, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:securetransport': 'true' }, expected: 'allow' },
  { name: "Bool aws:SecureTransport false denies a request without TLS", source: 'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-security-best-practices.html#enforce-encryption-data-in-transit', identity: [allow('sqs:SendMessage', QUEUE)], resource: [{ Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sqs:*', Resource: QUEUE, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:securetransport': 'false' }, expected: 'explicit deny' },
  { name: 'Bool takes a JSON boolean as well as a string', source: OPERATORS_DOC, identity: [deny('sqs:*', QUEUE, { Bool: { 'aws:SecureTransport': false } }), allow('sqs:*', QUEUE)], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:securetransport': 'false' }, expected: 'explicit deny' },
  { name: 'NumericLessThan compares numbers', source: OPERATORS_DOC, identity: [allow('dynamodb:Query', TABLE, { NumericLessThan: { 'dynamodb:limit': '10' } })], action: 'dynamodb:Query', resourceArn: TABLE, context: { 'dynamodb:limit': '9' }, expected: 'allow' },
  // Resource-based policies and principals
  { name: "a queue policy lets EventBridge deliver for the named rule (aws:SourceArn)", source: SQS_EVENTS_DOC, principal: { service: 'events.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], Resource: QUEUE, Condition: { ArnEquals: { 'aws:SourceArn': RULE } } }], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:sourcearn': RULE }, expected: 'allow' },
  { name: 'a queue policy for one rule does not admit another rule', source: SQS_EVENTS_DOC, principal: { service: 'events.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { ArnEquals: { 'aws:SourceArn': RULE } } }], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:sourcearn': `${RULE}-other` }, expected: 'implicit deny' },
  { name: 'ArnLike matches an ARN pattern part by part', source: OPERATORS_DOC, principal: { service: 'events.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:events:*:${ACCOUNT}:rule/OrderBus/*` } } }], action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:sourcearn': RULE }, expected: 'allow' },
  { name: 'without a queue policy EventBridge may not deliver', source: SQS_EVENTS_DOC, principal: { service: 'events.amazonaws.com' }, action: 'sqs:SendMessage', resourceArn: QUEUE, context: { 'aws:sourcearn': RULE }, expected: 'implicit deny' },
  { name: "a policy for another service principal does not admit EventBridge", source: PRINCIPAL_DOC, principal: { service: 'events.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: QUEUE }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'implicit deny' },
  { name: "a resource policy naming the role allows its session without an identity grant", source: PRINCIPAL_DOC, resource: [{ Effect: 'Allow', Principal: { AWS: ROLE_ARN }, Action: 'sqs:SendMessage', Resource: QUEUE }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'allow' },
  { name: 'a resource policy naming the account delegates to identity policies and allows nothing itself', source: PRINCIPAL_DOC, resource: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sqs:SendMessage', Resource: QUEUE }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'implicit deny' },
  { name: 'NotPrincipal in a deny spares the named role', source: NOTPRINCIPAL_DOC, identity: [allow('sqs:SendMessage', QUEUE)], resource: [{ Effect: 'Deny', NotPrincipal: { AWS: ROLE_ARN }, Action: 'sqs:*', Resource: QUEUE }], action: 'sqs:SendMessage', resourceArn: QUEUE, expected: 'allow' },
  { name: 'Lambda permission: API Gateway may invoke from a matching execute-api ARN', source: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html', principal: { service: 'apigateway.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:get-order`, Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/*/*/orders/{id}` } } }], action: 'lambda:InvokeFunction', resourceArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:get-order`, context: { 'aws:sourcearn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/$default/GET/orders/{id}` }, expected: 'allow' },
  { name: "Lambda permission: another route's path is refused", source: 'https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html', principal: { service: 'apigateway.amazonaws.com' }, resource: [{ Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' }, Action: 'lambda:InvokeFunction', Resource: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:get-order`, Condition: { ArnLike: { 'AWS:SourceArn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/*/*/orders/{id}` } } }], action: 'lambda:InvokeFunction', resourceArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:get-order`, context: { 'aws:sourcearn': `arn:aws:execute-api:us-east-1:${ACCOUNT}:api123/$default/POST/orders` }, expected: 'implicit deny' },
];

/** Policies IAM would reject, or that use what the local cloud does not evaluate: compiling them fails. */
export const INVALID_POLICY_CASES: readonly { readonly name: string; readonly source: string; readonly policy: NamedPolicy; readonly message: RegExp }[] = [
  { name: 'an operator the local cloud does not evaluate', source: OPERATORS_DOC, policy: { name: 'p', type: 'identity-based', document: { Statement: [allow('s3:GetObject', '*', { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } })] } }, message: /DateLessThan is not evaluated/ },
  { name: 'a policy variable in a resource', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html', policy: { name: 'p', type: 'identity-based', document: { Statement: [allow('s3:GetObject', 'arn:aws:s3:::bucket/${aws:username}/*')] } }, message: /policy variables/ },
  { name: 'a Principal in an identity-based policy', source: PRINCIPAL_DOC, policy: { name: 'p', type: 'identity-based', document: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sqs:*', Resource: '*' }] } }, message: /cannot name a Principal/ },
  { name: 'a resource-based statement without a Principal', source: PRINCIPAL_DOC, policy: { name: 'p', type: 'resource-based', document: { Statement: [allow('sqs:*', '*')] } }, message: /must name a Principal/ },
  { name: 'both Action and NotAction', source: NOTACTION_DOC, policy: { name: 'p', type: 'identity-based', document: { Statement: [{ Effect: 'Allow', Action: 'sqs:*', NotAction: 'sqs:Purge*', Resource: '*' }] } }, message: /exactly one of Action and NotAction/ },
  { name: 'an Effect other than Allow or Deny', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_effect.html', policy: { name: 'p', type: 'identity-based', document: { Statement: [{ Effect: 'allow', Action: 'sqs:*', Resource: '*' }] } }, message: /Effect must be Allow or Deny/ },
];
