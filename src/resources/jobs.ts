import { McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { json, one } from "./util.js";
import { withTable } from "../core/ids.js";
import { completeIds } from "./uris.js";

export function registerJobResources(server: McpServer, deps: ResourceDeps): void {
  server.registerResource(
    "job",
    new ResourceTemplate("podcast://jobs/{id}", {
      list: undefined,
      complete: { id: async (v: string) => completeIds(await deps.podcasts.recentJobIds(50), "command", v) },
    }),
    { title: "Podcast job", description: "Status, progress, result or error of one job. Subscribe to be told when it changes.", mimeType: "application/json" },
    async (uri, vars) => json(uri, await deps.podcasts.jobStatus(withTable("command", one(vars.id), "job_id"))),
  );
}
