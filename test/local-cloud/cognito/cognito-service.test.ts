/**
 * The local user pools through the real Cognito SDK client on the gateway: users created and
 * signed in with the admin flow get RS256 tokens shaped as Cognito's, which verify against the
 * pool's JWKS found through its discovery document; errors carry Cognito's codes and messages.
 */
import {
  AdminCreateUserCommand,
  AdminGetUserCommand,
  AdminInitiateAuthCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUserPoolClientsCommand,
  ListUserPoolsCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalCognito } from '#cloud/cognito/cognito-service';
import { startAwsGateway, type AwsGateway } from '#cloud/gateway';
import type { UserPoolPlan } from '#cloud/template/stack-plan';

const POOL: UserPoolPlan = {
  logicalId: 'Customers',
  id: 'us-east-1_Test12345',
  name: 'customers',
  arn: 'arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_Test12345',
  issuer: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Test12345',
  passwordPolicy: { minimumLength: 8, requireLowercase: true, requireUppercase: true, requireNumbers: true, requireSymbols: true },
  clients: [
    { clientId: 'adminclient000000000000000', name: 'admin', explicitAuthFlows: ['ALLOW_ADMIN_USER_PASSWORD_AUTH'], idTokenValiditySeconds: 3_600, accessTokenValiditySeconds: 1_800 },
    { clientId: 'srponlyclient0000000000000', name: 'srp', explicitAuthFlows: ['ALLOW_USER_SRP_AUTH'], idTokenValiditySeconds: 3_600, accessTokenValiditySeconds: 3_600 },
  ],
};
const PASSWORD = 'Correct-Horse-7';

