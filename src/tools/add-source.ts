import { z } from "zod";
import { defineTool } from "./define.js";
import { NotebookId } from "./schemas.js";
import { SourceInput } from "../podcasts/validation.js";

export const addSource = defineTool({
  name: "add_source",
  title: "Add a source to a notebook",
  description: "Add one source to a notebook: pasted text or markdown ({text}), a local file ({file}: .txt, .md, .html, .pdf, .docx, .epub) or a web page ({url}); its plain text is extracted and stored now.",
  input: z.object({ notebook_id: NotebookId, source: SourceInput }).strict(),
  output: z.object({ id: z.string(), notebook_id: z.string() }).passthrough(),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: ({ notebook_id, source }, { podcasts }) => podcasts.addSource(notebook_id, source),
});
