// Headless Chromium for the player test: Debian's package (or CHROMIUM_PATH), a fresh profile in a
// temp dir, and a page that loads the AppBridge test host with bindings to the test's MCP client.
import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import type { Client } from "@modelcontextprotocol/client";
import { chromium, type BrowserContext, type Frame, type Page } from "playwright-core";
import { ROOT, tmpDataDir } from "../helpers/procs.js";
import { HOST_ORIGIN, importMapFor, routeHostOrigin } from "./host/modules.js";

const CANDIDATES = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
export const CHROMIUM = CANDIDATES.find((p): p is string => Boolean(p && existsSync(p)));

export const ARTIFACTS = path.join(ROOT, "test-artifacts");

export interface HostPage {
  context: BrowserContext;
  page: Page;
  /** The player's frame, once host.run has rendered it. */
  frame(): Promise<Frame>;
  /** Console errors from the host page and the frame (CSP violations show up here). */
  errors: string[];
  /** Every network request the player frame made (it should make none). */
  frameRequests: string[];
}

export async function openHostPage(client: Client): Promise<HostPage> {
  if (!CHROMIUM) throw new Error("no Chromium");
  mkdirSync(ARTIFACTS, { recursive: true });
  const context = await chromium.launchPersistentContext(tmpDataDir("podcast-mcp-chromium-"), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      // Headless Chromium blocks play() without a user gesture otherwise.
      "--autoplay-policy=no-user-gesture-required",
    ],
    viewport: { width: 400, height: 1100 },
  });
  // A failure before the page is ready still closes Chromium (the caller never gets the context).
  const ready = async () => {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    const frameRequests: string[] = [];
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => {
      if (r.frame() !== page.mainFrame()) frameRequests.push(r.url().slice(0, 80));
    });

    await page.exposeFunction("mcpListTools", () => client.listTools());
    await page.exposeFunction("mcpCallTool", (p: { name: string; arguments: Record<string, unknown> }) =>
      client.callTool(p),
    );
    await page.exposeFunction("mcpReadResource", (p: { uri: string }) => client.readResource(p));

    const map = importMapFor(["@modelcontextprotocol/ext-apps/app-bridge"]);
    const hostHtml = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MCP Apps test host</title>
  <script type="importmap">${JSON.stringify(map)}</script>
  <style>body{font-family:sans-serif;margin:12px;background:#e9ebee}
  iframe{display:block;border:1px solid #aab;background:transparent}</style>
  </head><body><div id="chat"></div><script type="module" src="/test/player/host/host.js"></script></body></html>`;
    await routeHostOrigin(page, { "/host.html": hostHtml });
    await page.goto(`${HOST_ORIGIN}/host.html`);
    await page.waitForFunction(() => (window as unknown as { hostReady?: boolean }).hostReady === true, undefined, {
      timeout: 30_000,
    });
    return { page, errors, frameRequests };
  };
  let opened: Awaited<ReturnType<typeof ready>>;
  try {
    opened = await ready();
  } catch (err) {
    await context.close();
    throw err;
  }
  const { page, errors, frameRequests } = opened;

  return {
    context,
    page,
    errors,
    frameRequests,
    async frame() {
      const handle = await page.waitForSelector("#app-frame", { timeout: 10_000 });
      const frame = await handle.contentFrame();
      if (!frame) throw new Error("the player iframe has no frame");
      return frame;
    },
  };
}
