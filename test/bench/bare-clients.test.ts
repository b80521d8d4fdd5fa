import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FUNCTION_BUNDLING } from '#infra/function-defaults';
import { buildBareClientsBundle, functionBuildOptions } from '../../bench/bare-clients.ts';

const directories: string[] = [];

afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

describe('functionBuildOptions', () => {
  it('bundles as CDK bundles the handlers', () => {
    expect(functionBuildOptions()).toMatchObject({
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: FUNCTION_BUNDLING.target,
      minify: FUNCTION_BUNDLING.minify,
      banner: { js: FUNCTION_BUNDLING.banner },
    });
  });
});

describe('buildBareClientsBundle', () => {
  it('builds a bundle that constructs the given clients', async () => {
    // Prepare
    const directory = await mkdtemp(path.join(tmpdir(), 'bare-clients-'));
    directories.push(directory);

    // Act
    const file = await buildBareClientsBundle(['@aws-sdk/client-dynamodb', '@aws-sdk/client-sqs'], directory);
    const { clients } = (await import(pathToFileURL(file).href)) as { clients: { config: { serviceId: string } }[] };

    // Assess: the bundle carries its own minified copies of the SDK classes, so compare by configuration.
    expect(clients.map((client) => client.config.serviceId)).toEqual(['DynamoDB', 'SQS']);
  });

  it('names a client it does not know how to construct', async () => {
    await expect(buildBareClientsBundle(['@aws-sdk/client-s3'], tmpdir())).rejects.toThrow('no construction for @aws-sdk/client-s3');
  });
});
