import { defineConfig } from "vitest/config";

// Tests start real processes (DB host, workers, servers) against the built dist/,
// so they run after `npm run build`. Files run in separate forks; the machine has 2 cores.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    teardownTimeout: 20_000,
  },
});
