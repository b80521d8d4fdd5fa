/** Signing the shop's customers in to a local cloud's user pool, for tests that call the HTTP API. */
import type { LocalCloud } from '#cloud/local-cloud';
import { CustomerTokens } from '#infra/tools/token/customer-tokens';

/** The `Authorization` header's value of `customer` on `cloud` (the user is created on first use). */
export async function customerAuthorization(cloud: Pick<LocalCloud, 'region' | 'awsEndpoint' | 'outputs'>, customer = 'customer-1'): Promise<string> {
  const tokens = CustomerTokens.fromOutputs({ region: cloud.region, endpoint: cloud.awsEndpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }, cloud.outputs);
  try {
    return await tokens.authorizationOf(customer);
  } finally {
    tokens.destroy();
  }
}
