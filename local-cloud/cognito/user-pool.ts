/**
 * A Cognito user pool as the local cloud runs it: its app clients and password policy from the
 * template, users created through the admin API, and RS256 tokens shaped as Cognito's (an ID
 * token with the user's attributes and `aud` = the app client, an access token with `client_id`
 * and `scope`), signed by a key the pool publishes as its JWKS. jose signs and exports the key.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import { AwsServiceError } from '#cloud/aws-error';
import type { PasswordPolicyPlan, UserPoolClientPlan, UserPoolPlan } from '#cloud/template/stack-plan';

/** A user's `UserStatus`. */
export const UserStatus = { forceChangePassword: 'FORCE_CHANGE_PASSWORD', confirmed: 'CONFIRMED' } as const;
export type UserStatus = (typeof UserStatus)[keyof typeof UserStatus];

/** A user of the pool. */
export interface PoolUser {
  readonly username: string;
  /** Its attributes, `sub` included. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly status: UserStatus;
  readonly password: string | undefined;
  readonly createdAt: Date;
  readonly modifiedAt: Date;
}

/** What a successful authentication returns (`AuthenticationResult`). */
export interface AuthenticationResult {
  readonly IdToken: string;
  readonly AccessToken: string;
  readonly RefreshToken: string;
  /** Seconds the access token is valid. */
  readonly ExpiresIn: number;
  readonly TokenType: 'Bearer';
}

/** The pool's signing key, its id and the JWKS it is published in. */
interface SigningKey {
  readonly key: CryptoKey;
  readonly kid: string;
  readonly jwks: JSONWebKeySet;
  readonly verifyKey: JWTVerifyGetKey;
}

/** The scope Cognito puts in an access token obtained with a user's password. */
const SIGN_IN_SCOPE = 'aws.cognito.signin.user.admin';

/** Cognito's error (JSON 1.1 `__type`, HTTP 400). */
export function cognitoError(code: string, message: string): AwsServiceError {
  return new AwsServiceError(code, message);
}

/** A running user pool. */
export class LocalUserPool {
  readonly plan: UserPoolPlan;
  readonly createdAt = new Date();
  readonly #users = new Map<string, PoolUser>();
  readonly #signing: SigningKey;
  readonly #now: () => number;

  private constructor(plan: UserPoolPlan, signing: SigningKey, now: () => number) {
    this.plan = plan;
    this.#signing = signing;
    this.#now = now;
  }

  /** Starts `plan`'s pool with a new RS256 signing key. @param now - The clock, in epoch milliseconds. */
  static async start(plan: UserPoolPlan, now: () => number = Date.now): Promise<LocalUserPool> {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { modulusLength: 2048 });
    const jwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(jwk);
    const jwks: JSONWebKeySet = { keys: [{ ...jwk, alg: 'RS256', kid, use: 'sig' }] };
    return new LocalUserPool(plan, { key: privateKey, kid, jwks, verifyKey: createLocalJWKSet(jwks) }, now);
  }

  /** The pool's JWKS (`/.well-known/jwks.json`). */
  get jwks(): JSONWebKeySet {
    return this.#signing.jwks;
  }

  /** The pool's keys, as a verifier takes them. */
  get verificationKeys(): JWTVerifyGetKey {
    return this.#signing.verifyKey;
  }

  /** An app client of the pool. @throws ResourceNotFoundException */
  client(clientId: string): UserPoolClientPlan {
    const client = this.plan.clients.find((candidate) => candidate.clientId === clientId);
    if (client === undefined) throw cognitoError('ResourceNotFoundException', `User pool client ${clientId} does not exist.`);
    return client;
  }

  /** A user. @throws UserNotFoundException */
  user(username: string): PoolUser {
    const user = this.#users.get(username);
    if (user === undefined) throw cognitoError('UserNotFoundException', 'User does not exist.');
    return user;
  }

