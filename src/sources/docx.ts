// Word (.docx) → text: mammoth turns the document into clean HTML (headings from the heading
// styles, lists, tables), and the HTML extractor turns that into our text shape, so headings,
// list items and table rows come out exactly as they do for web pages.
//
// Before mammoth sees the file, every entry is unpacked once within MAX_UNZIPPED_BYTES (zip.ts):
// mammoth unpacks whatever it needs without a cap. Images are never converted (nothing reads
// them aloud), and linked external files are never opened.
import mammoth from "mammoth";
import { invalidInput } from "../errors.js";
import { Deadline, type DocumentContext } from "./deadline.js";
import { decodeEntities } from "./entities.js";
import { htmlToText } from "./html.js";
import { checkUnpackedSize, openArchive, readEntryText } from "./zip.js";

// Word's "Title" and "Subtitle" styles are not in mammoth's default map; they are headings here.
const STYLE_MAP = ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"];

export async function docxToText(
  data: Buffer,
  ctx: DocumentContext,
  maxUnzippedBytes?: number,
): Promise<{ text: string; title: string | undefined }> {
  const deadline = new Deadline(ctx);
  const archive = await openArchive(data, ctx, deadline, "Word (.docx)", maxUnzippedBytes);
  if (!archive.zip.file("word/document.xml"))
    throw invalidInput(ctx.field, `${ctx.name}: is not a Word (.docx) file (no word/document.xml)`);
  await checkUnpackedSize(archive);
  const coreTitle = coreProperty(await readEntryText(archive, "docProps/core.xml"), "dc:title");
  let html: string;
  try {
    const result = await deadline.race(
      mammoth.convertToHtml(
        { buffer: data },
        {
          styleMap: STYLE_MAP,
          externalFileAccess: false,
          convertImage: mammoth.images.imgElement(async () => ({ src: "" })),
        },
      ),
      () => {},
    );
    html = result.value;
  } catch (err) {
    if ((err as { kind?: string }).kind) throw err;
    throw invalidInput(
      ctx.field,
      `${ctx.name}: could not be read as a Word file (${(err as Error).message ?? String(err)})`,
    );
  }
  const { text, title } = htmlToText(html);
  return { text, title: coreTitle ?? title };
}

/** A property of docProps/core.xml (Dublin Core), such as the document's title. */
function coreProperty(xml: string | undefined, tag: string): string | undefined {
  if (!xml) return undefined;
  const m = new RegExp(`<${tag}(?:\\s[^>]{0,500})?>([^<]{1,1000})</${tag}>`).exec(xml);
  return m?.[1] ? decodeEntities(m[1]).replace(/\s+/g, " ").trim() || undefined : undefined;
}
