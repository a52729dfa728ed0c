import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import { withTable } from "../core/ids.js";
import type { ResourceDeps } from "./deps.js";
import { completeIds } from "./uris.js";
import { json, one, reading } from "./util.js";

export function registerJobResources(server: McpServer, deps: ResourceDeps, era: "legacy" | "modern"): void {
  server.registerResource(
    "job",
    new ResourceTemplate("podcast://jobs/{id}", {
      list: undefined,
      complete: { id: async (v: string) => completeIds(await deps.podcasts.recentJobIds(50), "command", v) },
    }),
    {
      title: "One podcast job",
      description: "Status, progress, result or error of one job. Subscribe to be told when it changes.",
      mimeType: "application/json",
    },
    reading(era, async (uri, vars) =>
      json(uri, await deps.podcasts.jobStatus(withTable("command", one(vars.id), "job_id"))),
    ),
  );
}
