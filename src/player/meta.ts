// The MCP Apps player as the server names it: its ui:// URI, the `_meta` a tool carries to point
// at it, and the resource's sandbox policy. Server-side constants only; the frame lives in frame/.
import { RESOURCE_URI_META_KEY } from "@modelcontextprotocol/ext-apps/server";

export const PLAYER_URI = "ui://podcast-mcp/player.html";

/**
 * `_meta` for a tool whose result the player renders. ext-apps 2.0.4 still fills the flat
 * `ui/resourceUri` key next to `ui.resourceUri` ("for compatibility with older hosts", its
 * registerAppTool), so both are given.
 */
export const PLAYER_TOOL_META: Record<string, unknown> = {
  ui: { resourceUri: PLAYER_URI },
  [RESOURCE_URI_META_KEY]: PLAYER_URI,
};

/**
 * The frame fetches nothing from the network: its script and styles are inline and the audio
 * comes through the host as resource reads (played from a data: URL, which the spec's default
 * `media-src 'self' data:` allows). Empty lists say so explicitly; hosts then apply their
 * restrictive default CSP.
 */
export const PLAYER_RESOURCE_UI_META = {
  csp: { connectDomains: [] as string[], resourceDomains: [] as string[] },
  prefersBorder: true,
};
