import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatTable, formatVerdicts, mergeResults, readResults, writeResults } from '../../bench/report.ts';

const directories: string[] = [];

afterEach(async () => {
  await Promise.all(directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** The path of a results file in a new temporary directory, removed after the test. */
async function aResultsFile(): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), 'bench-report-'));
  directories.push(directory);
  return path.join(directory, 'bench-results.json');
}

describe('results file', () => {
  it('replaces each freshly measured group whole and keeps the groups not run', async () => {
    // Prepare
    const file = await aResultsFile();
    await writeResults(file, { sqs: { ratioSingle: 0.5, ratioBatch: 0.6, stale: 1 }, e2e: { ordersPerSecond: 40 } });

    // Act
    const merged = mergeResults(await readResults(file), { sqs: { ratioSingle: 0.9, ratioBatch: 0.95 }, events: { perSecond: 5000 } });
    await writeResults(file, merged);

    // Assess
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      sqs: { ratioSingle: 0.9, ratioBatch: 0.95 },
      e2e: { ordersPerSecond: 40 },
      events: { perSecond: 5000 },
    });
  });

  it('reads a missing file as no results', async () => {
    expect(await readResults(await aResultsFile())).toEqual({});
  });

  it.each(['{ not json', '[1, 2]'])('refuses to read %s rather than overwrite it', async (content) => {
    // Prepare
    const file = await aResultsFile();
    await writeFile(file, content);

    // Act / Assess
    await expect(readResults(file)).rejects.toThrow(file);
  });
});

describe('formatTable', () => {
  it('prints plain figures as rows and lists of named records as sub-tables', () => {
    // Prepare
    const results = {
      sqs: { ratioSingle: 0.91234, localSingleMessagesPerSecond: 1032.7 },
      functions: { functions: [{ name: 'get-order', bundleBytes: 837554, initRatio: 1.9, warmUsPerRecord: null, sdkClients: ['a', 'b'] }] },
    };

    // Act
    const table = formatTable(results, ['sqs', 'functions']);

    // Assess
    expect(table.split('\n')).toEqual([
      '== sqs',
      'sqs.ratioSingle                   0.912',
      'sqs.localSingleMessagesPerSecond  1,033',
      '== functions',
      'functions.functions',
      'name       bundleBytes  initRatio  warmUsPerRecord  sdkClients',
      'get-order      837,554      1.900  -                a, b',
    ]);
  });

  it('flattens nested figures into dotted rows, and their lists of records into sub-tables', () => {
    // Prepare
    const results = { e2e: { p99Ms: 900, usage: { events: 5.1, functions: [{ name: 'ship-order', invocations: 0.7 }] } } };

    // Act
    const table = formatTable(results, ['e2e']);

    // Assess
    expect(table.split('\n')).toEqual(['== e2e', 'e2e.p99Ms           900', 'e2e.usage.events  5.100', 'e2e.usage.functions', 'name        invocations', 'ship-order        0.700']);
  });

  it('prints only the groups asked for', () => {
    expect(formatTable({ sqs: { ratioSingle: 1 }, events: { perSecond: 2 } }, ['events'])).toBe('== events\nevents.perSecond  2');
  });
});

describe('formatVerdicts', () => {
  it('marks met, missed and unjudged targets', () => {
    // Act
    const text = formatVerdicts([
      { target: 'sqs.ratioSingle >= 0.8', actual: 0.9, met: true },
      { target: 'functions[a].initRatio <= 1.3', actual: 1.7, met: false },
      { target: 'functions[a].warm', actual: null, met: undefined },
    ]);

    // Assess
    expect(text.split('\n')).toEqual([
      'ok      sqs.ratioSingle >= 0.8         0.900',
      'MISSED  functions[a].initRatio <= 1.3  1.700',
      'n/a     functions[a].warm              -',
    ]);
  });
});
