// Test tiers, decided by what a test file uses, so a new file lands in the right one by itself:
//   e2e  — the built program and real processes (dist/, spawned servers, daemons, workers, hosts);
//   db   — the embedded SurrealDB engine in the test process, no build needed;
//   unit — everything else: pure code, seconds, no build (npm run test:unit).
// A file's tier is the heaviest thing it touches, through its direct imports of test helpers.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type Tier = "unit" | "db" | "e2e";

const E2E =
  /helpers\/mcp\.js|spawnCli|startDaemon|startWorker|startHost|worker\/cluster\.js|\bCLI\b|dist\/|chromium|s3rver|@modelcontextprotocol\/(client|sdk)/;
const DB =
  /useQueueDb|openTestDb|\.\/support\.js|podcasts\/support\.js|pipeline\/support\.js|startDbHost|connect\(|connectFromConfig|"mem:\/\/"|rocksdb:\/\//;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? walk(p) : e.name.endsWith(".test.ts") ? [p] : [];
  });
}

/** Every test file of the tier, as paths relative to the project root. */
export function testsOf(tier: Tier, root = process.cwd()): string[] {
  return walk(path.join(root, "test"))
    .filter((file) => {
      const text = readFileSync(file, "utf8");
      const t: Tier = E2E.test(text) ? "e2e" : DB.test(text) ? "db" : "unit";
      return t === tier;
    })
    .map((f) => path.relative(root, f));
}
