import { z } from "zod";
import { defineTool } from "./define.js";

export const listNotebooks = defineTool({
  name: "list_notebooks",
  title: "List notebooks",
  description: "Notebooks with their number of sources. Read podcast://notebooks/{id} for one with its sources.",
  input: z.object({}).strict(),
  output: z.object({ notebooks: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) }),
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async (_args, { podcasts }) => ({ notebooks: await podcasts.listNotebooks() }),
});
