/**
 * The AWS managed policies whose documents the local cloud holds, by ARN. A role granted one it
 * does not hold makes the start fail naming it (see `UnknownManagedPolicyError`): guessing its
 * grants would make the local run allow or refuse what AWS does not.
 */
import type { PolicyDocument } from '#cloud/iam/policy';

/**
 * AWS managed policy ARN -> its document (the default version), copied from the AWS Managed
 * Policy reference.
 */
export const AWS_MANAGED_POLICIES: Readonly<Record<string, PolicyDocument>> = {
  /** @see https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSLambdaBasicExecutionRole.html */
  'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole': {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'], Resource: '*' }],
  },
};
