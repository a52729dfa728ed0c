// The default store: <dataDir>/<key>, the layout installs already have (<dataDir>/episodes/<id>/…,
// <dataDir>/cache/tts/<hash>.pcm), so existing files stay readable. Writes go to a hidden temp file
// in the target's own directory and are renamed over the key: rename is atomic within one file
// system, so a reader sees the old file or the new one, never half of one. Keys cannot start with
// ".", so a temp file never shadows a key; a crash may leave one behind, which nothing reads.
import { randomBytes } from "node:crypto";
import { copyFile, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { AppError, invalidInput, notFound } from "../errors.js";
import { checkKey, checkPrefix } from "./keys.js";
import { clampRange, checkRange } from "./range.js";
import type { ArtifactInfo, ArtifactStore, ByteRange } from "./types.js";

const MISSING = new Set(["ENOENT", "ENOTDIR", "EISDIR"]);
const isMissing = (err: unknown) => MISSING.has((err as NodeJS.ErrnoException)?.code ?? "");

export function createDataDirStore(dataDir: string): ArtifactStore {
  const root = path.resolve(dataDir);

  /** The key's file. checkKey already forbids every escape; the prefix test is a second lock. */
  const fileOf = (key: string): string => {
    const file = path.join(root, ...checkKey(key).split("/"));
    if (!file.startsWith(root + path.sep)) throw invalidInput("key", "must stay inside the data dir");
    return file;
  };

  /** Write through `fill(tmp)` then rename over `file`; the temp file goes on any failure. */
  const replace = async (file: string, fill: (tmp: string) => Promise<void>): Promise<void> => {
    const dir = path.dirname(file);
    await mkdir(dir, { recursive: true });
    const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
    try {
      await fill(tmp);
      await rename(tmp, file);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  };

  return {
    kind: "file",

    async put(key, body) {
      const file = fileOf(key);
      await replace(file, (tmp) => writeFile(tmp, body));
    },

    async putFile(key, localPath) {
      const file = fileOf(key);
      const st = await stat(localPath).catch(() => undefined);
      if (!st?.isFile()) throw invalidInput("localPath", "must be an existing file");
      if (path.resolve(localPath) === file) return; // written in place already
      await replace(file, (tmp) => copyFile(localPath, tmp));
    },

    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (err) {
        if (isMissing(err)) return undefined;
        throw err;
      }
    },

    async head(key): Promise<ArtifactInfo | undefined> {
      const st = await stat(fileOf(key)).catch((err: unknown) => {
        if (isMissing(err)) return undefined;
        throw err;
      });
      if (!st?.isFile()) return undefined;
      // Size and mtime in ms, as static file servers do: a rename-replaced file changes both or
      // at least the mtime (to the ms), which is all a cache validator needs here.
      return {
        size: st.size,
        etag: `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`,
        lastModified: st.mtime,
      };
    },

    async open(key, range?: ByteRange): Promise<Readable> {
      const file = fileOf(key);
      if (range) checkRange(range);
      const handle = await open(file, "r").catch((err: unknown) => {
        if (isMissing(err)) throw notFound("artifact", key);
        throw err;
      });
      try {
        const st = await handle.stat();
        if (!st.isFile()) throw notFound("artifact", key);
        const r = range ? clampRange(range, st.size) : undefined;
        return handle.createReadStream(r ? { start: r.start, end: r.end } : {});
      } catch (err) {
        await handle.close();
        throw err instanceof AppError
          ? err
          : new AppError("internal", `artifact store: cannot read ${key}`, { cause: err });
      }
    },

    localPath: fileOf,

    async delete(key) {
      await rm(fileOf(key), { force: true });
    },

    async deletePrefix(prefix) {
      checkPrefix(prefix);
      await rm(path.join(root, ...prefix.slice(0, -1).split("/")), { recursive: true, force: true });
    },

    async close() {},
  };
}
