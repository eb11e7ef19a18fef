import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: { name: 'unit', include: ['src/**/*.test.ts', 'test/unit/**/*.test.ts'] },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 600_000,
          // One shared local cluster; files run in parallel against it, each in its own namespace.
          fileParallelism: true,
        },
      },
      {
        test: {
          // Machine-wide tests, one file at a time: this machine as a real node (one per machine), its
          // images through a private containerd, and a cluster big enough to page (its stopped ports free).
          name: 'system',
          include: ['test/system/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 900_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
