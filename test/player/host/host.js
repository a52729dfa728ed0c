// A minimal MCP Apps host for the browser test, built on ext-apps' AppBridge the way hosts are:
// it reads the tool's ui:// resource, renders it in a sandboxed iframe under the CSP the resource
// declares (the spec's restrictive default when it declares no domains), and forwards the
// frame's tool calls and resource reads to the real server. `window.mcp*` are the test's
// Playwright bindings to its MCP client, connected to the built server over stdio.
import {
  AppBridge,
  PostMessageTransport,
  RESOURCE_MIME_TYPE,
  getToolUiResourceUri,
} from "@modelcontextprotocol/ext-apps/app-bridge";

/** The spec's CSP for a frame (2026-01-26, "Restrictive Default"), widened only by declared domains. */
export function cspFor(csp) {
  const clean = (list) =>
    Array.isArray(list) ? list.filter((d) => typeof d === "string" && !/[;\r\n'" ]/.test(d)) : [];
  const res = clean(csp?.resourceDomains).join(" ");
  const connect = clean(csp?.connectDomains).join(" ");
  return [
    "default-src 'none'",
    `script-src 'self' 'unsafe-inline' ${res}`.trim(),
    `style-src 'self' 'unsafe-inline' ${res}`.trim(),
    `img-src 'self' data: ${res}`.trim(),
    `media-src 'self' data: ${res}`.trim(),
    connect ? `connect-src ${connect}` : "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
  ].join("; ");
}

const log = { calls: [], reads: [], downloads: [], sizes: [] };
window.hostLog = log;

let current;

/**
 * Renders `toolName`'s UI for one call, as a host does when the model calls the tool: the frame
 * gets the arguments, then the result. Returns the tool result.
 */
async function run(toolName, args, { theme = "light", width = 320 } = {}) {
  current?.iframe.remove();
  const { tools } = await window.mcpListTools();
  const tool = tools.find((t) => t.name === toolName);
  const uri = tool && getToolUiResourceUri(tool);
  if (!uri) throw new Error(`${toolName} names no UI resource`);
  const read = await window.mcpReadResource({ uri });
  const content = read.contents[0];
  if (content.mimeType !== RESOURCE_MIME_TYPE) throw new Error(`unexpected UI mime type ${content.mimeType}`);
  const policy = cspFor(content._meta?.ui?.csp);
  const html = content.text.replace(/<head>/i, `<head><meta http-equiv="Content-Security-Policy" content="${policy}">`);

  const iframe = document.createElement("iframe");
  iframe.id = "app-frame";
  iframe.title = "Podcast player";
  iframe.setAttribute("sandbox", "allow-scripts");
  iframe.style.width = `${width}px`;
  iframe.style.height = "200px";
  document.getElementById("chat").append(iframe);

  const hostContext = {
    theme,
    platform: "web",
    displayMode: "inline",
    locale: "en-GB",
    containerDimensions: { maxWidth: width },
    safeAreaInsets: { top: 0, right: 0, bottom: 10, left: 0 },
    styles: { variables: { "--font-sans": "'DejaVu Sans', sans-serif" } },
  };
  const bridge = new AppBridge(
    null,
    { name: "podcast-mcp-test-host", version: "1.0.0" },
    { serverTools: {}, serverResources: {}, downloadFile: {}, openLinks: {} },
    { hostContext },
  );
  bridge.oncalltool = async (params) => {
    log.calls.push({ name: params.name, arguments: params.arguments ?? {} });
    return window.mcpCallTool({ name: params.name, arguments: params.arguments ?? {} });
  };
  bridge.onreadresource = async (params) => {
    log.reads.push(params.uri);
    return window.mcpReadResource({ uri: params.uri });
  };
  bridge.ondownloadfile = async (params) => {
    log.downloads.push(...params.contents);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    log.sizes.push(height);
    if (height) iframe.style.height = `${height}px`;
  };
  const initialized = new Promise((resolve) => (bridge.oninitialized = resolve));
  await bridge.connect(new PostMessageTransport(iframe.contentWindow, iframe.contentWindow));
  iframe.srcdoc = html;
  await initialized;
  current = { iframe, bridge, hostContext };

  await bridge.sendToolInput({ arguments: args });
  const result = await window.mcpCallTool({ name: toolName, arguments: args });
  await bridge.sendToolResult(result);
  return result;
}

/** The host switches theme, as when the user changes it while the frame is shown. */
async function setTheme(theme) {
  current.hostContext = { ...current.hostContext, theme };
  await current.bridge.sendHostContextChange({ theme });
}

window.host = { run, setTheme, csp: cspFor(undefined) };
window.hostReady = true;
