import { defineTool } from "./define.js";
import { NotebookOut } from "./schemas.js";
import { NotebookInput } from "../podcasts/validation.js";

export const createNotebook = defineTool({
  name: "create_notebook",
  title: "Create a notebook",
  description:
    "Create a notebook to collect sources (texts, files, URLs) with add_source, then turn it into an episode with generate_podcast notebook_id.",
  input: NotebookInput,
  output: NotebookOut,
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  run: (args, { podcasts }) => podcasts.createNotebook(args),
});
