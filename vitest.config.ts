import { defineConfig } from "vitest/config";
import { testsOf } from "./test/tiers.js";

// Three tiers (test/tiers.ts): `unit` needs no build and runs in seconds; `db` opens the embedded
// engine; `e2e` starts real processes (DB host, workers, servers) against the built dist/, so it runs
// after `npm run build:dev`. `npm test` runs all three. Files run in separate forks; 2 cores here.
const shared = { pool: "forks" as const, testTimeout: 60_000, hookTimeout: 60_000, teardownTimeout: 20_000 };

export default defineConfig({
  test: {
    reporters: ["default", "./test/helpers/summary-reporter.ts"],
    maxWorkers: 2,
    projects: [
      { test: { ...shared, name: "unit", include: testsOf("unit") } },
      { test: { ...shared, name: "db", include: testsOf("db") } },
      { test: { ...shared, name: "e2e", include: testsOf("e2e") } },
    ],
  },
});