  /** `AdminCreateUser`: a new user, who must set a password before signing in. */
  createUser(username: string, attributes: Readonly<Record<string, string>>, temporaryPassword: string | undefined): PoolUser {
    if (this.#users.has(username)) throw cognitoError('UsernameExistsException', 'User account already exists');
    if (temporaryPassword !== undefined) checkPassword(temporaryPassword, this.plan.passwordPolicy);
    const now = new Date(this.#now());
    const user: PoolUser = { username, attributes: { ...attributes, sub: randomUUID() }, status: UserStatus.forceChangePassword, password: temporaryPassword, createdAt: now, modifiedAt: now };
    this.#users.set(username, user);
    return user;
  }

  /** `AdminSetUserPassword`: a permanent password confirms the user. */
  setPassword(username: string, password: string, permanent: boolean): void {
    const user = this.user(username);
    checkPassword(password, this.plan.passwordPolicy);
    this.#users.set(username, { ...user, password, status: permanent ? UserStatus.confirmed : UserStatus.forceChangePassword, modifiedAt: new Date(this.#now()) });
  }

  /**
   * Checks a user's password for an app client and signs the user's tokens; a user who must
   * still change a temporary password gets the `NEW_PASSWORD_REQUIRED` challenge instead.
   * @throws NotAuthorizedException for a wrong password, UserNotFoundException for an unknown user
   */
  async signIn(client: UserPoolClientPlan, username: string, password: string): Promise<AuthenticationResult | { readonly challenge: 'NEW_PASSWORD_REQUIRED' }> {
    const user = this.user(username);
    if (user.password === undefined || user.password !== password) throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
    if (user.status === UserStatus.forceChangePassword) return { challenge: 'NEW_PASSWORD_REQUIRED' };
    const issuedAt = Math.floor(this.#now() / 1000);
    const originJti = randomUUID();
    const eventId = randomUUID();
    const { sub, ...attributes } = user.attributes;
    const common = { origin_jti: originJti, event_id: eventId, auth_time: issuedAt };
    const idToken = await this.#sign({ ...typedAttributes(attributes), sub, 'cognito:username': user.username, aud: client.clientId, token_use: 'id', ...common }, issuedAt, client.idTokenValiditySeconds);
    const accessToken = await this.#sign({ sub, client_id: client.clientId, token_use: 'access', scope: SIGN_IN_SCOPE, username: user.username, ...common }, issuedAt, client.accessTokenValiditySeconds);
    // Cognito's refresh token is an encrypted blob only Cognito reads; refreshing is not served locally.
    return { IdToken: idToken, AccessToken: accessToken, RefreshToken: randomBytes(48).toString('base64url'), ExpiresIn: client.accessTokenValiditySeconds, TokenType: 'Bearer' };
  }

  #sign(claims: Record<string, unknown>, issuedAt: number, validitySeconds: number): Promise<string> {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: this.#signing.kid })
      .setIssuer(this.plan.issuer)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + validitySeconds)
      .setJti(randomUUID())
      .sign(this.#signing.key);
  }
}

/** Attributes as an ID token carries them: `email_verified` and `phone_number_verified` are booleans there. */
function typedAttributes(attributes: Readonly<Record<string, string>>): Record<string, string | boolean> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]) => [name, name.endsWith('_verified') ? value === 'true' : value]));
}

/**
 * Checks `password` against the pool's policy, with Cognito's message for the first rule it breaks.
 * @throws InvalidPasswordException
 */
function checkPassword(password: string, policy: PasswordPolicyPlan): void {
  const broken = [
    [password.length < policy.minimumLength, 'Password not long enough'],
    [policy.requireLowercase && !/[a-z]/.test(password), 'Password must have lowercase characters'],
    [policy.requireUppercase && !/[A-Z]/.test(password), 'Password must have uppercase characters'],
    [policy.requireNumbers && !/[0-9]/.test(password), 'Password must have numeric characters'],
    [policy.requireSymbols && !/[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+-]/.test(password), 'Password must have symbol characters'],
  ] as const;
  const rule = broken.find(([breaks]) => breaks);
  if (rule !== undefined) throw cognitoError('InvalidPasswordException', `Password does not conform to policy: ${rule[1]}`);
}
