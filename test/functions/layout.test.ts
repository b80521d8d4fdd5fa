import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/function-defaults';
import { HTTP_FUNCTION_NAMES, STEP_NAMES } from '#shared/pipeline-graph';

const FUNCTION_NAMES: readonly string[] = [...HTTP_FUNCTION_NAMES, ...STEP_NAMES];

describe('functions/: one folder per declared function', () => {
  it.each(FUNCTION_NAMES)('%s has its handler and its tests', (name) => {
    const entry = path.join('functions', name, 'index.ts');
    const tests = path.join('test', 'functions', name, 'handler.test.ts');

    expect(existsSync(path.join(PROJECT_ROOT, entry)), `add ${entry}, its Lambda entry point (README "Adding a step")`).toBe(true);
    expect(existsSync(path.join(PROJECT_ROOT, tests)), `add ${tests}, the tests of ${name}'s handler (README "Adding a step")`).toBe(true);
  });

  it('has no folder the declaration does not name (functions/shared holds what they share)', () => {
    const folders = readdirSync(path.join(PROJECT_ROOT, 'functions'), { withFileTypes: true }).filter((entry) => entry.isDirectory() && entry.name !== 'shared').map((entry) => entry.name);

    expect(folders.filter((folder) => !FUNCTION_NAMES.includes(folder)), 'declare each of these in functions/shared/pipeline.ts, or remove it').toEqual([]);
  });
});
