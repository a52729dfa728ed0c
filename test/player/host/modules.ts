// Loads the test host page's ES modules (ext-apps' AppBridge and what it imports) into Chromium
// straight from node_modules, with no bundler: an import map for the bare specifiers, found by
// following imports from the entry with the browser's export conditions, and a Playwright route
// that answers for a made-up origin from the files on disk (no port is opened).
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { ROOT } from "../../helpers/procs.js";

export const HOST_ORIGIN = "http://podcast-host.test";
const CONDITIONS = new Set(["browser", "import", "module", "default"]);
const IMPORT_RE = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"'\s]+)["']/g;

function packageName(spec: string): string {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** Node's exports matching, with the browser's conditions, in the object's own key order. */
function pickTarget(target: unknown): string | undefined {
  if (typeof target === "string") return target;
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = pickTarget(t);
      if (r) return r;
    }
    return undefined;
  }
  if (target && typeof target === "object") {
    for (const [key, value] of Object.entries(target)) {
      if (!CONDITIONS.has(key)) continue;
      const r = pickTarget(value);
      if (r) return r;
    }
  }
  return undefined;
}

function resolveBare(spec: string, fromFile: string): string {
  const name = packageName(spec);
  let dir = path.dirname(fromFile);
  for (;;) {
    const pkgDir = path.join(dir, "node_modules", name);
    if (existsSync(path.join(pkgDir, "package.json"))) {
      const pkg = JSON.parse(readFileSync(path.join(pkgDir, "package.json"), "utf8")) as {
        exports?: unknown;
        module?: string;
        main?: string;
      };
      const sub = `.${spec.slice(name.length)}`;
      let target: string | undefined;
      if (pkg.exports !== undefined) {
        const exp = pkg.exports as Record<string, unknown>;
        const map =
          typeof exp === "string" || Array.isArray(exp) || !Object.keys(exp).some((k) => k.startsWith("."))
            ? { ".": exp }
            : exp;
        target = pickTarget(map[sub]);
      } else target = sub === "." ? (pkg.module ?? pkg.main ?? "index.js") : sub;
      if (!target) throw new Error(`${spec}: no browser/import export in ${name}`);
      return path.join(pkgDir, target);
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`${spec}: not installed (imported by ${fromFile})`);
    dir = up;
  }
}

function urlOf(file: string): string {
  return `${HOST_ORIGIN}/${path.relative(ROOT, file).split(path.sep).join("/")}`;
}

/** The import map that lets `entry` (a file under node_modules) load in the browser as is. */
export function importMapFor(entrySpecifiers: string[]): { imports: Record<string, string> } {
  const imports: Record<string, string> = {};
  const seen = new Set<string>();
  const queue: string[] = [];
  const addBare = (spec: string, from: string) => {
    const file = resolveBare(spec, from);
    const url = urlOf(file);
    if (imports[spec] && imports[spec] !== url)
      throw new Error(`${spec} resolves to two files (${imports[spec]}, ${url}); the flat import map cannot hold both`);
    imports[spec] = url;
    queue.push(file);
  };
  for (const spec of entrySpecifiers) addBare(spec, path.join(ROOT, "package.json"));
  while (queue.length) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(IMPORT_RE)) {
      const spec = m[1]!;
      if (spec.startsWith(".") || spec.startsWith("/")) queue.push(path.resolve(path.dirname(file), spec));
      else if (!spec.startsWith("node:")) addBare(spec, file);
    }
  }
  return { imports };
}

const TYPES: Record<string, string> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".html": "text/html",
  ".css": "text/css",
};
/** The only folders the route serves from. */
const SERVED = [path.join(ROOT, "node_modules") + path.sep, path.join(ROOT, "test", "player", "host") + path.sep];

/** Answers every request to HOST_ORIGIN from disk; `pages` adds generated documents by path. */
export async function routeHostOrigin(page: Page, pages: Record<string, string>): Promise<void> {
  await page.route(`${HOST_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const generated = pages[url.pathname];
    if (generated !== undefined) return route.fulfill({ status: 200, contentType: "text/html", body: generated });
    const file = path.resolve(ROOT, `.${decodeURIComponent(url.pathname)}`);
    if (!SERVED.some((dir) => file.startsWith(dir)) || !existsSync(file))
      return route.fulfill({ status: 404, body: "not found" });
    return route.fulfill({
      status: 200,
      contentType: TYPES[path.extname(file)] ?? "application/octet-stream",
      body: readFileSync(file),
    });
  });
}
