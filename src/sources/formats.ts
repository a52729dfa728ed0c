// The kinds of document a source may be, and how a file name or a content type names them: one
// table for files and URLs, so both accept and refuse the same things.

export type TextFormat = "text" | "markdown" | "html";
export type DocumentFormat = "pdf" | "docx" | "epub";
export type Format = TextFormat | DocumentFormat;

export const EXTENSION_FORMATS: Record<string, Format> = {
  ".txt": "text",
  ".text": "text",
  ".md": "markdown",
  ".markdown": "markdown",
  ".mdown": "markdown",
  ".html": "html",
  ".htm": "html",
  ".xhtml": "html",
  ".pdf": "pdf",
  ".docx": "docx",
  ".epub": "epub",
};
export const FILE_EXTENSIONS = Object.keys(EXTENSION_FORMATS);

export const MIME_FORMATS: Record<string, Format> = {
  "text/html": "html",
  "application/xhtml+xml": "html",
  "text/plain": "text",
  "text/markdown": "markdown",
  "text/x-markdown": "markdown",
  "application/pdf": "pdf",
  "application/x-pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/epub+zip": "epub",
};
/** Servers that do not know a file's type send these; the URL's extension decides then. */
export const GENERIC_MIMES = new Set(["application/octet-stream", "binary/octet-stream", "application/download"]);

export function isDocumentFormat(format: Format): format is DocumentFormat {
  return format === "pdf" || format === "docx" || format === "epub";
}

/** The first bytes each binary format must start with: a wrong extension is named, not parsed. */
export function hasSignature(format: DocumentFormat, data: Uint8Array): boolean {
  if (format === "pdf") {
    // The header may follow up to 1 KiB of junk (PDF 1.7 §7.5.2 implementation note), as readers allow.
    return Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, 1024)).includes("%PDF-");
  }
  return data[0] === 0x50 && data[1] === 0x4b && data[2] === 0x03 && data[3] === 0x04; // "PK\3\4": a zip
}

export const FORMAT_NAMES: Record<DocumentFormat, string> = { pdf: "a PDF", docx: "a Word (.docx)", epub: "an EPUB" };
