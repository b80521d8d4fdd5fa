import { defineConfig } from 'vitest/config';
import { SDK_NODE_NOTICE_OPT_OUT } from './local-cloud/sdk-node-notice.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // The files run one after another in one process that keeps the modules it loaded: loading
    // aws-cdk-lib, the SDK and the local cloud again for each of 100-odd files took a sixth of
    // the run. Nothing a file sets may outlive it: it stops what it starts and mocks only its
    // own client instances (never the SDK's classes, which every file shares).
    isolate: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // expect.poll's 1 s default is shorter than a worker thread's cold start with both cores of a
    // 2-core machine busy: the value waited for is the same, only the wait for it may be longer.
    expect: { poll: { timeout: 10_000 } },
    env: {
      // Handlers log and emit metrics to stdout; tests assert on behaviour, not on that output.
      POWERTOOLS_LOG_LEVEL: 'SILENT',
      POWERTOOLS_METRICS_DISABLED: 'true',
      ...SDK_NODE_NOTICE_OPT_OUT,
    },
  },
});