describe('local Cognito user pools', () => {
  let gateway: AwsGateway;
  let cognito: CognitoIdentityProviderClient;

  beforeAll(async () => {
    gateway = await startAwsGateway({ port: 0 });
    gateway.register((await LocalCognito.start([POOL], gateway.endpoint)).registration());
    cognito = new CognitoIdentityProviderClient({ endpoint: gateway.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    cognito.destroy();
    await gateway.close();
  });

  const signUp = async (username: string, email = `${username}@example.com`) => {
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL.id, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL.id, Username: username, Password: PASSWORD, Permanent: true }));
  };
  const signIn = (username: string, password = PASSWORD, clientId = POOL.clients[0]?.clientId) =>
    cognito.send(new AdminInitiateAuthCommand({ UserPoolId: POOL.id, ClientId: clientId, AuthFlow: 'ADMIN_USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }));
  const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Error) => ({ name: error.name, message: error.message }));

  it('lists the pool and its app clients', async () => {
    // Act
    const { UserPools } = await cognito.send(new ListUserPoolsCommand({ MaxResults: 10 }));
    const { UserPoolClients } = await cognito.send(new ListUserPoolClientsCommand({ UserPoolId: POOL.id }));
    // Assess
    expect(UserPools?.map((pool) => [pool.Id, pool.Name])).toEqual([[POOL.id, 'customers']]);
    expect(UserPoolClients?.map((client) => client.ClientName)).toEqual(['admin', 'srp']);
  });

  it("signs a user in with ID and access tokens shaped as Cognito's, which verify against the JWKS its discovery document names", async () => {
    // Prepare
    await signUp('ada');
    const { UserAttributes } = await cognito.send(new AdminGetUserCommand({ UserPoolId: POOL.id, Username: 'ada' }));
    const sub = UserAttributes?.find((attribute) => attribute.Name === 'sub')?.Value;
    // Act
    const { AuthenticationResult } = await signIn('ada');
    const discovery = (await (await fetch(`${gateway.endpoint}/${POOL.id}/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const keys = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const id = await jwtVerify(AuthenticationResult?.IdToken ?? '', keys, { issuer: POOL.issuer, audience: POOL.clients[0]?.clientId });
    const access = await jwtVerify(AuthenticationResult?.AccessToken ?? '', keys, { issuer: POOL.issuer });
    // Assess
    expect(discovery.issuer).toBe(POOL.issuer);
    expect(sub).toMatch(/^[0-9a-f-]{36}$/);
    expect(decodeProtectedHeader(AuthenticationResult?.IdToken ?? '')).toMatchObject({ alg: 'RS256', kid: expect.any(String) });
    expect(id.payload).toMatchObject({ sub, email: 'ada@example.com', email_verified: true, 'cognito:username': 'ada', token_use: 'id', aud: POOL.clients[0]?.clientId });
    expect(access.payload).toMatchObject({ sub, client_id: POOL.clients[0]?.clientId, token_use: 'access', scope: 'aws.cognito.signin.user.admin', username: 'ada' });
    expect((id.payload.exp ?? 0) - (id.payload.iat ?? 0)).toBe(3_600);
    expect(AuthenticationResult).toMatchObject({ ExpiresIn: 1_800, TokenType: 'Bearer', RefreshToken: expect.any(String) });
  });

  it('asks a user who has only a temporary password for a new one', async () => {
    // Prepare
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL.id, Username: 'grace', TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS' }));
    // Act
    const answer = await signIn('grace');
    // Assess
    expect(answer).toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
    expect(answer.AuthenticationResult).toBeUndefined();
  });

  it.each([
    ['a user that exists already', async () => cognito.send(new AdminCreateUserCommand({ UserPoolId: POOL.id, Username: 'ada' })), { name: 'UsernameExistsException', message: 'User account already exists' }],
    ['a password the policy refuses', async () => cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: POOL.id, Username: 'ada', Password: 'lowercase-only-1', Permanent: true })), { name: 'InvalidPasswordException', message: 'Password does not conform to policy: Password must have uppercase characters' }],
    ['a wrong password', async () => signIn('ada', 'Wrong-Horse-7'), { name: 'NotAuthorizedException', message: 'Incorrect username or password.' }],
    ['an unknown user', async () => signIn('nobody'), { name: 'UserNotFoundException', message: 'User does not exist.' }],
    ['a client without the admin password flow', async () => signIn('ada', PASSWORD, POOL.clients[1]?.clientId), { name: 'InvalidParameterException', message: 'Auth flow not enabled for this client' }],
    ['an unknown pool', async () => cognito.send(new ListUserPoolClientsCommand({ UserPoolId: 'us-east-1_Nope00000' })), { name: 'ResourceNotFoundException', message: 'User pool us-east-1_Nope00000 does not exist.' }],
  ])('refuses %s with Cognito’s error', async (_case, call, expected) => {
    // Prepare
    await signUp('ada').catch(() => undefined);
    // Act
    const failure = await failureOf(call());
    // Assess
    expect(failure).toEqual(expected);
  });

  it('keeps its signing key and users in a persistence directory: a token issued before a restart verifies after it, and the user keeps its sub', async () => {
    // Prepare
    const directory = mkdtempSync(join(tmpdir(), 'cognito-state-'));
    const first = await LocalCognito.start([POOL], 'http://127.0.0.1:1', { persistence: directory });
    first.pool(POOL.id).createUser('linus', { email: 'linus@example.com' }, undefined);
    first.pool(POOL.id).setPassword('linus', PASSWORD, true);
    const client = first.pool(POOL.id).client(POOL.clients[0]?.clientId ?? '');
    const before = await first.pool(POOL.id).signIn(client, 'linus', PASSWORD);
    try {
      // Act
      const second = await LocalCognito.start([POOL], 'http://127.0.0.1:1', { persistence: directory });
      const after = await second.pool(POOL.id).signIn(client, 'linus', PASSWORD);
      // Assess
      if (!('IdToken' in before) || !('IdToken' in after)) throw new Error('expected tokens, not a challenge');
      const verified = await jwtVerify(before.IdToken, createLocalJWKSet(second.pool(POOL.id).jwks), { issuer: POOL.issuer });
      expect(verified.payload.sub).toBe(second.pool(POOL.id).user('linus').attributes.sub);
      expect(readFileSync(join(directory, `${POOL.id}.json`), 'utf8')).not.toContain(PASSWORD);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
