// Layer rules, checked in CI (`npm run lint:layers`). Arrows point the way imports may go:
//   cli → server-cli/worker/maker → server/http/tools/resources/prompts → podcasts → queue, db,
//   artifacts, sources, providers, script → core;  pipeline → providers, sources, script, core.
// Type-only imports are not runtime: they are allowed where a value import is not.
const runtime = { dependencyTypesNot: ["type-only"] };
const server = "^src/(server\\.ts|server-cli\\.ts|tools|resources|prompts|http|player|podcasts)/?";

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
    {
      name: "pipeline-is-a-function",
      comment: "The pipeline reaches the world only through its context: no domain, queue, worker or MCP.",
      severity: "error",
      from: { path: "^src/pipeline/" },
      to: { path: "^src/(podcasts|queue|worker|maker|tools|resources|prompts|http|server|db|artifacts)", ...runtime },
    },
    {
      name: "server-loads-no-pipeline",
      comment: "The MCP server validates, submits and reads: it never loads the worker or the pipeline's runtime.",
      severity: "error",
      from: { path: server },
      to: { path: "^src/(worker|maker|pipeline)/", ...runtime },
    },
    {
      name: "providers-and-sources-are-leaves",
      comment: "Speech engines, writers, text extraction and script rules know no domain, queue or MCP.",
      severity: "error",
      from: { path: "^src/(providers|sources|script)/" },
      to: { path: "^src/(podcasts|queue|worker|maker|tools|resources|prompts|http|server|pipeline|db|artifacts)", ...runtime },
    },
    {
      name: "queue-knows-no-domain",
      severity: "error",
      from: { path: "^src/queue/" },
      to: { path: "^src/(podcasts|worker|maker|pipeline|providers|tools|resources|prompts|http|server)", ...runtime },
    },
    {
      name: "db-and-core-are-the-floor",
      severity: "error",
      from: { path: "^src/(db|core|artifacts)/" },
      to: { path: "^src/(queue|podcasts|worker|maker|pipeline|providers|sources|script|tools|resources|prompts|http|server)", ...runtime },
    },
    {
      name: "no-test-code-in-production",
      comment: "src/testing and src/bench are dev-only: the production build leaves them out.",
      severity: "error",
      from: { path: "^src/", pathNot: "^src/(testing|bench)/" },
      to: { path: "^src/(testing|bench)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.dev.json" },
  },
};
