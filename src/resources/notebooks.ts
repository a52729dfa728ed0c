import { McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ResourceDeps } from "./deps.js";
import { json, one } from "./util.js";
import { completeIds } from "./uris.js";

export function registerNotebookResources(server: McpServer, deps: ResourceDeps): void {
  const ids = async () => (await deps.podcasts.listNotebooks()).map((n) => String(n.id));
  server.registerResource(
    "notebook",
    new ResourceTemplate("podcast://notebooks/{id}", {
      list: async () => ({ resources: (await deps.podcasts.listNotebooks()).map((n) => ({ uri: `podcast://notebooks/${n.id}`, name: String(n.name), mimeType: "application/json" })) }),
      complete: { id: async (v: string) => completeIds(await ids(), "notebook", v) },
    }),
    { title: "Notebook", description: "A notebook with its sources", mimeType: "application/json" },
    async (uri, vars) => json(uri, await deps.podcasts.getNotebook(one(vars.id))),
  );
}
