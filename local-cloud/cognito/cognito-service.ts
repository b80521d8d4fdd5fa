/**
 * The local stand-in for Amazon Cognito user pools: each `AWS::Cognito::UserPool` of the template
 * with its app clients, the admin operations that create users and sign them in (AWS JSON 1.1,
 * `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>`, so the real SDK client works
 * against the gateway), and each pool's OpenID discovery document and JWKS over plain HTTP at
 * `<endpoint>/<pool id>/.well-known/...`, as Cognito serves them at its issuer URL. A JWT
 * authorizer whose issuer is a local pool's gets the pool's keys without leaving the machine.
 *
 * Users and signing keys live in memory, or, with a data directory, in `DIR/cognito/<pool id>.json`
 * (passwords as scrypt hashes): then tokens issued before a restart still verify and users keep
 * their `sub`.
 *
 * @see https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/Welcome.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-tokens-verifying-a-jwt.html
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { JWTVerifyGetKey } from 'jose';
import { AwsServiceError } from '#cloud/aws-error';
import type { AwsServiceRegistration, JsonOperationHandler } from '#cloud/gateway-registration';
import type { UserPoolPlan } from '#cloud/template/stack-plan';
import { cognitoError, LocalUserPool, type PoolUser } from './user-pool.ts';

/** Where well-known documents are served: `/<pool id>/.well-known/<document>`. */
const WELL_KNOWN_PATH = /^\/([\w-]+_[0-9A-Za-z]+)\/\.well-known\/(openid-configuration|jwks\.json)$/;

/** The auth flows `AdminInitiateAuth` serves, with the `ExplicitAuthFlows` entries that allow each. */
const ADMIN_PASSWORD_FLOWS: Readonly<Record<string, readonly string[]>> = {
  ADMIN_USER_PASSWORD_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
  ADMIN_NO_SRP_AUTH: ['ALLOW_ADMIN_USER_PASSWORD_AUTH', 'ADMIN_NO_SRP_AUTH'],
};

/** The user pools of a running local cloud. */
export class LocalCognito {
  readonly #pools: ReadonlyMap<string, LocalUserPool>;
  readonly #byIssuer: ReadonlyMap<string, LocalUserPool>;
  readonly #endpoint: string;

  private constructor(pools: readonly LocalUserPool[], endpoint: string) {
    this.#pools = new Map(pools.map((pool) => [pool.plan.id, pool]));
    this.#byIssuer = new Map(pools.map((pool) => [pool.plan.issuer, pool]));
    this.#endpoint = endpoint;
  }

  /**
   * Starts the template's user pools.
   * @param endpoint - The gateway's base URL, where the pools' documents are served.
   * @param options.now - The clock tokens are issued by, in epoch milliseconds. @default Date.now
   * @param options.persistence - A directory keeping each pool's key and users (`<pool id>.json`) across restarts. @default - in memory
   */
  static async start(plans: readonly UserPoolPlan[], endpoint: string, options: { readonly now?: () => number; readonly persistence?: string } = {}): Promise<LocalCognito> {
    const pools = await Promise.all(
      plans.map((plan) => LocalUserPool.start(plan, { ...(options.now ? { now: options.now } : {}), ...(options.persistence !== undefined ? { stateFile: join(options.persistence, `${plan.id}.json`) } : {}) })),
    );
    return new LocalCognito(pools, endpoint);
  }

  /** The keys of a local pool whose issuer is `issuer`, for a JWT authorizer; `undefined` for any other issuer. */
  keysOf(issuer: string): JWTVerifyGetKey | undefined {
    return this.#byIssuer.get(issuer)?.verificationKeys;
  }

  /** A pool by id. @throws ResourceNotFoundException */
  pool(userPoolId: string): LocalUserPool {
    const pool = this.#pools.get(userPoolId);
    if (pool === undefined) throw cognitoError('ResourceNotFoundException', `User pool ${userPoolId} does not exist.`);
    return pool;
  }

