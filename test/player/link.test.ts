// The frame linker: modules become function scopes wired by their named imports, an external
// bundle's final export list becomes an object, and anything it cannot link safely fails the build.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import vm from "node:vm";
import { afterAll, describe, expect, it } from "vitest";
import { link } from "../../src/player/build/link.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

function files(spec: Record<string, string>): string {
  const dir = tmpDataDir("podcast-mcp-link-");
  for (const [name, text] of Object.entries(spec)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("link", () => {
  it("links named imports, renamed imports, shared dependencies and an external bundle", () => {
    const dir = files({
      "ext.js": 'var q=class{hi(){return "ext"}};function w(n){return n*2}\nexport{q as App,w as double};\n',
      "util.js": [
        "export const base = 20;",
        "export function add(a, b) { return a + b; }",
        "const hidden = 1;",
        "//# sourceMappingURL=util.js.map",
      ].join("\n"),
      "sub/mid.js": 'import { add as plus, base } from "../util.js";\nexport const mid = plus(base, 1);\n',
      "main.js": [
        'import { App, double } from "ext-pkg";',
        'import { mid } from "./sub/mid.js";',
        'import { base } from "./util.js";',
        "globalThis.out = { app: new App().hi(), v: double(mid) + base };",
        "export {};",
      ].join("\n"),
    });
    const script = link(path.join(dir, "main.js"), [{ specifier: "ext-pkg", file: path.join(dir, "ext.js") }]);
    const ctx: { out?: unknown } = {};
    vm.runInNewContext(script, ctx);
    expect(ctx.out).toEqual({ app: "ext", v: 62 });
    expect(script.match(/const __mod\d+ = /g)).toHaveLength(3); // util once, though two modules import it
    expect(script).not.toContain("sourceMappingURL");
  });

  it.each([
    ["export default 1;\n", /main\.js:1: unsupported export statement/],
    ['export * from "./x.js";\n', /main\.js:1: unsupported export statement/],
    ['import x from "./x.js";\n', /main\.js:1: unsupported import statement/],
    ['const m = import("./x.js");\n', /dynamic import or import\.meta/],
    ['import { a } from "left-pad";\n', /imports "left-pad", which is not a linked package/],
  ])("refuses %j with the file and line", (source, message) => {
    const dir = files({ "main.js": source, "x.js": "export const a = 1;\n" });
    expect(() => link(path.join(dir, "main.js"), [])).toThrow(message);
  });

  it("refuses an import cycle, naming it", () => {
    const dir = files({
      "main.js": 'import { b } from "./b.js";\nexport const a = 1;\n',
      "b.js": 'import { a } from "./main.js";\nexport const b = 2;\n',
    });
    expect(() => link(path.join(dir, "main.js"), [])).toThrow("import cycle: main.js → b.js → main.js");
  });

  it("refuses an external that is not one self-contained module", () => {
    const dir = files({ "main.js": 'import { x } from "ext";\n', "ext.js": 'import "y";var x=1;\nexport{x};\n' });
    expect(() => link(path.join(dir, "main.js"), [{ specifier: "ext", file: path.join(dir, "ext.js") }])).toThrow(
      /not self-contained/,
    );
  });
});
