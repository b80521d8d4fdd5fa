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
 * Validates a `Policy` value as SQS does and compiles it once, so each call on the queue is
 * decided against the compiled statements, not the text.
 * @param queueName - The queue's name: the policy is known as `Policy of queue <name>` in refusals.
 * @throws AwsServiceError `InvalidAttributeValue` (`Invalid value for the parameter Policy. Reason: …`)
 *   for a value that is not JSON, not a policy document, or a statement IAM would reject or the
 *   local cloud cannot evaluate (a policy variable, an unknown condition operator).
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
  try {
    return compilePolicy({ name: `Policy of queue ${queueName}`, type: PolicyType.resource, document: document as PolicyDocument });
  } catch (error) {
    if (error instanceof PolicyDocumentError) throw invalid(`${error.message}.`);
    throw error;
  }
}
