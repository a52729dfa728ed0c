// The player frame's entry. Runs inside the host's sandboxed iframe; the build links it with
// ext-apps' App into one inline script (src/player/build). Handlers are set before connect():
// the host may send the tool result as soon as the handshake is done.
import { App } from "@modelcontextprotocol/ext-apps";
import { createController } from "./controller.js";
import { byId, setStatus } from "./dom.js";
import { hostOf, toolText } from "./host.js";
import { applyHostContext } from "./host-style.js";

const app = new App({ name: "podcast-mcp-player", version: "1.0.0" }, {}, { autoResize: true });
const host = hostOf(app);
const controller = createController(host, async (fileName, base64) => {
  const { isError } = await app.downloadFile({
    contents: [{ type: "resource", resource: { uri: `file:///${fileName}`, mimeType: "audio/mpeg", blob: base64 } }],
  });
  if (isError) throw new Error("the host did not save the file");
});

app.ontoolinput = ({ arguments: args }) => {
  if (typeof args?.episode_name === "string") byId("title").textContent = args.episode_name;
  setStatus("Starting…");
};

app.ontoolresult = (result) => {
  if (result.isError) {
    setStatus(toolText(result) || "The tool call failed.");
    return;
  }
  const structured = result.structuredContent as Record<string, unknown> | undefined;
  if (!structured) {
    setStatus("The tool result carries no episode.");
    return;
  }
  if (typeof structured.name === "string" || typeof structured.episode_name === "string") {
    byId("title").textContent = String(structured.name ?? structured.episode_name);
  }
  controller.open(structured);
};

app.ontoolcancelled = ({ reason }) => setStatus(`The tool call was cancelled${reason ? `: ${reason}` : ""}.`);
app.onhostcontextchanged = (ctx) => applyHostContext(ctx);
app.onteardown = async () => {
  controller.stop();
  return {};
};

// Hosts that forward resource updates let the frame learn of a status change between two polls.
app.setNotificationHandler("notifications/resources/updated", (n) => controller.resourceUpdated(n.params.uri));

app.connect().then(
  () => applyHostContext(app.getHostContext()),
  (err: unknown) => setStatus(`Could not connect to the host: ${err instanceof Error ? err.message : String(err)}`),
);
