/**
 * The access key a request was signed with, read from its Signature Version 4 credential scope
 * (`Authorization: AWS4-HMAC-SHA256 Credential=<key>/<date>/<region>/<service>/aws4_request, …`,
 * or `X-Amz-Credential` in a presigned URL). The signature itself is not checked: the local
 * cloud identifies callers, it does not authenticate them.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-signing-elements.html
 */

const CREDENTIAL = 'Credential=';

/** The access key id of a request, or undefined when it carries no credential scope. */
export function accessKeyIdOf(authorization: string | undefined, url: string | undefined): string | undefined {
  if (authorization !== undefined) {
    const start = authorization.indexOf(CREDENTIAL);
    if (start < 0) return undefined;
    const from = start + CREDENTIAL.length;
    const end = authorization.indexOf('/', from);
    return end < 0 ? undefined : authorization.slice(from, end);
  }
  const query = url?.indexOf('?') ?? -1;
  if (url === undefined || query < 0) return undefined;
  const credential = new URLSearchParams(url.slice(query + 1)).get('X-Amz-Credential');
  return credential?.split('/')[0] || undefined;
}
