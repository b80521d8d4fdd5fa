import { describe, expect, it } from 'vitest';
import { parseBenchArguments } from '../../bench/cli-options.ts';

const GROUPS = ['sqs', 'events', 'functions'] as const;

describe('parseBenchArguments', () => {
  it('runs every group when no group is named', () => {
    expect(parseBenchArguments([], GROUPS).groups).toEqual(['sqs', 'events', 'functions']);
  });

  it.each([[['--only', 'functions,sqs']], [['--only=functions, sqs']]])('runs only the groups %j names, in registration order', (args) => {
    expect(parseBenchArguments(args, GROUPS).groups).toEqual(['sqs', 'functions']);
  });

  it.each([
    { args: ['--only', 'sqs,e2e'], message: 'Unknown group e2e; the groups are sqs, events, functions' },
    { args: ['--only'], message: '--only needs a comma-separated list of groups' },
    { args: ['--fast'], message: 'Unknown argument --fast' },
  ])('rejects $args', ({ args, message }) => {
    expect(() => parseBenchArguments(args, GROUPS)).toThrow(message);
  });
});
