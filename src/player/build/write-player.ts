// `node dist/player/build/write-player.js`, run by the build after tsc: links the compiled frame
// with ext-apps into dist/player/player.html, the one self-contained file the server serves as
// ui://podcast-mcp/player.html.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildPlayerHtml } from "./player-html.js";

const html = buildPlayerHtml();
writeFileSync(fileURLToPath(new URL("../player.html", import.meta.url)), html);
process.stderr.write(`player: wrote dist/player/player.html (${(html.length / 1024).toFixed(0)} KiB)\n`);
