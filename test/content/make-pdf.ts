// A tiny PDF writer for tests: real PDF files (a catalog, a page tree, Helvetica text drawn at
// given positions, an outline, an image XObject, the standard security handler) so the extractor
// is tested on what PDF readers read, not on a mock of pdf.js. PDF is text with byte offsets;
// this writes PDF 1.4 with a classic cross-reference table.
import { createHash } from "node:crypto";

export interface PdfLine {
  text: string;
  x: number;
  /** From the bottom of the page, in points (a page is 612 × 792). */
  y: number;
  size?: number;
  bold?: boolean;
}

export interface PdfPage {
  lines: PdfLine[];
  /** Draw a small grey image over most of the page (a scanned page has only this). */
  image?: boolean;
}

export interface PdfOutlineItem {
  title: string;
  /** 0-based page index. */
  page: number;
  /** The destination's top, from the bottom of the page. */
  top?: number;
  children?: PdfOutlineItem[];
}

export interface PdfSpec {
  pages: PdfPage[];
  outline?: PdfOutlineItem[];
  /** Encrypt with the standard security handler (revision 2, RC4 40-bit) under this user password. */
  userPassword?: string;
  /** The document information dictionary's /Title. */
  title?: string;
}

const PAD = Buffer.from("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a", "hex");

function rc4(key: Buffer, data: Buffer): Buffer {
  const s = Array.from({ length: 256 }, (_, i) => i);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255;
    j = (j + s[i]!) & 255;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 255]!;
  }
  return out;
}

const md5 = (...parts: Buffer[]) => createHash("md5").update(Buffer.concat(parts)).digest();
const padPassword = (pw: string) => Buffer.concat([Buffer.from(pw, "latin1"), PAD]).subarray(0, 32);

/** Algorithms 3.2–3.4 of the PDF 1.4 reference (revision 2): O, U and the file key. */
function standardSecurity(userPassword: string, id: Buffer) {
  const p = -44; // print and copy allowed; the permissions do not matter to a reader
  const o = rc4(md5(padPassword(`${userPassword}-owner`)).subarray(0, 5), padPassword(userPassword));
  const pBytes = Buffer.alloc(4);
  pBytes.writeInt32LE(p);
  const key = md5(padPassword(userPassword), o, pBytes, id).subarray(0, 5);
  const u = rc4(key, PAD);
  return { o, u, p, key };
}

function escapeString(s: string): string {
  return s.replace(/[\\()]/g, (c) => `\\${c}`);
}

function hex(b: Buffer): string {
  return `<${b.toString("hex")}>`;
}

