// The embedded engine's native module, loaded directly. `@surrealdb/node` exports only its
// SDK engine (NodeEngine), which decodes every response and hides the notification stream; the
// local DB host needs the raw CBOR RPC (`execute`) and every live notification with its session,
// so it loads the same `.node` file the package loads, by the same napi-rs naming rule.
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppError } from "../errors.js";

export interface NativeNotificationReceiver {
  /** The next notification as CBOR, or null once the engine is closed. */
  recv(): Promise<Uint8Array | null>;
}

export interface NativeEngine {
  /** One CBOR RPC request `{id, method, params?, session?, txn?}` in, the bare CBOR result (or `{error}`) out. */
  execute(request: Uint8Array): Promise<Uint8Array>;
  notifications(): Promise<NativeNotificationReceiver>;
  free(): void;
}

interface NativeModule {
  SurrealNodeEngine: { connect(url: string, options?: unknown): Promise<NativeEngine> };
}

function isMusl(): boolean {
  if (process.platform !== "linux") return false;
  try {
    return readFileSync("/usr/bin/ldd", "utf8").includes("musl");
  } catch {
    const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
    return !report?.header?.glibcVersionRuntime;
  }
}

/** napi-rs target suffixes, most specific first. */
function candidateTargets(): string[] {
  const { platform, arch } = process;
  if (platform === "linux") return [`linux-${arch}-${isMusl() ? "musl" : "gnu"}`];
  if (platform === "darwin") return ["darwin-universal", `darwin-${arch}`];
  if (platform === "win32") return [`win32-${arch}-msvc`];
  return [`${platform}-${arch}`];
}

let cached: NativeModule | undefined;

export function loadNative(): NativeModule {
  if (cached) return cached;
  const distDir = path.dirname(fileURLToPath(import.meta.resolve("@surrealdb/node")));
  const require = createRequire(import.meta.url);
  for (const target of candidateTargets()) {
    const file = path.join(distDir, `surrealdb-node.${target}.node`);
    if (existsSync(file)) {
      cached = require(file) as NativeModule;
      return cached;
    }
    try {
      cached = require(`@surrealdb/node-${target}`) as NativeModule;
      return cached;
    } catch {
      // try the next target
    }
  }
  throw new AppError(
    "internal",
    `The embedded SurrealDB engine has no native build for ${process.platform}-${process.arch}`,
  );
}

export async function openNativeEngine(url: string): Promise<NativeEngine> {
  return loadNative().SurrealNodeEngine.connect(url, undefined);
}
