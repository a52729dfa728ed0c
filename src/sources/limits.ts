// Size limits for content, in one place so the service (at submission) and the pipeline (at run
// time) refuse the same things with the same words.

/** Plain text an episode may be written from. ~200k chars is ~50k tokens: beyond that an outline stops being a summary. */
export const MAX_CONTENT_CHARS = 200_000;
/** Raw bytes read from one file or URL before extraction (HTML is mostly markup, so this is larger). */
export const MAX_SOURCE_BYTES = 5 * 1024 * 1024;
/** How long one URL may take to answer and send its body. */
export const URL_TIMEOUT_MS = 15_000;
/** A ready script: turns and characters per turn (OpenAI TTS takes at most 4096 characters per request). */
export const MAX_SCRIPT_TURNS = 2_000;
export const MAX_TURN_CHARS = 4_000;
/** Raw bytes of one PDF, Word or EPUB file: books and reports with figures run to tens of MB. */
export const MAX_DOCUMENT_BYTES = 50 * 1024 * 1024;
/** Pages read from one PDF: a 500-page book is ~1M characters, five times what an episode can use. */
export const MAX_PDF_PAGES = 500;
/** Bytes a Word or EPUB file may unpack to (a zip bomb of a few KB can claim gigabytes). */
export const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;
/**
 * Elements in a web page beyond which the article finder (synchronous, ~0.3 ms an element on a
 * loaded 2-core machine) is skipped and the plain extractor reads the page. News articles have
 * 1,000-5,000 elements.
 */
export const MAX_ARTICLE_ELEMENTS = 10_000;
/**
 * How long turning one document into text may take. Extraction runs inside the server process; a
 * 100-page PDF takes ~2 s on a loaded 2-core machine (pdf.ts), so this only stops pathological files
 * from holding a call for minutes.
 */
export const EXTRACT_TIMEOUT_MS = 30_000;