  /** The gateway registration: the admin operations, and the well-known documents over HTTP. */
  registration(): AwsServiceRegistration {
    return {
      name: 'cognito-idp',
      json: { targetPrefix: 'AWSCognitoIdentityProviderService', jsonVersion: '1.1', operations: this.#operations() },
      passthrough: { matches: (request) => request.method === 'GET' && WELL_KNOWN_PATH.test(new URL(request.url ?? '/', 'http://local').pathname), handle: (request, response) => this.#serveWellKnown(request, response) },
    };
  }

  #operations(): Record<string, JsonOperationHandler> {
    return {
      ListUserPools: () => ({ UserPools: [...this.#pools.values()].map((pool) => ({ Id: pool.plan.id, Name: pool.plan.name, CreationDate: seconds(pool.createdAt), LastModifiedDate: seconds(pool.createdAt) })) }),
      ListUserPoolClients: (input) => {
        const pool = this.pool(required(input, 'UserPoolId'));
        return { UserPoolClients: pool.plan.clients.map((client) => ({ ClientId: client.clientId, ClientName: client.name, UserPoolId: pool.plan.id })) };
      },
      AdminCreateUser: (input) => {
        const pool = this.pool(required(input, 'UserPoolId'));
        const attributes = Object.fromEntries(attributeList(input.UserAttributes).map((attribute) => [attribute.Name, attribute.Value]));
        const user = pool.createUser(required(input, 'Username'), attributes, optional(input, 'TemporaryPassword'));
        return { User: userType(user) };
      },
      AdminGetUser: (input) => {
        const user = this.pool(required(input, 'UserPoolId')).user(required(input, 'Username'));
        const { Attributes, ...rest } = userType(user);
        return { ...rest, UserAttributes: Attributes };
      },
      AdminSetUserPassword: (input) => {
        this.pool(required(input, 'UserPoolId')).setPassword(required(input, 'Username'), required(input, 'Password'), input.Permanent === true);
        return {};
      },
      AdminInitiateAuth: async (input) => {
        const pool = this.pool(required(input, 'UserPoolId'));
        const client = pool.client(required(input, 'ClientId'));
        const flow = required(input, 'AuthFlow');
        const allowedBy = ADMIN_PASSWORD_FLOWS[flow];
        if (allowedBy === undefined) throw cognitoError('InvalidParameterException', `AuthFlow ${flow} is not served by the local cloud; use ADMIN_USER_PASSWORD_AUTH`);
        if (!allowedBy.some((entry) => client.explicitAuthFlows.includes(entry))) throw cognitoError('InvalidParameterException', 'Auth flow not enabled for this client');
        const parameters = (input.AuthParameters ?? {}) as Record<string, unknown>;
        const username = typeof parameters.USERNAME === 'string' ? parameters.USERNAME : undefined;
        const password = typeof parameters.PASSWORD === 'string' ? parameters.PASSWORD : undefined;
        if (username === undefined || password === undefined) throw cognitoError('InvalidParameterException', 'Missing required parameter USERNAME or PASSWORD');
        const result = await pool.signIn(client, username, password);
        if ('challenge' in result) return { ChallengeName: result.challenge, ChallengeParameters: { USER_ID_FOR_SRP: username, requiredAttributes: '[]', userAttributes: '{}' }, Session: 'local-session' };
        return { ChallengeParameters: {}, AuthenticationResult: result };
      },
    };
  }

  #serveWellKnown(request: IncomingMessage, response: ServerResponse): void {
    const [, poolId = '', document] = WELL_KNOWN_PATH.exec(new URL(request.url ?? '/', 'http://local').pathname) ?? [];
    const pool = this.#pools.get(poolId);
    if (pool === undefined) {
      response.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `User pool ${poolId} does not exist.` }));
      return;
    }
    const body =
      document === 'jwks.json'
        ? pool.jwks
        : {
            // The issuer is the AWS one the tokens carry; the keys are here.
            issuer: pool.plan.issuer,
            jwks_uri: `${this.#endpoint}/${poolId}/.well-known/jwks.json`,
            response_types_supported: ['code', 'token'],
            subject_types_supported: ['public'],
            id_token_signing_alg_values_supported: ['RS256'],
            scopes_supported: ['openid', 'email', 'phone', 'profile'],
            token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
          };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}

/** Cognito's `UserType`. */
function userType(user: PoolUser) {
  return {
    Username: user.username,
    Attributes: Object.entries(user.attributes).map(([Name, Value]) => ({ Name, Value })),
    UserCreateDate: seconds(user.createdAt),
    UserLastModifiedDate: seconds(user.modifiedAt),
    Enabled: true,
    UserStatus: user.status,
  };
}

/** Timestamps in AWS JSON are epoch seconds. */
function seconds(date: Date): number {
  return date.getTime() / 1000;
}

/** Cognito's answer to a missing member: the Coral validation message. */
function required(input: Readonly<Record<string, unknown>>, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError('InvalidParameterException', `1 validation error detected: Value null at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optional(input: Readonly<Record<string, unknown>>, member: string): string | undefined {
  const value = input[member];
  return typeof value === 'string' ? value : undefined;
}

function attributeList(value: unknown): { Name: string; Value: string }[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new AwsServiceError('InvalidParameterException', 'UserAttributes must be a list of Name and Value');
  return value.map((entry) => {
    const { Name, Value } = (entry ?? {}) as { Name?: unknown; Value?: unknown };
    if (typeof Name !== 'string' || typeof Value !== 'string') throw new AwsServiceError('InvalidParameterException', 'Each user attribute needs a Name and a Value');
    return { Name, Value };
  });
}
