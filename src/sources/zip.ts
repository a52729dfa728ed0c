// Word and EPUB files are zip archives. A zip's entries may claim any size and unpack to far more
// than the file (a few KB can inflate to gigabytes), so entries are read as streams that stop at a
// shared byte budget, and an archive is refused as soon as the budget runs out.
import JSZip from "jszip";
import { invalidInput } from "../errors.js";
import type { Deadline, DocumentContext } from "./deadline.js";
import { MAX_UNZIPPED_BYTES } from "./limits.js";

export interface Archive {
  zip: JSZip;
  ctx: DocumentContext;
  deadline: Deadline;
  /** Bytes that may still be unpacked from this archive. */
  budget: { left: number; max: number };
}

export async function openArchive(
  data: Uint8Array,
  ctx: DocumentContext,
  deadline: Deadline,
  kind: string,
  maxUnzipped = MAX_UNZIPPED_BYTES,
): Promise<Archive> {
  try {
    const zip = await JSZip.loadAsync(data, { checkCRC32: false, createFolders: false });
    return { zip, ctx, deadline, budget: { left: maxUnzipped, max: maxUnzipped } };
  } catch (err) {
    throw invalidInput(
      ctx.field,
      `${ctx.name}: is not a readable ${kind} file (${(err as Error).message ?? String(err)})`,
    );
  }
}

/** One entry's bytes, or undefined when the archive has no such entry. */
export async function readEntry(archive: Archive, entryPath: string, keep = true): Promise<Buffer | undefined> {
  const entry = archive.zip.file(entryPath);
  if (!entry || entry.dir) return undefined;
  const { ctx, budget } = archive;
  // jszip's stream is an old-style readable (events, not async iteration).
  const stream = entry.nodeStream("nodebuffer") as NodeJS.ReadableStream & { destroy?: () => void };
  const chunks: Buffer[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      stream.on("data", (chunk: Buffer) => {
        budget.left -= chunk.length;
        if (budget.left < 0) {
          stream.pause();
          reject(invalidInput(ctx.field, `${ctx.name}: unpacks to more than ${budget.max} bytes`));
        } else if (keep) chunks.push(chunk);
      });
      stream.once("end", () => resolve());
      stream.once("error", (err: Error) =>
        reject(
          invalidInput(ctx.field, `${ctx.name}: has a damaged entry ${entryPath} (${err.message ?? String(err)})`),
        ),
      );
    });
  } finally {
    stream.destroy?.();
  }
  return Buffer.concat(chunks);
}

export async function readEntryText(archive: Archive, entryPath: string): Promise<string | undefined> {
  const bytes = await readEntry(archive, entryPath);
  return bytes === undefined ? undefined : new TextDecoder("utf-8").decode(bytes);
}

/** Unpack every entry once, within the budget: a Word file is checked this way before mammoth reads it. */
export async function checkUnpackedSize(archive: Archive): Promise<void> {
  for (const entryPath of Object.keys(archive.zip.files)) {
    archive.deadline.check();
    await readEntry(archive, entryPath, false);
  }
}

/** Resolve a path written inside an archive entry (relative to that entry, "%20"-escaped) to an entry name. */
export function resolveEntry(from: string, href: string): string {
  const raw = href.split("#")[0]!.split("?")[0]!;
  let clean = raw;
  try {
    clean = decodeURIComponent(raw);
  } catch {
    // a stray "%" is a character of the name
  }
  const base = from.includes("/") ? from.slice(0, from.lastIndexOf("/") + 1) : "";
  const parts: string[] = [];
  for (const part of (clean.startsWith("/") ? clean.slice(1) : base + clean).split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}
