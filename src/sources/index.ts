// Sources → plain text for the writer. One entry point for every kind of source, so notebooks,
// the generate CLI and the pipeline all refuse the same things with the same messages.
//
// Every extractor writes one shape, which the writers rely on: paragraphs separated by one blank
// line; headings as `# ` … `###### ` lines; each list item, table row and quote line on a line of
// its own (one newline inside a block).
import { invalidInput } from "../errors.js";
import { documentToText } from "./documents.js";
import { readSourceFile } from "./file.js";
import { MAX_CONTENT_CHARS } from "./limits.js";
import { markdownToText } from "./markdown.js";
import { normalizeText } from "./normalize.js";
import { fetchPage, type FetchOptions } from "./url.js";

export {
  MAX_CONTENT_CHARS,
  MAX_DOCUMENT_BYTES,
  MAX_PDF_PAGES,
  MAX_SCRIPT_TURNS,
  MAX_SOURCE_BYTES,
  MAX_TURN_CHARS,
  URL_TIMEOUT_MS,
} from "./limits.js";
export { FILE_EXTENSIONS } from "./formats.js";
export { htmlToText } from "./html.js";
export { markdownToText } from "./markdown.js";
export { normalizeText } from "./normalize.js";
export { parseSourceUrl } from "./url.js";

export type Source =
  | { kind: "text"; text: string; title?: string | undefined }
  | { kind: "markdown"; text: string; title?: string | undefined }
  | { kind: "file"; path: string }
  | { kind: "url"; url: string };

export interface ExtractedText {
  text: string;
  /** The page <title>/first heading, the file name, or the caller's title. */
  title: string | undefined;
  /** The file's base name or the URL after redirects; undefined for pasted text. */
  origin: string | undefined;
  /** Bytes read (files, URLs) or UTF-8 bytes of the pasted text. */
  bytes: number;
}

export interface ExtractOptions extends FetchOptions {
  maxChars?: number;
  /**
   * Directories no file source may come from, judged after links are resolved. The server passes
   * its data dir: it holds the DB secret (db-host.json), the store and other callers' episodes.
   */
  deniedDirs?: readonly string[];
  /** Time allowed to turn one PDF, Word or EPUB document into text (default EXTRACT_TIMEOUT_MS). */
  extractTimeoutMs?: number;
  /** Pages read from a PDF at most (default MAX_PDF_PAGES). */
  maxPages?: number;
}

export async function extractText(source: Source, opts: ExtractOptions = {}): Promise<ExtractedText> {
  const maxChars = opts.maxChars ?? MAX_CONTENT_CHARS;
  let result: ExtractedText;
  let field: string;
  switch (source?.kind) {
    case "text":
    case "markdown": {
      field = "text";
      if (typeof source.text !== "string") throw invalidInput("text", "must be a string");
      // Checked before the work: a huge paste should not cost a markdown pass to refuse.
      if (source.text.length > maxChars * 4)
        throw invalidInput("text", `must be at most ${maxChars} characters (got ${source.text.length})`);
      const text = source.kind === "markdown" ? markdownToText(source.text) : normalizeText(source.text);
      result = {
        text,
        title: source.title ?? firstLineTitle(text),
        origin: undefined,
        bytes: Buffer.byteLength(source.text),
      };
      break;
    }
    case "file": {
      field = "file";
      const file = await readSourceFile(source.path, opts);
      const where = { field, name: file.name };
      const { text, title } = await documentToText(file.data, file.format, where, documentOptions(opts));
      result = { text, title: title ?? file.name, origin: file.name, bytes: file.data.length };
      break;
    }
    case "url": {
      field = "url";
      if (typeof source.url !== "string") throw invalidInput("url", "must be a string");
      const page = await fetchPage(source.url, opts);
      // Errors about the document name it by its URL (after redirects), as the caller knows it.
      const name = page.url.length > 200 ? `${page.url.slice(0, 199)}…` : page.url;
      const docOpts = { ...documentOptions(opts), contentType: page.contentType };
      const doc = await documentToText(page.body, page.format, { field, name }, docOpts);
      const title = doc.title ?? new URL(page.url).host;
      result = { text: doc.text, title, origin: page.url, bytes: page.body.length };
      break;
    }
    default:
      throw invalidInput(
        "kind",
        `must be one of text, markdown, file, url (got ${JSON.stringify((source as { kind?: unknown })?.kind ?? null)})`,
      );
  }
  if (!result.text) throw invalidInput(field, `${result.origin ? `${result.origin}: ` : ""}has no readable text`);
  if (result.text.length > maxChars) {
    throw invalidInput(
      field,
      `${result.origin ? `${result.origin}: ` : ""}must be at most ${maxChars} characters of text (got ${result.text.length})`,
    );
  }
  return result;
}

function documentOptions(opts: ExtractOptions) {
  return { signal: opts.signal, timeoutMs: opts.extractTimeoutMs, maxPages: opts.maxPages };
}

function firstLineTitle(text: string): string | undefined {
  const line = text.split("\n", 1)[0]?.trim();
  if (!line) return undefined;
  return line.length <= 80 ? line : `${line.slice(0, 77).trimEnd()}…`;
}
