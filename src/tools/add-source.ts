import { z } from "zod";
import { defineTool } from "./define.js";
import { NotebookId } from "./schemas.js";
import { SourceInput } from "../podcasts/validation.js";

export const addSource = defineTool({
  name: "add_source",
  title: "Add a source to a notebook",
  description:
    "Add one source to a notebook: give exactly one of source.text (pasted text or markdown), " +
    "source.file (a local .txt, .md, .html, .pdf, .docx or .epub file) or source.url (a web page); " +
    "its plain text is extracted and stored now.",
  input: z.object({ notebook_id: NotebookId, source: SourceInput }).strict(),
  output: z.object({
    id: z.string(),
    notebook_id: z.string(),
    kind: z.enum(["text", "markdown", "file", "url"]),
    title: z.string(),
    url: z.string().optional().describe("The page's address after redirects"),
    file_name: z.string().optional(),
    size: z.number().int().min(0).describe("Characters of plain text stored"),
    bytes: z.number().int().min(0).describe("Bytes read"),
    created: z.string(),
  }),
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run: ({ notebook_id, source }, { podcasts }) => podcasts.addSource(notebook_id, source),
});
