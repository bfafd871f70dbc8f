import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Several suites run the built CLI as a child process; a busy CI machine must not turn that into failures.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
