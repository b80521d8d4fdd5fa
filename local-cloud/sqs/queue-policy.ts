/**
 * A queue's `Policy` attribute: the queue's resource-based policy, the one SQS evaluates for
 * every call on the queue (EventBridge's sends to a rule's target included). A template's
 * `AWS::SQS::QueuePolicy` only sets it; `SetQueueAttributes` replaces it; an empty value
 * removes it. SQS refuses a value that is not a policy document with `InvalidAttributeValue`.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-using-identity-based-policies.html
 */
import { PolicyDocumentError } from '#cloud/iam/errors';
import { compilePolicy, PolicyType, type CompiledStatement, type PolicyDocument } from '#cloud/iam/policy';
import { SqsErrors } from '#cloud/sqs/errors';

/** The attribute's name. */
export const POLICY_ATTRIBUTE = 'Policy';

/**
 * The policy language's versions; IAM takes a document without one as `2008-10-17`.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
 */
const POLICY_VERSIONS: readonly string[] = ['2012-10-17', '2008-10-17'];
/** A policy document's top-level elements. */
const DOCUMENT_ELEMENTS = new Set(['Version', 'Id', 'Statement']);

/**
 * SQS's quotas on a queue policy: the whole document's bytes, statements, principals and
 * conditions, and each statement's actions.
 * @see https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/quotas-policies.html
 */
export const QUEUE_POLICY_QUOTAS = { bytes: 8_192, statements: 20, principals: 50, conditions: 10, actionsPerStatement: 7 } as const;

/**
 * Validates a `Policy` value as SQS does and compiles it once, so each call on the queue is
 * decided against the compiled statements, not the text.
 * @param queueName - The queue's name: the policy is known as `Policy of queue <name>` in refusals.
 * @throws AwsServiceError `InvalidAttributeValue` (`Invalid value for the parameter Policy. Reason: …`)
 *   for a value that is not JSON, not a policy document, or a statement IAM would reject or the
 *   local cloud cannot evaluate (a policy variable, an unknown condition operator); `OverLimit`
 *   for a document over one of {@link QUEUE_POLICY_QUOTAS}.
 */
export function compileQueuePolicy(queueName: string, text: string): readonly CompiledStatement[] {
  const invalid = (reason: string) => SqsErrors.invalidAttributeValue(POLICY_ATTRIBUTE, reason);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw invalid(`Invalid JSON: ${(error as Error).message}.`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw invalid('A policy document must be a JSON object.');
  const unknown = Object.keys(document).find((element) => !DOCUMENT_ELEMENTS.has(element));
  if (unknown !== undefined) throw invalid(`Unknown policy element ${unknown}.`);
  const { Version: version, Statement: statement } = document as Record<string, unknown>;
  if (version !== undefined && !POLICY_VERSIONS.includes(version as string)) throw invalid(`Version must be one of ${POLICY_VERSIONS.join(', ')}, got ${JSON.stringify(version)}.`);
  const statements = Array.isArray(statement) ? statement : [statement];
  if (statement === undefined || statements.length === 0) throw invalid('A policy document must contain a Statement.');
  if (!statements.every((entry) => typeof entry === 'object' && entry !== null && !Array.isArray(entry))) throw invalid('Each statement must be a JSON object.');
  checkQuotas(text, statements as Record<string, unknown>[]);
  try {
    return compilePolicy({ name: `Policy of queue ${queueName}`, type: PolicyType.resource, document: document as PolicyDocument });
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw invalid(`${error.message}.`);
    throw error;
  }
}

/**
 * Refuses a document over one of {@link QUEUE_POLICY_QUOTAS}. The size, statement and action
 * messages are those AWS answers; the principal and condition ones follow the same pattern.
 */
function checkQuotas(text: string, statements: readonly Record<string, unknown>[]): void {
  const overLimit = (found: number, what: string, max: number, where = 'the submitted policy') =>
    SqsErrors.policyOverLimit(`${found} ${what} were found in ${where}, max allowed is ${max}`);
  if (Buffer.byteLength(text) > QUEUE_POLICY_QUOTAS.bytes) throw SqsErrors.policyOverLimit('Submitted policy is over max allowed size.');
  if (statements.length > QUEUE_POLICY_QUOTAS.statements) throw overLimit(statements.length, 'statements', QUEUE_POLICY_QUOTAS.statements);
  for (const statement of statements) {
    const actions = countOf(statement.Action ?? statement.NotAction);
    if (actions > QUEUE_POLICY_QUOTAS.actionsPerStatement) throw overLimit(actions, 'actions', QUEUE_POLICY_QUOTAS.actionsPerStatement, 'a statement from the submitted policy');
  }
  const principals = statements.reduce((sum, statement) => sum + principalCount(statement.Principal ?? statement.NotPrincipal), 0);
  if (principals > QUEUE_POLICY_QUOTAS.principals) throw overLimit(principals, 'principals', QUEUE_POLICY_QUOTAS.principals);
  const conditions = statements.reduce((sum, statement) => sum + conditionCount(statement.Condition), 0);
  if (conditions > QUEUE_POLICY_QUOTAS.conditions) throw overLimit(conditions, 'conditions', QUEUE_POLICY_QUOTAS.conditions);
}

/** The entries of a policy element that takes a value or a list of them. */
function countOf(value: unknown): number {
  if (value === undefined) return 0;
  return Array.isArray(value) ? value.length : 1;
}

/** Principals named: `"*"` is one; a map counts the entries of each of its kinds (AWS, Service…). */
function principalCount(principal: unknown): number {
  if (typeof principal !== 'object' || principal === null) return countOf(principal);
  return Object.values(principal).reduce((sum: number, value) => sum + countOf(value), 0);
}

/** Conditions: one per key under each operator. */
function conditionCount(condition: unknown): number {
  if (typeof condition !== 'object' || condition === null) return 0;
  return Object.values(condition).reduce((sum: number, keys) => sum + (typeof keys === 'object' && keys !== null ? Object.keys(keys).length : 0), 0);
}
