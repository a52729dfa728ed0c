// Sources → plain text for the writer. One entry point for every kind of source, so notebooks,
// the generate CLI and the pipeline all refuse the same things with the same messages.
import { invalidInput } from "../../errors.js";
import { readTextFile, type TextFormat } from "./file.js";
import { htmlToText } from "./html.js";
import { MAX_CONTENT_CHARS } from "./limits.js";
import { markdownToText } from "./markdown.js";
import { normalizeText } from "./normalize.js";
import { fetchPage, type FetchOptions } from "./url.js";

export { MAX_CONTENT_CHARS, MAX_SCRIPT_TURNS, MAX_SOURCE_BYTES, MAX_TURN_CHARS, URL_TIMEOUT_MS } from "./limits.js";
export { FILE_EXTENSIONS } from "./file.js";
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
      if (source.text.length > maxChars * 4) throw invalidInput("text", `must be at most ${maxChars} characters (got ${source.text.length})`);
      const text = source.kind === "markdown" ? markdownToText(source.text) : normalizeText(source.text);
      result = { text, title: source.title ?? firstLineTitle(text), origin: undefined, bytes: Buffer.byteLength(source.text) };
      break;
    }
    case "file": {
      field = "file";
      const file = await readTextFile(source.path, opts.maxBytes);
      const { text, title } = toText(file.text, file.format);
      result = { text, title: title ?? file.name, origin: file.name, bytes: file.bytes };
      break;
    }
    case "url": {
      field = "url";
      if (typeof source.url !== "string") throw invalidInput("url", "must be a string");
      const page = await fetchPage(source.url, opts);
      const { text, title } = toText(page.text, page.format);
      result = { text, title: title ?? new URL(page.url).host, origin: page.url, bytes: page.bytes };
      break;
    }
    default:
      throw invalidInput("kind", `must be one of text, markdown, file, url (got ${JSON.stringify((source as { kind?: unknown })?.kind ?? null)})`);
  }
  if (!result.text) throw invalidInput(field, `${result.origin ? `${result.origin}: ` : ""}has no readable text`);
  if (result.text.length > maxChars) {
    throw invalidInput(field, `${result.origin ? `${result.origin}: ` : ""}must be at most ${maxChars} characters of text (got ${result.text.length})`);
  }
  return result;
}

function toText(raw: string, format: TextFormat): { text: string; title: string | undefined } {
  if (format === "html") return htmlToText(raw);
  if (format === "markdown") {
    const heading = /^ {0,3}#\s+(.+?)\s*#*\s*$/m.exec(raw)?.[1];
    return { text: markdownToText(raw), title: heading ? markdownToText(heading) : undefined };
  }
  return { text: normalizeText(raw), title: undefined };
}

function firstLineTitle(text: string): string | undefined {
  const line = text.split("\n", 1)[0]?.trim();
  if (!line) return undefined;
  return line.length <= 80 ? line : `${line.slice(0, 77).trimEnd()}…`;
}
