/**
 * Tokens of the shop's customers, for everything that calls the HTTP API on a customer's behalf:
 * `npm run token`, `npm start`'s curl line, the demo, the soak, the benchmarks and the end-to-end
 * suite. A customer is a user of the stack's user pool, signed in with the admin password flow
 * (`ADMIN_USER_PASSWORD_AUTH`): the same calls against the local cloud's stand-in for Cognito and
 * against the user pool on AWS (there they need the caller's IAM permissions for
 * `cognito-idp:AdminCreateUser`, `AdminSetUserPassword`, `AdminInitiateAuth`, and
 * `ListUserPools` / `ListUserPoolClients` to find the pool by name).
 *
 * The ID token is what the shop's API takes: it carries the customer's `email`, which place-order
 * needs; the access token does not.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html
 */
import { randomBytes } from 'node:crypto';
import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
  UsernameExistsException,
  type CognitoIdentityProviderClientConfig,
} from '@aws-sdk/client-cognito-identity-provider';
import { decodeJwt } from 'jose';
import { customerPoolName } from '#infra/order-pipeline-stack';

/** The user pool and app client customers sign in through (the stack's `UserPoolId` and `UserPoolClientId` outputs). */
export interface CustomerPool {
  readonly userPoolId: string;
  readonly clientId: string;
}

/** The e-mail address a customer's user is created with: the one place that says so. */
export function customerEmailOf(customer: string): string {
  return `${customer}@example.com`;
}

/** A signed-in customer. */
export interface CustomerToken {
  /** The customer's user name, as asked for. */
  readonly customer: string;
  /** The ID token: `Authorization: Bearer <idToken>`. */
  readonly idToken: string;
  /** The token's subject: the customer id the orders carry. */
  readonly sub: string;
  readonly email: string;
}

/** A customer name is a Cognito user name that also makes a valid e-mail local part. */
const CUSTOMER_NAME = /^[A-Za-z0-9._-]{1,64}$/;

/** The pool could not be found, or a customer could not be signed in. */
export class CustomerTokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CustomerTokenError';
  }
}

/** Signs customers in and keeps each one's token for the rest of the run. */
export class CustomerTokens {
  readonly pool: CustomerPool;
  readonly #cognito: CognitoIdentityProviderClient;
  readonly #tokens = new Map<string, Promise<CustomerToken>>();

  constructor(cognito: CognitoIdentityProviderClient, pool: CustomerPool) {
    this.#cognito = cognito;
    this.pool = pool;
  }

  /** For a stack whose outputs are known (a local cloud started in-process, a deployed stack's outputs). */
  static fromOutputs(clientConfig: CognitoIdentityProviderClientConfig, outputs: Readonly<Record<string, string | undefined>>): CustomerTokens {
    const { UserPoolId: userPoolId, UserPoolClientId: clientId } = outputs;
    if (userPoolId === undefined || clientId === undefined) throw new CustomerTokenError('the stack has no UserPoolId and UserPoolClientId outputs');
    return new CustomerTokens(new CognitoIdentityProviderClient(clientConfig), { userPoolId, clientId });
  }

  /** For the stack named `stackName`, its pool found by name (`<stack>-customers`) and its one app client. */
  static async discover(clientConfig: CognitoIdentityProviderClientConfig, stackName?: string): Promise<CustomerTokens> {
    const cognito = new CognitoIdentityProviderClient(clientConfig);
    const name = customerPoolName(stackName);
    try {
      let nextToken: string | undefined;
      do {
        const page = await cognito.send(new ListUserPoolsCommand({ MaxResults: 60, NextToken: nextToken }));
        const pool = page.UserPools?.find((candidate) => candidate.Name === name);
        if (pool?.Id !== undefined) {
          const { UserPoolClients: clients = [] } = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: pool.Id, MaxResults: 60 }));
          const clientId = clients[0]?.ClientId;
          if (clientId === undefined) throw new CustomerTokenError(`user pool ${name} (${pool.Id}) has no app client`);
          return new CustomerTokens(cognito, { userPoolId: pool.Id, clientId });
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
    } catch (error) {
      cognito.destroy();
      throw error instanceof CustomerTokenError ? error : new CustomerTokenError(`the user pools could not be listed: ${String(error)}`, { cause: error });
    }
    cognito.destroy();
    throw new CustomerTokenError(`no user pool is named ${name}: is the stack running (npm start, npm run deploy)?`);
  }

  /**
   * The token of `customer`, signed in once per run: the user is created when it does not exist
   * yet (e-mail `<customer>@example.com`, verified), given a new random password and signed in.
   */
  tokenOf(customer: string): Promise<CustomerToken> {
    let token = this.#tokens.get(customer);
    if (token === undefined) {
      token = this.signIn(customer);
      // A failed sign-in is not kept: the next call tries again (the caller sees the rejection).
      void token.catch(() => this.#tokens.delete(customer));
      this.#tokens.set(customer, token);
    }
    return token;
  }

  /** Signs `customer` in now, creating the user first if needed. */
  async signIn(customer: string): Promise<CustomerToken> {
    if (!CUSTOMER_NAME.test(customer)) throw new CustomerTokenError(`customer "${customer}" must be 1 to 64 letters, digits, dots, dashes or underscores`);
    const { userPoolId, clientId } = this.pool;
    const email = customerEmailOf(customer);
    // No password is kept anywhere: each sign-in sets a new one, strong enough for any pool policy.
    const password = `${randomBytes(18).toString('base64url')}aA1!`;
    try {
      await this.#cognito
        .send(
          new AdminCreateUserCommand({
            UserPoolId: userPoolId,
            Username: customer,
            MessageAction: 'SUPPRESS',
            UserAttributes: [
              { Name: 'email', Value: email },
              { Name: 'email_verified', Value: 'true' },
            ],
          }),
        )
        .catch((error: unknown) => {
          if (!(error instanceof UsernameExistsException)) throw error;
        });
      await this.#cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: userPoolId, Username: customer, Password: password, Permanent: true }));
      const { AuthenticationResult: result } = await this.#cognito.send(
        new AdminInitiateAuthCommand({ UserPoolId: userPoolId, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: customer, PASSWORD: password } }),
      );
      if (result?.IdToken === undefined) throw new CustomerTokenError(`customer ${customer} was asked a challenge instead of signed in`);
      const claims = decodeJwt(result.IdToken);
      return { customer, idToken: result.IdToken, sub: String(claims.sub), email: typeof claims.email === 'string' ? claims.email : email };
    } catch (error) {
      throw error instanceof CustomerTokenError ? error : new CustomerTokenError(`customer ${customer} could not be signed in: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  /** The `Authorization` header's value for `customer`'s requests: `Bearer <ID token>`. */
  async authorizationOf(customer: string): Promise<string> {
    return `Bearer ${(await this.tokenOf(customer)).idToken}`;
  }

  /** Closes the SDK client. */
  destroy(): void {
    this.#cognito.destroy();
  }
}
