// The player page as one string: the compiled frame linked with ext-apps, inside the page markup.
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { playerDocument } from "../page/document.js";
import { STYLES } from "../page/styles.js";
import { link } from "./link.js";

/** Text that would end or confuse an inline <script> in the HTML parser. */
const UNSAFE_IN_SCRIPT = /<\/script|<!--/i;

export function buildPlayerHtml(): string {
  const require = createRequire(import.meta.url);
  const script = link(fileURLToPath(new URL("../frame/main.js", import.meta.url)), [
    {
      specifier: "@modelcontextprotocol/ext-apps",
      file: require.resolve("@modelcontextprotocol/ext-apps/app-with-deps"),
    },
  ]);
  const bad = UNSAFE_IN_SCRIPT.exec(script);
  if (bad) throw new Error(`the linked frame contains "${bad[0]}", which would break the inline <script>`);
  return playerDocument(STYLES, script);
}
