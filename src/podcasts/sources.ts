// A caller's source ({text} | {file} | {url}) → plain text, through the pipeline's one extractor,
// so notebooks, generate_podcast and the generate CLI refuse the same things with the same words.
import { AppError, invalidInput } from "../errors.js";
import { extractText, type ExtractedText, type Source } from "../sources/index.js";
import type { SourceInput } from "./validation.js";

export type SourceKind = "text" | "markdown" | "file" | "url";

export interface ExtractedSource extends ExtractedText {
  kind: SourceKind;
  title: string;
  url: string | undefined;
  fileName: string | undefined;
}

/** Pasted text that uses markdown syntax (headings, lists, links, emphasis, fences) is read as markdown. */
export function looksLikeMarkdown(text: string): boolean {
  return /^(#{1,6}\s|\s*[-*+]\s|\s*\d+\.\s|```|>\s)|\*\*[^*]+\*\*|\[[^\]]+\]\([^)]+\)/m.test(text);
}

export function toExtractorSource(s: SourceInput): { source: Source; kind: SourceKind } {
  if ("text" in s) {
    if (!s.text.trim()) throw invalidInput("text", "must not be empty");
    const kind = looksLikeMarkdown(s.text) ? "markdown" : "text";
    return { source: { kind, text: s.text, title: s.title }, kind };
  }
  if ("file" in s) return { source: { kind: "file", path: s.file }, kind: "file" };
  return { source: { kind: "url", url: s.url }, kind: "url" };
}

/**
 * Who may be asking. "remote": the server is reachable from other machines (HTTP on a
 * non-loopback address), so a caller must not make it read its own files or fetch URLs on its
 * private network: file sources are refused and URLs must resolve to public hosts.
 */
export type SourceExposure = "local" | "remote";

export interface ExtractSourceOptions {
  maxChars?: number;
  exposure?: SourceExposure;
  /** Directories file sources may never come from (links resolved first): the server's data dir. */
  deniedDirs?: readonly string[];
}

export async function extractSource(
  s: SourceInput,
  field: string,
  opts: ExtractSourceOptions = {},
): Promise<ExtractedSource> {
  const { source, kind } = toExtractorSource(s);
  const remote = opts.exposure === "remote";
  if (remote && kind === "file") {
    throw invalidInput(
      `${field}.file`,
      "local files are not read when the server is reachable from other machines; send the text instead",
    );
  }
  let got: ExtractedText;
  try {
    got = await extractText(source, {
      ...(opts.maxChars === undefined ? {} : { maxChars: opts.maxChars }),
      ...(opts.deniedDirs === undefined ? {} : { deniedDirs: opts.deniedDirs }),
      ...(remote ? { publicHostsOnly: true } : {}),
    });
  } catch (err) {
    // Prefix the caller's field (e.g. sources[2]) so they know which source broke which rule.
    if (err instanceof AppError && err.kind === "invalid_input") {
      const inner = err.field ?? "source";
      const message = err.message.startsWith(`${inner}: `) ? err.message.slice(inner.length + 2) : err.message;
      throw new AppError("invalid_input", `${field}.${inner}: ${message}`, { field: `${field}.${inner}`, cause: err });
    }
    throw err;
  }
  return {
    ...got,
    kind,
    title: (s.title ?? got.title ?? "").trim().slice(0, 200),
    url: kind === "url" ? got.origin : undefined,
    fileName: kind === "file" ? got.origin : undefined,
  };
}

/**
 * Several texts as one, in order, each under its title as a heading line (the writers cut and name
 * segments by headings). One text stands as it is; a text that already opens with its title as a
 * heading is not given it twice.
 */
export function joinTexts(parts: { title: string; text: string }[]): string {
  if (parts.length === 1) return parts[0]!.text;
  return parts
    .map((p) => {
      const title = p.title.trim();
      const firstLine = (p.text.split("\n", 1)[0] ?? "").replace(/^#{1,6}\s+/, "").trim();
      return title && firstLine !== title ? `# ${title}\n\n${p.text}` : p.text;
    })
    .join("\n\n");
}
