/**
 * A Cognito user pool as the local cloud runs it: its app clients and password policy from the
 * template, users created through the admin API, and RS256 tokens shaped as Cognito's (an ID
 * token with the user's attributes and `aud` = the app client, an access token with `client_id`
 * and `scope`), signed by a key the pool publishes as its JWKS. jose signs and exports the key.
 *
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * @see https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-access-token.html
 */
import { randomBytes, randomUUID, scryptSync, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { calculateJwkThumbprint, createLocalJWKSet, exportJWK, generateKeyPair, importJWK, SignJWT, type CryptoKey, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from 'jose';
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
  /** The password's scrypt hash and salt (never the password itself: the state may be kept on disk). */
  readonly password: { readonly salt: string; readonly hash: string } | undefined;
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

/** What a pool keeps in its state file: its signing key and its users. */
interface PoolState {
  readonly privateKey: JWK;
  readonly users: readonly (Omit<PoolUser, 'createdAt' | 'modifiedAt'> & { readonly createdAt: string; readonly modifiedAt: string })[];
}

/** Options of {@link LocalUserPool.start}. */
export interface LocalUserPoolOptions {
  /** The clock, in epoch milliseconds. @default Date.now */
  readonly now?: () => number;
  /**
   * A file that keeps the pool's signing key and users across restarts (the local cloud's data
   * directory), so tokens issued before a restart still verify and users keep their `sub`.
   * @default - in memory only
   */
  readonly stateFile?: string;
}

/** A running user pool. */
export class LocalUserPool {
  readonly plan: UserPoolPlan;
  readonly createdAt = new Date();
  readonly #users: Map<string, PoolUser>;
  readonly #signing: SigningKey & { readonly privateJwk: JWK };
  readonly #now: () => number;
  readonly #stateFile: string | undefined;

  private constructor(plan: UserPoolPlan, signing: SigningKey & { readonly privateJwk: JWK }, users: readonly PoolUser[], options: LocalUserPoolOptions) {
    this.plan = plan;
    this.#signing = signing;
    this.#users = new Map(users.map((user) => [user.username, user]));
    this.#now = options.now ?? Date.now;
    this.#stateFile = options.stateFile;
  }

  /** Starts `plan`'s pool: with the key and users of its state file when it has one, else a new RS256 signing key. */
  static async start(plan: UserPoolPlan, options: LocalUserPoolOptions = {}): Promise<LocalUserPool> {
    const state = options.stateFile !== undefined && existsSync(options.stateFile) ? (JSON.parse(readFileSync(options.stateFile, 'utf8')) as PoolState) : undefined;
    const privateJwk = state?.privateKey ?? (await exportJWK((await generateKeyPair('RS256', { modulusLength: 2048, extractable: true })).privateKey));
    const privateKey = (await importJWK(privateJwk, 'RS256')) as CryptoKey;
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...jwk } = privateJwk;
    const kid = await calculateJwkThumbprint(jwk);
    const jwks: JSONWebKeySet = { keys: [{ ...jwk, alg: 'RS256', kid, use: 'sig' }] };
    const users = (state?.users ?? []).map((user): PoolUser => ({ ...user, createdAt: new Date(user.createdAt), modifiedAt: new Date(user.modifiedAt) }));
    const pool = new LocalUserPool(plan, { key: privateKey, kid, jwks, verifyKey: createLocalJWKSet(jwks), privateJwk }, users, options);
    pool.#save();
    return pool;
  }

  /** Writes the state file whole (a new file renamed over the old one, so a kill never leaves half a file). */
  #save(): void {
    if (this.#stateFile === undefined) return;
    const state: PoolState = { privateKey: this.#signing.privateJwk, users: [...this.#users.values()].map((user) => ({ ...user, createdAt: user.createdAt.toISOString(), modifiedAt: user.modifiedAt.toISOString() })) };
    mkdirSync(dirname(this.#stateFile), { recursive: true });
    writeFileSync(`${this.#stateFile}.tmp`, JSON.stringify(state), { mode: 0o600 });
    renameSync(`${this.#stateFile}.tmp`, this.#stateFile);
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
    const user: PoolUser = { username, attributes: { ...attributes, sub: randomUUID() }, status: UserStatus.forceChangePassword, password: temporaryPassword === undefined ? undefined : hashed(temporaryPassword), createdAt: now, modifiedAt: now };
    this.#users.set(username, user);
    this.#save();
    return user;
  }

  /** `AdminSetUserPassword`: a permanent password confirms the user. */
  setPassword(username: string, password: string, permanent: boolean): void {
    const user = this.user(username);
    checkPassword(password, this.plan.passwordPolicy);
    this.#users.set(username, { ...user, password: hashed(password), status: permanent ? UserStatus.confirmed : UserStatus.forceChangePassword, modifiedAt: new Date(this.#now()) });
    this.#save();
  }

  /**
   * Checks a user's password for an app client and signs the user's tokens; a user who must
   * still change a temporary password gets the `NEW_PASSWORD_REQUIRED` challenge instead.
   * @throws NotAuthorizedException for a wrong password, UserNotFoundException for an unknown user
   */
  async signIn(client: UserPoolClientPlan, username: string, password: string): Promise<AuthenticationResult | { readonly challenge: 'NEW_PASSWORD_REQUIRED' }> {
    const user = this.user(username);
    if (user.password === undefined || !matches(password, user.password)) throw cognitoError('NotAuthorizedException', 'Incorrect username or password.');
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

/**
 * scrypt's cost for the local pool: about a millisecond. Node's default (N = 16384) takes tens of
 * milliseconds of the emulator's own thread per sign-in, which a soak signing in a hundred
 * customers turns into seconds in which no queue is polled. The hash only keeps a local state
 * file from holding the (throwaway) passwords in clear.
 */
const SCRYPT_OPTIONS = { N: 1024 } as const;

/** A password's scrypt hash with a new salt. */
function hashed(password: string): { salt: string; hash: string } {
  const salt = randomBytes(16).toString('base64url');
  return { salt, hash: scryptSync(password, salt, 32, SCRYPT_OPTIONS).toString('base64url') };
}

function matches(password: string, stored: { readonly salt: string; readonly hash: string }): boolean {
  return timingSafeEqual(scryptSync(password, stored.salt, 32, SCRYPT_OPTIONS), Buffer.from(stored.hash, 'base64url'));
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