export function makePdf(spec: PdfSpec): Buffer {
  const objects: (string | Buffer)[] = [];
  const add = (body: string | Buffer) => objects.push(body) as number; // object number = index + 1
  const id = md5(Buffer.from(JSON.stringify(spec)));
  const security = spec.userPassword === undefined ? undefined : standardSecurity(spec.userPassword, id);
  const objectKey = (num: number) => {
    const k = Buffer.alloc(5);
    k.writeUIntLE(num, 0, 3);
    return md5(security!.key, k).subarray(0, 10);
  };
  const str = (num: number, s: string) =>
    security ? hex(rc4(objectKey(num), Buffer.from(s, "latin1"))) : `(${escapeString(s)})`;
  const stream = (num: number, dict: string, data: Buffer) => {
    const body = security ? rc4(objectKey(num), data) : data;
    return Buffer.concat([
      Buffer.from(`<< ${dict} /Length ${body.length} >>\nstream\n`),
      body,
      Buffer.from("\nendstream"),
    ]);
  };

  const catalog = add(""); // filled in below, once the outline's number is known
  const pagesObj = add("");
  const font = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  const bold = add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  const image = add(""); // a 2 × 2 grey image
  objects[image - 1] = stream(
    image,
    "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8",
    Buffer.from([40, 200, 200, 40]),
  );

  const pageNums: number[] = [];
  for (const page of spec.pages) {
    const pageNum = add("");
    const contentNum = add("");
    pageNums.push(pageNum);
    // Strings inside a content stream are not encrypted one by one: the whole stream is.
    let ops = "";
    if (page.image) ops += "q 500 0 0 700 56 46 cm /Im1 Do Q\n";
    for (const l of page.lines) {
      ops += `BT /${l.bold ? "F2" : "F1"} ${l.size ?? 11} Tf ${l.x} ${l.y} Td (${escapeString(l.text)}) Tj ET\n`;
    }
    objects[contentNum - 1] = stream(contentNum, "", Buffer.from(ops, "latin1"));
    objects[pageNum - 1] =
      `<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Contents ${contentNum} 0 R ` +
      `/Resources << /Font << /F1 ${font} 0 R /F2 ${bold} 0 R >> /XObject << /Im1 ${image} 0 R >> >> >>`;
  }
  objects[pagesObj - 1] =
    `<< /Type /Pages /Kids [${pageNums.map((n) => `${n} 0 R`).join(" ")}] /Count ${pageNums.length} >>`;

  let outlineRef = "";
  if (spec.outline?.length) {
    const root = add("");
    const addItems = (items: PdfOutlineItem[], parent: number): number[] => {
      const nums = items.map(() => add(""));
      items.forEach((item, i) => {
        const num = nums[i]!;
        const kids = item.children?.length ? addItems(item.children, num) : [];
        const dest = `[${pageNums[item.page]} 0 R /XYZ 0 ${item.top ?? 792} 0]`;
        let dict = `<< /Title ${str(num, item.title)} /Parent ${parent} 0 R /Dest ${dest}`;
        if (i > 0) dict += ` /Prev ${nums[i - 1]} 0 R`;
        if (i < nums.length - 1) dict += ` /Next ${nums[i + 1]} 0 R`;
        if (kids.length) dict += ` /First ${kids[0]} 0 R /Last ${kids[kids.length - 1]} 0 R /Count ${kids.length}`;
        objects[num - 1] = `${dict} >>`;
      });
      return nums;
    };
    const top = addItems(spec.outline, root);
    objects[root - 1] =
      `<< /Type /Outlines /First ${top[0]} 0 R /Last ${top[top.length - 1]} 0 R /Count ${top.length} >>`;
    outlineRef = ` /Outlines ${root} 0 R /PageMode /UseOutlines`;
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R${outlineRef} >>`;

  let infoRef = "";
  if (spec.title !== undefined) {
    const info = add("");
    objects[info - 1] = `<< /Title ${str(info, spec.title)} /Producer (podcast-mcp tests) >>`;
    infoRef = ` /Info ${info} 0 R`;
  }

  let encryptRef = "";
  if (security) {
    const enc = add(`<< /Filter /Standard /V 1 /R 2 /O ${hex(security.o)} /U ${hex(security.u)} /P ${security.p} >>`);
    encryptRef = ` /Encrypt ${enc} 0 R`;
  }

  const chunks: Buffer[] = [Buffer.from("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "latin1")];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(offset);
    const b = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`),
      Buffer.isBuffer(body) ? body : Buffer.from(body, "latin1"),
      Buffer.from("\nendobj\n"),
    ]);
    chunks.push(b);
    offset += b.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("") +
    `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R ` +
    `/ID [${hex(id)} ${hex(id)}]${infoRef}${encryptRef} >>\n` +
    `startxref\n${offset}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, "latin1"));
  return Buffer.concat(chunks);
}

/**
 * Paragraphs as lines on a page, top down from `top`: 14 pt between lines of a paragraph and
 * 28 pt between paragraphs (what word processors do at 11 pt), each paragraph a list of lines.
 */
export function paragraphs(top: number, paras: string[][], x = 72): PdfLine[] {
  const lines: PdfLine[] = [];
  let y = top;
  for (const para of paras) {
    for (const text of para) {
      lines.push({ text, x, y });
      y -= 14;
    }
    y -= 14;
  }
  return lines;
}
