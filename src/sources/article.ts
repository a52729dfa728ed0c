// Web pages → the article: Mozilla's Readability (Firefox Reader View) on a linkedom DOM finds the
// main content and leaves menus, navigation, footers, cookie banners and "related" boxes behind.
// The article's HTML then goes through our HTML extractor, so headings and lists keep the shape
// every extractor writes. The title opens the text as a `#` heading and the byline follows as a
// paragraph of its own. A page Readability does not judge to be an article (short notes, index pages,
// client-rendered shells) is read by the plain HTML extractor instead.
//
// Readability is synchronous, so it holds the event loop while it works: measured under load
// (load average ~15 on 2 cores), 180 ms for a 90 KB page of 1,000 elements warm, 3 s for 3,000
// to 9,000 elements. Pages over MAX_ARTICLE_ELEMENTS skip it.
import { isProbablyReaderable, Readability } from "@mozilla/readability";
import { parseHTML } from "linkedom";
import { htmlToText, type HtmlText } from "./html.js";
import { MAX_ARTICLE_ELEMENTS } from "./limits.js";
import { normalizeText } from "./normalize.js";

const oneLine = (s: string | null | undefined) => normalizeText(s ?? "").replace(/\n/g, " ");
const comparable = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/** The page's article as text, or the whole page through the plain extractor when it has none. */
export function webPageToText(html: string): HtmlText {
  return articleText(html) ?? htmlToText(html);
}

export function articleText(html: string): HtmlText | undefined {
  let article: ReturnType<Readability["parse"]>;
  let h1: string | undefined;
  try {
    if (countTags(html, MAX_ARTICLE_ELEMENTS + 1) > MAX_ARTICLE_ELEMENTS) return undefined;
    const { document } = parseHTML(html);
    if (!isProbablyReaderable(document as unknown as Document)) return undefined;
    h1 = oneLine(document.querySelector("article h1, main h1, h1")?.textContent) || undefined;
    article = new Readability(document as unknown as Document, { maxElemsToParse: MAX_ARTICLE_ELEMENTS }).parse();
  } catch {
    return undefined; // markup the DOM or Readability chokes on: the plain extractor still reads it
  }
  if (!article?.content) return undefined;
  const body = htmlToText(article.content).text;
  if (!body) return undefined;

  // Readability's title is the <title> cleaned of most site names; when the page's own <h1>
  // opens it ("Keepers of the Light - The Coast Journal"), the <h1> is the article's title.
  let title = oneLine(article.title) || h1;
  if (title && h1 && title !== h1 && title.startsWith(h1)) {
    if (/^\s*[-|–—:·»]/.test(title.slice(h1.length))) title = h1;
  }

  const lines: string[] = [];
  const firstBlock = body.split("\n\n", 1)[0] ?? "";
  if (title && comparable(firstBlock.replace(/^#+ /, "")) !== comparable(title)) lines.push(`# ${title}`);
  const byline = oneLine(article.byline);
  // The byline is kept unless the article already says it near the top ("By Ada Lovelace").
  if (byline && !comparable(body.slice(0, 500)).includes(comparable(byline))) lines.push(byline);
  return { text: normalizeText([...lines, body].join("\n\n")), title };
}

/** Start tags in the markup, counted up to `stop` (before parsing: linkedom's parse alone is ~0.5 s for 3 MB). */
function countTags(html: string, stop: number): number {
  const tag = /<[a-zA-Z]/g;
  let n = 0;
  while (n < stop && tag.exec(html)) n++;
  return n;
}
