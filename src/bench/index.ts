// `npm run bench [-- name…]`: prints figures; asserts nothing. Machines here are shared and noisy,
// so each bench compares ratios measured within one run rather than absolute times across runs.
const BENCHES: Record<string, () => Promise<void>> = {
  queue: async () => (await import("./queue-bench.js")).queueBench(),
  tts: async () => (await import("./tts-bench.js")).ttsBench(),
  audio: async () => (await import("./audio-bench.js")).audioBench(),
  mcp: async () => (await import("./mcp-bench.js")).mcpBench(),
  artifacts: async () => (await import("./artifacts-bench.js")).artifactsBench(),
  footprint: async () => (await import("./footprint-bench.js")).footprintBench(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : Object.keys(BENCHES);
for (const name of names) {
  const run = BENCHES[name];
  if (!run) {
    process.stderr.write(`unknown bench ${name}; have ${Object.keys(BENCHES).join(", ")}\n`);
    process.exit(2);
  }
  process.stdout.write(`\n## ${name}\n`);
  const t0 = performance.now();
  await run();
  process.stdout.write(`(${name} bench took ${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
}
process.exit(0);
