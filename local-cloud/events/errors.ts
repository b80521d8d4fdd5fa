import { AwsServiceError } from '#cloud/aws-error';

/**
 * The EventBridge errors, with the code AWS answers (the SDK v3 exception name) and its wording
 * where it is known. EventBridge answers every one of them with HTTP 400.
 *
 * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/CommonErrors.html
 */
export const EventBridgeErrors = {
  /** A parameter that breaks a documented constraint. */
  validation: (message: string) => new AwsServiceError('ValidationException', message),
  /** A required member left out, in the words of AWS's request validation. */
  missingMember: (member: string) =>
    new AwsServiceError('ValidationException', `1 validation error detected: Value null at '${memberName(member)}' failed to satisfy constraint: Member must not be null`),
  /** A member longer than its documented maximum, in the words of AWS's request validation. */
  memberTooLong: (member: string, value: string, maxLength: number) =>
    new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${value}' at '${memberName(member)}' failed to satisfy constraint: Member must have length less than or equal to ${maxLength}`,
    ),
  /** A member of the wrong JSON type: the request cannot be read into the operation's shape. */
  wrongType: (member: string, expected: string) => new AwsServiceError('SerializationException', `Member ${member} must be ${expected}.`),
  resourceNotFound: (message: string) => new AwsServiceError('ResourceNotFoundException', message),
  resourceAlreadyExists: (message: string) => new AwsServiceError('ResourceAlreadyExistsException', message),
  limitExceeded: (message: string) => new AwsServiceError('LimitExceededException', message),
  invalidEventPattern: (message: string, cause?: unknown) => new AwsServiceError('InvalidEventPatternException', message, { cause }),
  illegalStatus: (message: string) => new AwsServiceError('IllegalStatusException', message),
  /**
   * A rule an AWS service manages (an archive's) changed by hand: PutRule, PutTargets,
   * EnableRule and DisableRule always, DeleteRule and RemoveTargets without `Force`.
   * @see https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_DeleteRule.html
   */
  managedRule: (ruleName: string) => new AwsServiceError('ManagedRuleException', `${ruleName} is a managed rule.`),
} as const;

/** AWS names members in validation messages in lower camel case (`ArchiveName` -> `archiveName`). */
function memberName(member: string): string {
  return member.charAt(0).toLowerCase() + member.slice(1);
}
