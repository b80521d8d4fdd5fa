/**
 * Synthesizes the CDK app once per test run, into a temporary directory, so every suite that
 * starts the local cloud runs the same assembly without synthesizing it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { synthesizeOrderPipeline } from '#local/synthesize';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The assembly directory of the synthesized OrderPipeline stack. */
    assemblyDirectory: string;
  }
}

export default function setup(project: TestProject): () => void {
  const outdir = mkdtempSync(join(tmpdir(), 'order-pipeline-assembly-'));
  project.provide('assemblyDirectory', synthesizeOrderPipeline(outdir).assemblyDirectory);
  return () => rmSync(outdir, { recursive: true, force: true });
}
