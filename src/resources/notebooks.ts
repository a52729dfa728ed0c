import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { completeIds } from "./uris.js";
import { json, one, reading } from "./util.js";

export function registerNotebookResources(server: McpServer, deps: ResourceDeps, era: "legacy" | "modern"): void {
  const ids = async () => (await deps.podcasts.listNotebooks()).map((n) => String(n.id));
  server.registerResource(
    "notebook",
    new ResourceTemplate("podcast://notebooks/{id}", {
      // Names are unique (two notebooks may share a title) and say what each entry is.
      list: async () => ({
        resources: (await deps.podcasts.listNotebooks()).map((n) => ({
          uri: `podcast://notebooks/${n.id}`,
          name: `notebook ${n.id}`,
          title: `Notebook: ${n.name} (${n.source_count} sources)`,
          mimeType: "application/json",
        })),
      }),
      complete: { id: async (v: string) => completeIds(await ids(), "notebook", v) },
    }),
    { title: "One notebook", description: "A notebook with its sources", mimeType: "application/json" },
    reading(era, async (uri, vars) => json(uri, await deps.podcasts.getNotebook(one(vars.id)))),
  );
}
