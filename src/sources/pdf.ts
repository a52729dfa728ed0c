// PDF → text with pdf.js (bundled by unpdf for Node, no worker: it runs in this thread, between
// awaits). pdf.js gives positioned text and the outline; pdf-layout.ts turns them into prose.
//
// Refused with the file named: encrypted files that need a password, files with no text layer
// (scans: reading them needs OCR), more than MAX_PDF_PAGES pages, and anything pdf.js cannot
// parse. pdf.js writes its warnings with console.log, which on the stdio transport would corrupt
// the protocol stream, so it runs with verbosity 0 (errors only, and those are thrown).
// Measured on the 2-core dev machine shared by ~9 sessions (load average ~16): a generated 100-page
// PDF of 400 words a page with an outline and running headers takes 1.7-2.6 s warm, 5.6 s on the
// first call (pdf.js loads); pdf.js's text extraction is most of it, the layout ~50-100 ms. pdf.js
// yields between pages, and the deadline (EXTRACT_TIMEOUT_MS) is checked between pages.
import { type getDocumentProxy, getResolvedPDFJS } from "unpdf";
import { AppError, invalidInput } from "../errors.js";
import { Deadline, type DocumentContext } from "./deadline.js";
import { MAX_PDF_PAGES } from "./limits.js";
import { layoutText, type OutlineHeading, type PdfLine, type PdfPageLines } from "./pdf-layout.js";

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;
type OutlineNode = Awaited<ReturnType<PdfDocument["getOutline"]>>[number];

/** At most this many bookmarks are used: a book's table of contents, not an index of every figure. */
const MAX_OUTLINE_ITEMS = 2_000;

export interface PdfOptions {
  maxPages?: number;
}

export async function pdfToText(
  data: Uint8Array,
  ctx: DocumentContext,
  opts: PdfOptions = {},
): Promise<{ text: string; title: string | undefined }> {
  const { field, name } = ctx;
  const deadline = new Deadline(ctx);
  const maxPages = opts.maxPages ?? MAX_PDF_PAGES;
  let doc: PdfDocument | undefined;
  try {
    const { getDocument } = await getResolvedPDFJS();
    // A copy: pdf.js may take ownership of the buffer it is given. Fonts are parsed for their
    // character maps only: nothing is drawn, so no font faces and no system fonts.
    const task = getDocument({
      data: new Uint8Array(data),
      verbosity: 0,
      isEvalSupported: false,
      stopAtErrors: false,
      disableFontFace: true,
      useSystemFonts: false,
    });
    doc = await deadline.race(task.promise, () => void task.destroy());
  } catch (err) {
    throw openError(err, field, name);
  }
  const loaded = doc;
  try {
    if (loaded.numPages > maxPages)
      throw invalidInput(field, `${name}: has ${loaded.numPages} pages; at most ${maxPages} are read`);
    const title = await deadline.race(documentTitle(loaded), () => void loaded.destroy());
    const headings = await deadline.race(outlineHeadings(loaded), () => void loaded.destroy());
    const pages: PdfPageLines[] = [];
    for (let n = 1; n <= loaded.numPages; n++) {
      deadline.check();
      pages.push(await deadline.race(pageLines(loaded, n), () => void loaded.destroy()));
    }
    const text = layoutText(pages, headings);
    if (!/[\p{L}\p{N}]/u.test(text.replace(/^#{1,6} .*$/gm, ""))) {
      throw invalidInput(
        field,
        `${name}: has no text layer (a scanned or image-only PDF); run OCR on it first or paste its text`,
      );
    }
    return { text, title };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw invalidInput(field, `${name}: could not be read as a PDF (${(err as Error).message ?? String(err)})`);
  } finally {
    await loaded.destroy().catch(() => {});
  }
}

function openError(err: unknown, field: string, name: string): AppError {
  if (err instanceof AppError) return err;
  const e = err as { name?: string; message?: string };
  if (e.name === "PasswordException") {
    return invalidInput(
      field,
      `${name}: is encrypted (password-protected); save an unprotected copy or paste its text`,
    );
  }
  return invalidInput(field, `${name}: is not a readable PDF (${e.message ?? String(err)})`);
}

async function documentTitle(doc: PdfDocument): Promise<string | undefined> {
  const meta = await doc.getMetadata().catch(() => undefined);
  const title = (meta?.info as { Title?: unknown } | undefined)?.Title;
  return typeof title === "string" && title.trim() ? title.replace(/\s+/g, " ").trim() : undefined;
}

async function pageLines(doc: PdfDocument, n: number): Promise<PdfPageLines> {
  const page = await doc.getPage(n);
  try {
    const content = await page.getTextContent();
    const lines: PdfLine[] = [];
    let cur: (PdfLine & { end: number }) | undefined;
    const push = () => {
      if (cur?.text.trim())
        lines.push({ text: cur.text.replace(/\s+/g, " ").trim(), x: cur.x, y: cur.y, size: cur.size });
      cur = undefined;
    };
    for (const item of content.items) {
      if (!("str" in item)) continue; // marked-content boundaries carry no text
      const [, , c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
      const size = Math.hypot(c, d) || item.height || 10;
      if (item.str !== "") {
        // A baseline that moves by more than half a line is a new line (superscripts stay).
        if (cur && Math.abs(y - cur.y) > Math.min(size, cur.size) * 0.5) push();
        if (!cur) cur = { text: item.str, x, y, size, end: x + item.width };
        else {
          const gap = x - cur.end;
          if (gap > size * 0.15 && !/\s$/.test(cur.text) && !/^\s/.test(item.str)) cur.text += " ";
          cur.text += item.str;
          cur.end = x + item.width;
          cur.size = Math.max(cur.size, size);
        }
      }
      if (item.hasEOL) push();
    }
    push();
    return { lines, view: page.view };
  } finally {
    page.cleanup();
  }
}

/** The outline flattened in reading order, each bookmark with its depth and the page it points to. */
async function outlineHeadings(doc: PdfDocument): Promise<OutlineHeading[]> {
  const outline = await doc.getOutline().catch(() => null);
  if (!outline?.length) return [];
  const out: OutlineHeading[] = [];
  const walk = async (items: OutlineNode[], level: number) => {
    for (const item of items) {
      if (out.length >= MAX_OUTLINE_ITEMS) return;
      const title = typeof item.title === "string" ? item.title.replace(/\s+/g, " ").trim() : "";
      const target = title ? await destination(doc, item.dest) : undefined;
      if (target) out.push({ title, level: Math.min(level, 6), ...target });
      if (Array.isArray(item.items) && item.items.length) await walk(item.items as OutlineNode[], level + 1);
    }
  };
  await walk(outline, 1);
  return out;
}

async function destination(
  doc: PdfDocument,
  dest: OutlineNode["dest"],
): Promise<{ page: number; top: number | undefined } | undefined> {
  const explicit = typeof dest === "string" ? await doc.getDestination(dest).catch(() => null) : dest;
  if (!Array.isArray(explicit) || explicit.length < 2) return undefined; // a link to the web, or nowhere
  const ref = explicit[0];
  const page = typeof ref === "number" ? ref : await doc.getPageIndex(ref).catch(() => undefined);
  if (page === undefined || page < 0 || page >= doc.numPages) return undefined;
  const mode = (explicit[1] as { name?: string } | undefined)?.name;
  const raw = mode === "XYZ" ? explicit[3] : mode === "FitH" || mode === "FitBH" ? explicit[2] : undefined;
  return { page, top: typeof raw === "number" && Number.isFinite(raw) ? raw : undefined };
}
