import { describe, expect, it } from 'vitest';
import { EndpointUnreachableError } from '#infra/tools/dlq/errors';
import { resolveTarget, unreachableEndpointError } from '#infra/tools/dlq/targets';

describe('resolveTarget', () => {
  it('points the local target at the local cloud with dummy credentials', () => {
    expect(resolveTarget({ env: {} })).toEqual({
      name: 'local',
      endpoint: 'http://127.0.0.1:4566',
      region: 'us-east-1',
      clientConfig: { endpoint: 'http://127.0.0.1:4566', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
    });
  });

  it("takes LocalStack's endpoint from LOCALSTACK_ENDPOINT before AWS_ENDPOINT_URL, and its region from AWS_REGION", () => {
    const target = resolveTarget({ target: 'localstack', env: { LOCALSTACK_ENDPOINT: 'http://ls:4566', AWS_ENDPOINT_URL: 'http://other:4566', AWS_REGION: 'eu-central-1' } });
    expect(target).toMatchObject({ endpoint: 'http://ls:4566', region: 'eu-central-1', clientConfig: { credentials: { accessKeyId: 'test' } } });
    expect(resolveTarget({ target: 'localstack', env: {} }).endpoint).toBe('http://localhost:4566');
  });

  it('leaves endpoint, region and credentials to the SDK on AWS unless given', () => {
    expect(resolveTarget({ target: 'aws', env: { AWS_ENDPOINT_URL: 'http://ignored' } })).toEqual({ name: 'aws', clientConfig: {} });
    expect(resolveTarget({ target: 'aws', region: 'eu-west-1' })).toEqual({ name: 'aws', region: 'eu-west-1', clientConfig: { region: 'eu-west-1' } });
  });
});

describe('unreachableEndpointError', () => {
  const local = resolveTarget({ env: {} });

  it('recognises a refused connection deep in the cause chain, and in an AggregateError', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4566'), { code: 'ECONNREFUSED' });
    const wrapped = new Error('could not list the queues', { cause: new AggregateError([refused]) });
    const error = unreachableEndpointError(wrapped, local);
    expect(error).toBeInstanceOf(EndpointUnreachableError);
    expect(error?.message).toBe('no AWS API answers at http://127.0.0.1:4566 (start the local cloud with npm start, or pass --endpoint)');
    expect(error?.cause).toBe(wrapped);
  });

  it('leaves an error of the service alone', () => {
    expect(unreachableEndpointError(Object.assign(new Error('Access denied'), { name: 'AccessDenied' }), local)).toBeUndefined();
  });
});
