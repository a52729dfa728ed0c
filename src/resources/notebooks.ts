import { McpServer, ResourceTemplate } from "@modelcontextprotocol/server";
import type { ToolDeps } from "../tools/deps.js";
import { json, one } from "./util.js";
import { withTable } from "./uris.js";

export function registerNotebookResources(server: McpServer, deps: ToolDeps): void {
  const ids = async () => (await deps.podcasts.listNotebooks()).map((n) => String(n.id));
  server.registerResource(
    "notebook",
    new ResourceTemplate("podcast://notebooks/{id}", {
      list: async () => ({ resources: (await deps.podcasts.listNotebooks()).map((n) => ({ uri: `podcast://notebooks/${n.id}`, name: String(n.name), mimeType: "application/json" })) }),
      complete: { id: async (v: string) => (await ids()).filter((id) => id.startsWith(v) || id.replace(/^notebook:/, "").startsWith(v)) },
    }),
    { title: "Notebook", description: "A notebook with its sources", mimeType: "application/json" },
    async (uri, vars) => json(uri, await deps.podcasts.getNotebook(withTable("notebook", one(vars.id)))),
  );
}
