// EPUB → text: the chapters in spine (reading) order, each through the HTML extractor, each under
// its title from the table of contents (EPUB 3 nav document, else the EPUB 2 NCX) as a `#` heading
// unless the chapter already opens with that heading. The navigation document itself is not read
// aloud. Every entry is read within the archive's unpack budget (zip.ts).
import { DOMParser } from "linkedom";
import { invalidInput } from "../errors.js";
import { Deadline, type DocumentContext } from "./deadline.js";
import { htmlToText } from "./html.js";
import { normalizeText } from "./normalize.js";
import { openArchive, readEntryText, resolveEntry, type Archive } from "./zip.js";

/** Spine items read: a book has tens to hundreds; thousands mean a malformed or hostile file. */
const MAX_CHAPTERS = 2_000;

interface ManifestItem {
  href: string;
  mediaType: string;
  properties: string;
}

interface XmlElement {
  getAttribute(name: string): string | null;
  readonly children: ArrayLike<XmlElement>;
  textContent: string | null;
  localName?: string;
  tagName: string;
}
type XmlRoot = { documentElement: XmlElement | null };

/**
 * Elements under `node` by local name, in document order: OPF and NCX files are written with
 * prefixes (opf:item) or without, and linkedom's XML documents answer no getElementsByTagName("*").
 */
function all(node: XmlElement | XmlRoot, tag: string): XmlElement[] {
  const name = (e: XmlElement) => (e.localName ?? e.tagName).replace(/^.*:/, "").toLowerCase();
  const out: XmlElement[] = [];
  const start =
    "documentElement" in node ? (node.documentElement ? [node.documentElement] : []) : Array.from(node.children);
  const stack = start.reverse();
  while (stack.length) {
    const e = stack.pop()!;
    if (name(e) === tag) out.push(e);
    for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]!);
  }
  return out;
}

function parseXml(xml: string): XmlRoot {
  return new DOMParser().parseFromString(xml, "text/xml") as unknown as XmlRoot;
}

const comparable = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

export async function epubToText(
  data: Buffer,
  ctx: DocumentContext,
  maxUnzippedBytes?: number,
): Promise<{ text: string; title: string | undefined }> {
  const deadline = new Deadline(ctx);
  const archive = await openArchive(data, ctx, deadline, "EPUB", maxUnzippedBytes);
  const bad = (why: string) => invalidInput(ctx.field, `${ctx.name}: is not a readable EPUB (${why})`);

  const container = await readEntryText(archive, "META-INF/container.xml");
  if (!container) throw bad("no META-INF/container.xml");
  const opfPath = all(parseXml(container), "rootfile")[0]?.getAttribute("full-path");
  if (!opfPath) throw bad("the container names no package file");
  const opfXml = await readEntryText(archive, resolveEntry("", opfPath));
  if (!opfXml) throw bad(`no package file ${opfPath}`);
  const opf = parseXml(opfXml);

  const manifest = new Map<string, ManifestItem>();
  for (const item of all(opf, "item")) {
    const id = item.getAttribute("id");
    const href = item.getAttribute("href");
    if (!id || !href) continue;
    manifest.set(id, {
      href: resolveEntry(opfPath, href),
      mediaType: item.getAttribute("media-type") ?? "",
      properties: item.getAttribute("properties") ?? "",
    });
  }
  const spine = all(opf, "itemref")
    .filter((r) => r.getAttribute("linear") !== "no")
    .map((r) => manifest.get(r.getAttribute("idref") ?? ""));
  const chapters = spine.filter(
    (i): i is ManifestItem => !!i && /html/.test(i.mediaType) && !/\bnav\b/.test(i.properties),
  );
  if (chapters.length === 0) throw bad("its spine lists no chapters");
  if (chapters.length > MAX_CHAPTERS)
    throw invalidInput(ctx.field, `${ctx.name}: has ${chapters.length} chapters; at most ${MAX_CHAPTERS} are read`);

  const titles = await tableOfContents(archive, manifest, all(opf, "spine")[0]?.getAttribute("toc") ?? undefined);
  const parts: string[] = [];
  for (const chapter of chapters) {
    deadline.check();
    const xhtml = await readEntryText(archive, chapter.href);
    if (!xhtml) continue;
    const { text } = htmlToText(xhtml);
    const title = titles.get(chapter.href);
    const opening = /^#{1,6} (.*)$/m.exec(text.split("\n\n", 1)[0] ?? "")?.[1];
    if (title && (!opening || comparable(opening) !== comparable(title))) parts.push(`# ${title}`);
    if (text) parts.push(text);
  }
  const bookTitle = all(opf, "title")[0]?.textContent;
  return {
    text: normalizeText(parts.join("\n\n")),
    title: bookTitle ? normalizeText(bookTitle).replace(/\n/g, " ") || undefined : undefined,
  };
}

/** Chapter file → its title in the table of contents (the first entry that points into the file). */
async function tableOfContents(
  archive: Archive,
  manifest: Map<string, ManifestItem>,
  ncxId: string | undefined,
): Promise<Map<string, string>> {
  const titles = new Map<string, string>();
  const add = (from: string, href: string | null, label: string | null | undefined) => {
    const title = label?.replace(/\s+/g, " ").trim();
    if (!href || !title) return;
    const target = resolveEntry(from, href);
    if (!titles.has(target)) titles.set(target, title);
  };
  const nav = [...manifest.values()].find((i) => /\bnav\b/.test(i.properties));
  if (nav) {
    const xml = await readEntryText(archive, nav.href);
    if (xml) {
      // The nav document may hold several lists (toc, landmarks, page-list); only the toc names chapters.
      const navs = all(parseXml(xml), "nav");
      const toc = navs.find((n) => /\btoc\b/.test(n.getAttribute("epub:type") ?? "")) ?? navs[0];
      if (toc) for (const a of all(toc, "a")) add(nav.href, a.getAttribute("href"), a.textContent);
    }
  }
  const ncx =
    (ncxId ? manifest.get(ncxId) : undefined) ??
    [...manifest.values()].find((i) => i.mediaType === "application/x-dtbncx+xml");
  if (ncx && titles.size === 0) {
    const xml = await readEntryText(archive, ncx.href);
    if (xml) {
      // A navPoint's own label and target come before its children's.
      for (const point of all(parseXml(xml), "navpoint")) {
        add(ncx.href, all(point, "content")[0]?.getAttribute("src") ?? null, all(point, "text")[0]?.textContent);
      }
    }
  }
  return titles;
}
