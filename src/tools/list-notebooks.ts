import { z } from "zod";
import { defineTool } from "./define.js";
import { NotebookOut } from "./schemas.js";

export const listNotebooks = defineTool({
  name: "list_notebooks",
  title: "List notebooks",
  description:
    "Notebooks, newest first, with their number of sources. Read podcast://notebooks/{id} for one with its sources.",
  // A tool without parameters has an empty `properties`, which Gemini 1.5/2.0 refuse ("should be
  // non-empty for OBJECT type"); a limit is useful anyway.
  input: z
    .object({ limit: z.number().int().min(1).max(500).optional().describe("At most this many. Default: all") })
    .strict(),
  output: z.object({ notebooks: z.array(NotebookOut) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async ({ limit }, { podcasts }) => ({ notebooks: (await podcasts.listNotebooks()).slice(0, limit) }),
});
