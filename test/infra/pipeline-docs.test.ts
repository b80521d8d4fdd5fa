import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '#infra/function-defaults';
import { README_SECTIONS, ReadmeSection, readmeSection } from '#infra/pipeline-docs';

const README = path.join(PROJECT_ROOT, 'README.md');

describe('README.md', () => {
  it.each(Object.values(ReadmeSection))("shows the %s as the pipeline's declaration renders it", (section) => {
    // Prepare
    const expected = README_SECTIONS[section]();

    // Act
    const shown = readmeSection(readFileSync(README, 'utf8'), section);

    // Assess
    expect(
      shown,
      `README.md's ${section} does not match the pipeline's declaration (functions/shared/pipeline.ts). Replace the lines between <!-- begin ${section} --> and <!-- end ${section} --> with:\n\n${expected}\n`,
    ).toBe(expected);
  });
});
