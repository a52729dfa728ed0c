// The MCP Apps player (ui://podcast-mcp/player.html): one self-contained HTML file that the build
// writes next to the compiled code (dist/player/player.html, see src/player/build). Hosts that
// render MCP Apps read it when a tool that names it in `_meta.ui` is called.
import { readFile } from "node:fs/promises";
import { registerAppResource, RESOURCE_MIME_TYPE } from "@modelcontextprotocol/ext-apps/server";
import type { McpServer } from "@modelcontextprotocol/server";
import { AppError } from "../errors.js";
import { PLAYER_RESOURCE_UI_META, PLAYER_URI } from "../player/meta.js";

const HTML_FILE = new URL("../player/player.html", import.meta.url);

let cached: Promise<string> | undefined;

/** The built page, read once per process (about 0.6 MB; it changes only with a new build). */
export function playerHtml(): Promise<string> {
  cached ??= readFile(HTML_FILE, "utf8").catch((err: unknown) => {
    cached = undefined;
    throw new AppError("internal", "the player page is not built: npm run build writes dist/player/player.html", {
      cause: err,
    });
  });
  return cached;
}

export function registerPlayerResource(server: McpServer): void {
  registerAppResource(
    server,
    "Podcast player",
    PLAYER_URI,
    {
      title: "Podcast episode player",
      description:
        "Follows a podcast job's progress, then plays the episode with chapters and a transcript that follows along",
      _meta: { ui: PLAYER_RESOURCE_UI_META },
    },
    async (uri) => ({
      contents: [
        {
          uri: uri.href,
          mimeType: RESOURCE_MIME_TYPE,
          text: await playerHtml(),
          _meta: { ui: PLAYER_RESOURCE_UI_META },
        },
      ],
    }),
  );
}
