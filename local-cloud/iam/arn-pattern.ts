/**
 * Matching ARNs against the patterns of a policy's `Resource` element and of the ARN condition
 * operators: each of the six colon-separated parts (`arn`, partition, service, region, account,
 * resource) is matched on its own, so a wildcard in the region never spans into the account; the
 * resource part is everything after the fifth colon, colons included, so `arn:aws:logs:*:*:*`
 * matches a log stream's ARN. A pattern of fewer parts is matched as one string.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
 */
import { compileWildcard, type ValueMatcher } from '#cloud/iam/wildcard';

const ARN_PARTS = 6;

/** Splits an ARN into its six parts, the last keeping its colons; undefined for fewer parts. */
export function arnParts(arn: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  for (let index = 0; index < ARN_PARTS - 1; index++) {
    const colon = arn.indexOf(':', start);
    if (colon < 0) return undefined;
    parts.push(arn.slice(start, colon));
    start = colon + 1;
  }
  parts.push(arn.slice(start));
  return parts;
}

/** Compiles an ARN pattern (wildcards allowed in every part) into a case-sensitive matcher. */
export function compileArnPattern(pattern: string): ValueMatcher {
  if (pattern === '*') return () => true;
  const patternParts = arnParts(pattern);
  if (patternParts === undefined) return compileWildcard(pattern);
  const matchers = patternParts.map((part) => compileWildcard(part));
  return (value) => {
    const parts = arnParts(value);
    return parts !== undefined && matchers.every((matches, index) => matches(parts[index] as string));
  };
}
