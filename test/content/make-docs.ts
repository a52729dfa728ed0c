// Word (.docx) and EPUB files for tests, zipped with jszip: the parts Word and e-book readers
// write (content types, relationships, styles and numbering; container, package, nav, NCX), so
// mammoth and the EPUB reader are tested on real archives, not on mocks.
import JSZip from "jszip";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

export type DocxBlock =
  | { style: "Title" | "Subtitle" | "Heading1" | "Heading2"; text: string }
  | { p: string }
  | { bullets: string[] }
  | { numbered: string[] }
  | { table: string[][] };

const run = (text: string) => `<w:r><w:t xml:space="preserve">${esc(text)}</w:t></w:r>`;
const para = (text: string, pPr = "") => `<w:p>${pPr ? `<w:pPr>${pPr}</w:pPr>` : ""}${run(text)}</w:p>`;
const listItem = (text: string, numId: number) =>
  para(text, `<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="${numId}"/></w:numPr>`);

function blockXml(b: DocxBlock): string {
  if ("style" in b) return para(b.text, `<w:pStyle w:val="${b.style}"/>`);
  if ("p" in b) return para(b.p);
  if ("bullets" in b) return b.bullets.map((t) => listItem(t, 1)).join("");
  if ("numbered" in b) return b.numbered.map((t) => listItem(t, 2)).join("");
  const rows = b.table.map(
    (row) => `<w:tr>${row.map((cell) => `<w:tc><w:tcPr/>${para(cell)}</w:tc>`).join("")}</w:tr>`,
  );
  return `<w:tbl><w:tblPr/><w:tblGrid/>${rows.join("")}</w:tbl>`;
}

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const STYLES = [
  ["Title", "Title"],
  ["Subtitle", "Subtitle"],
  ["Heading1", "heading 1"],
  ["Heading2", "heading 2"],
  ["ListParagraph", "List Paragraph"],
]
  .map(([id, name]) => `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/></w:style>`)
  .join("");
const NUMBERING =
  `<w:numbering ${W}>` +
  `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">` +
  `<w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>` +
  `<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0">` +
  `<w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>` +
  `<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>` +
  `</w:numbering>`;

export async function makeDocx(
  blocks: DocxBlock[],
  opts: { title?: string; extra?: Record<string, Buffer> } = {},
): Promise<Buffer> {
  const zip = new JSZip();
  const rel = (id: string, type: string, target: string) =>
    `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/${type}" Target="${target}"/>`;
  const rels = (...r: string[]) =>
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
    `${r.join("")}</Relationships>`;
  zip.file(
    "[Content_Types].xml",
    `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
      `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
      `<Default Extension="xml" ContentType="application/xml"/>` +
      `<Override PartName="/word/document.xml" ` +
      `ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
      `</Types>`,
  );
  zip.file(
    "_rels/.rels",
    rels(
      rel("rId1", "officeDocument/2006/relationships/officeDocument", "word/document.xml"),
      rel("rId2", "package/2006/relationships/metadata/core-properties", "docProps/core.xml"),
    ),
  );
  zip.file(
    "word/_rels/document.xml.rels",
    rels(
      rel("rId1", "officeDocument/2006/relationships/styles", "styles.xml"),
      rel("rId2", "officeDocument/2006/relationships/numbering", "numbering.xml"),
    ),
  );
  zip.file("word/styles.xml", `<?xml version="1.0"?><w:styles ${W}>${STYLES}</w:styles>`);
  zip.file("word/numbering.xml", `<?xml version="1.0"?>${NUMBERING}`);
  zip.file(
    "word/document.xml",
    `<?xml version="1.0"?><w:document ${W}><w:body>${blocks.map(blockXml).join("")}</w:body></w:document>`,
  );
  zip.file(
    "docProps/core.xml",
    `<?xml version="1.0"?><cp:coreProperties ` +
      `xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
      `xmlns:dc="http://purl.org/dc/elements/1.1/">` +
      `${opts.title ? `<dc:title>${esc(opts.title)}</dc:title>` : ""}</cp:coreProperties>`,
  );
  for (const [name, data] of Object.entries(opts.extra ?? {})) zip.file(name, data);
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}

export interface EpubChapter {
  file: string;
  /** The chapter's XHTML body. */
  body: string;
  /** Its entry in the table of contents, if any. */
  tocTitle?: string;
}

/**
 * An EPUB: `spine` lists chapter files in reading order (the manifest lists them in `chapters`
 * order, which may differ). EPUB 3 with a nav document, or EPUB 2 with only an NCX.
 */
export async function makeEpub(opts: {
  title: string;
  chapters: EpubChapter[];
  spine: string[];
  version: 2 | 3;
  navInSpine?: boolean;
}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file("mimetype", "application/epub+zip", { compression: "STORE" });
  zip.file(
    "META-INF/container.xml",
    `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">` +
      `<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>` +
      `</rootfiles></container>`,
  );
  const id = (file: string) => `id-${file.replace(/\W/g, "_")}`;
  const xhtml = (title: string, body: string) =>
    `<?xml version="1.0" encoding="utf-8"?>` +
    `<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops">` +
    `<head><title>${esc(title)}</title></head><body>${body}</body></html>`;
  for (const c of opts.chapters) zip.file(`OEBPS/text/${c.file}`, xhtml(c.tocTitle ?? opts.title, c.body));
  const toc = opts.chapters.filter((c) => c.tocTitle);
  let manifest = opts.chapters
    .map((c) => `<item id="${id(c.file)}" href="text/${c.file}" media-type="application/xhtml+xml"/>`)
    .join("");
  let spine = opts.spine.map((f) => `<itemref idref="${id(f)}"/>`).join("");
  if (opts.version === 3) {
    const links = toc.map((c) => `<li><a href="text/${c.file}">${esc(c.tocTitle!)}</a></li>`).join("");
    zip.file(
      "OEBPS/nav.xhtml",
      xhtml(
        "Contents",
        `<nav epub:type="landmarks"><ol><li><a href="text/${opts.spine[0]}">Start of a landmark</a></li></ol></nav>` +
          `<nav epub:type="toc"><h1>Contents</h1><ol>${links}</ol></nav>`,
      ),
    );
    manifest += `<item id="nav" href="nav.xhtml" properties="nav" media-type="application/xhtml+xml"/>`;
    if (opts.navInSpine) spine = `<itemref idref="nav"/>${spine}`;
  } else {
    const points = toc
      .map(
        (c, i) =>
          `<navPoint id="p${i}" playOrder="${i + 1}"><navLabel><text>${esc(c.tocTitle!)}</text></navLabel>` +
          `<content src="text/${c.file}"/></navPoint>`,
      )
      .join("");
    zip.file(
      "OEBPS/toc.ncx",
      `<?xml version="1.0"?><ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">` +
        `<navMap>${points}</navMap></ncx>`,
    );
    manifest += `<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>`;
  }
  zip.file(
    "OEBPS/content.opf",
    `<?xml version="1.0"?>` +
      `<package xmlns="http://www.idpf.org/2007/opf" version="${opts.version}.0" unique-identifier="uid">` +
      `<metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="uid">urn:test:1</dc:identifier>` +
      `<dc:title>${esc(opts.title)}</dc:title><dc:language>en</dc:language></metadata>` +
      `<manifest>${manifest}</manifest><spine${opts.version === 2 ? ' toc="ncx"' : ""}>${spine}</spine></package>`,
  );
  return zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE" });
}
