// Bytes of one document (a file's or a URL's body) → text and title, by format. Files and URLs
// share this, so a PDF reads the same from disk as from the web.
//
// The readers are imported on first use: mammoth and linkedom take ~0.5 s each to load (measured on
// this machine), which a server that never sees a Word file or a web page should not pay at start.
import { invalidInput } from "../errors.js";
import type { DocumentContext } from "./deadline.js";
import { FORMAT_NAMES, hasSignature, isDocumentFormat, type Format } from "./formats.js";
import { EXTRACT_TIMEOUT_MS } from "./limits.js";
import { markdownToText } from "./markdown.js";
import { normalizeText } from "./normalize.js";
import { decodeText } from "./url.js";

export interface DocumentOptions {
  /** The body's Content-Type, for its charset (URLs only). */
  contentType?: string;
  signal?: AbortSignal | undefined;
  /** Time allowed to turn one document into text (default EXTRACT_TIMEOUT_MS). */
  timeoutMs?: number | undefined;
  /** Pages read from a PDF at most (default MAX_PDF_PAGES). */
  maxPages?: number | undefined;
  /** Bytes a Word or EPUB file may unpack to (default MAX_UNZIPPED_BYTES). */
  maxUnzippedBytes?: number | undefined;
}

export interface DocumentText {
  text: string;
  title: string | undefined;
}

export async function documentToText(
  data: Buffer,
  format: Format,
  where: { field: string; name: string },
  opts: DocumentOptions = {},
): Promise<DocumentText> {
  const ctx: DocumentContext = { ...where, signal: opts.signal, timeoutMs: opts.timeoutMs ?? EXTRACT_TIMEOUT_MS };
  if (isDocumentFormat(format)) {
    if (!hasSignature(format, data))
      throw invalidInput(
        where.field,
        `${where.name}: is not ${FORMAT_NAMES[format]} file (its content does not start like one)`,
      );
    if (format === "pdf") {
      const { pdfToText } = await import("./pdf.js");
      return pdfToText(data, ctx, opts.maxPages === undefined ? {} : { maxPages: opts.maxPages });
    }
    if (format === "docx") return (await import("./docx.js")).docxToText(data, ctx, opts.maxUnzippedBytes);
    return (await import("./epub.js")).epubToText(data, ctx, opts.maxUnzippedBytes);
  }
  const contentType = opts.contentType ?? "";
  // Without a declared charset the bytes must be UTF-8 text; NUL bytes mean a binary file.
  if (!/charset=/i.test(contentType) && data.includes(0)) {
    throw invalidInput(where.field, `${where.name}: looks binary (contains NUL bytes), expected text`);
  }
  const raw = decodeText(data, contentType, format);
  if (format === "html") return (await import("./article.js")).webPageToText(raw);
  if (format === "markdown") {
    const heading = /^ {0,3}#\s+(.+?)\s*#*\s*$/m.exec(raw)?.[1];
    return { text: markdownToText(raw), title: heading ? markdownToText(heading) : undefined };
  }
  return { text: normalizeText(raw), title: undefined };
}
