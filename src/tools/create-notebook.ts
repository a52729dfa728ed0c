import { z } from "zod";
import { defineTool } from "./define.js";

export const createNotebook = defineTool({
  name: "create_notebook",
  title: "Create a notebook",
  description: "Create a notebook to collect sources (texts, files, URLs) with add_source, then turn it into an episode with generate_podcast notebook_id.",
  input: z.object({ name: z.string().trim().min(1, "must not be empty").max(200), description: z.string().max(2_000).optional() }).strict(),
  output: z.object({ id: z.string(), name: z.string() }).passthrough(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run: (args, { podcasts }) => podcasts.createNotebook(args),
});
