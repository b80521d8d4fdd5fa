/** Errors of the local cloud's permission model: policies it cannot read or cannot evaluate faithfully. */

/** A policy document IAM would reject, or one using a feature the local cloud does not evaluate. */
export class PolicyDocumentError extends Error {
  override readonly name = 'PolicyDocumentError';

  /**
   * @param policy - Which policy, e.g. `inline policy Default of role OrderPipeline-PlaceOrderRole`.
   * @param problem - What is wrong with it.
   */
  constructor(policy: string, problem: string, options?: ErrorOptions) {
    super(`${policy}: ${problem}`, options);
  }
}

/** A role names an AWS managed policy whose document the local cloud does not hold. */
export class UnknownManagedPolicyError extends Error {
  override readonly name = 'UnknownManagedPolicyError';

  /**
   * @param policyArn - The managed policy's ARN.
   * @param role - The role that names it.
   * @param known - The ARNs the local cloud knows.
   */
  constructor(policyArn: string, role: string, known: readonly string[], options?: ErrorOptions) {
    super(
      `role ${role} is granted the managed policy ${policyArn}, whose document the local cloud does not hold (it knows ${known.join(', ')}); add its document to local-cloud/iam/managed-policies.ts, or run without permissions (--no-permissions) to debug`,
      options,
    );
  }
}
