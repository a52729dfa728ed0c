// Links the compiled frame (tsc's ES modules in dist/player/frame) and its one package,
// ext-apps' self-contained `app-with-deps` build, into one script for an inline <script>. The
// project ships no bundler, and the frame keeps to a subset that a few rules can link safely:
// named imports and `export function|const|let|class` declarations. Anything else fails the
// build with the file and line, rather than linking wrongly.
import { readFileSync } from "node:fs";
import path from "node:path";

/** A package already bundled into one ES module whose only export is a final `export{a as b,…}`. */
export interface External {
  specifier: string;
  file: string;
}

interface Module {
  file: string;
  body: string;
  deps: string[];
  exports: string[];
}

const IMPORT = /^import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["'];?[ \t]*$/gm;
const SIDE_EFFECT_IMPORT = /^import\s*["']([^"']+)["'];?[ \t]*$/gm;
const EXPORT_DECL = /^export\s+((?:async\s+)?function\*?|const|let|class)\s+([A-Za-z_$][\w$]*)/gm;
const EMPTY_EXPORT = /^export\s*\{\s*\};?[ \t]*$/gm;
const SOURCE_MAP = /^\/\/# sourceMappingURL=.*$/gm;

function fail(file: string, src: string, index: number, what: string): never {
  const line = src.slice(0, index).split("\n").length;
  throw new Error(`${file}:${line}: ${what} (the frame linker takes named imports and exported declarations only)`);
}

/** `a, b as c` → `a, b: c` for a destructuring pattern. */
function bindings(list: string): string {
  return list
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const m = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!m) throw new Error(`cannot link the import binding "${s}"`);
      return m[2] ? `${m[1]}: ${m[2]}` : m[1]!;
    })
    .join(", ");
}

function parseModule(
  file: string,
  resolveDep: (spec: string, from: string) => string,
): Module & { imports: { names: string; dep: string }[] } {
  let src = readFileSync(file, "utf8").replace(SOURCE_MAP, "").replace(EMPTY_EXPORT, "");
  const imports: { names: string; dep: string }[] = [];
  src = src.replace(IMPORT, (_m, names: string, spec: string) => {
    imports.push({ names: bindings(names), dep: resolveDep(spec, file) });
    return "";
  });
  src = src.replace(SIDE_EFFECT_IMPORT, (_m, spec: string) => {
    imports.push({ names: "", dep: resolveDep(spec, file) });
    return "";
  });
  const exports: string[] = [];
  src = src.replace(EXPORT_DECL, (_m, kind: string, name: string) => {
    exports.push(name);
    return `${kind} ${name}`;
  });
  const left = /^(import|export)\b/m.exec(src);
  if (left) fail(file, src, left.index, `unsupported ${left[1]} statement`);
  if (/\bimport\s*\(|\bimport\.meta\b/.test(src))
    fail(file, src, src.search(/\bimport\s*\(|\bimport\.meta\b/), "dynamic import or import.meta");
  return { file, body: src, deps: imports.map((i) => i.dep), exports, imports };
}

/** The external's body with its final export list turned into a returned object. */
function externalBody(ext: External): string {
  const src = readFileSync(ext.file, "utf8").replace(SOURCE_MAP, "").trimEnd();
  const m = /export\s*\{([^}]*)\};?$/.exec(src);
  if (!m) throw new Error(`${ext.file}: expected one export list at the end`);
  const body = src.slice(0, m.index);
  if (
    /(^|[;}\s])(import|export)[\s{*"']/.test(
      body.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`/g, '""'),
    )
  ) {
    throw new Error(`${ext.file}: has import or export statements besides the final list; it is not self-contained`);
  }
  const entries = m[1]!
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const e = /^([\w$]+)(?:\s+as\s+([\w$]+))?$/.exec(s);
      if (!e) throw new Error(`${ext.file}: cannot read the export "${s}"`);
      return `${e[2] ?? e[1]}: ${e[1]}`;
    });
  return `${body}\nreturn { ${entries.join(", ")} };`;
}

/**
 * One script: each module in its own function scope, dependencies first, the entry last. Each
 * module's imports become `const { … } = <its dependency's exports>`.
 */
export function link(entry: string, externals: External[]): string {
  const extIds = new Map(externals.map((e, i) => [e.specifier, `__ext${i}`]));
  const resolveDep = (spec: string, from: string) => {
    if (extIds.has(spec)) return spec;
    if (!spec.startsWith(".")) throw new Error(`${from}: imports "${spec}", which is not a linked package`);
    return path.resolve(path.dirname(from), spec);
  };
  const ordered: ReturnType<typeof parseModule>[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (file: string, chain: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "visiting")
      throw new Error(`import cycle: ${[...chain, file].map((f) => path.basename(f)).join(" → ")}`);
    state.set(file, "visiting");
    const mod = parseModule(file, resolveDep);
    for (const dep of mod.deps) if (!extIds.has(dep)) visit(dep, [...chain, file]);
    state.set(file, "done");
    ordered.push(mod);
  };
  visit(path.resolve(entry), []);

  const ids = new Map(ordered.map((m, i) => [m.file, `__mod${i}`]));
  const usedExternals = externals.filter((e) => ordered.some((m) => m.deps.includes(e.specifier)));
  const parts = usedExternals.map((e) => `const ${extIds.get(e.specifier)} = (() => {\n${externalBody(e)}\n})();`);
  for (const m of ordered) {
    const head = m.imports
      .filter((i) => i.names)
      .map((i) => `const { ${i.names} } = ${extIds.get(i.dep) ?? ids.get(i.dep)};`)
      .join("\n");
    const name = path.relative(path.dirname(path.resolve(entry)), m.file);
    const returned = `return { ${m.exports.join(", ")} };`;
    parts.push(`// ${name}\nconst ${ids.get(m.file)} = (() => {\n${head}\n${m.body.trim()}\n${returned}\n})();`);
  }
  return parts.join("\n");
}
