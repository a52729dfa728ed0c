// File sources judged by what would be read (issue 8 §7): links by their target, only regular
// files, never blocking on a FIFO, procfs-style files read to their end, never the data dir.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../src/errors.js";
import { readRegularFile } from "../../src/sources/file.js";
import { extractText } from "../../src/sources/index.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";

let dir: string;

async function failure(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** Settles within `ms` or fails the test with a message: a hang is the bug these tests look for. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: still pending after ${ms} ms`)), ms)),
  );
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

const file = (name: string) => ({ kind: "file" as const, path: path.join(dir, name) });
const fifo = (name: string) => execFileSync("mkfifo", [path.join(dir, name)]);

beforeAll(() => {
  dir = tmpDataDir("podcast-mcp-files-");
  writeFileSync(path.join(dir, "notes.md"), "# Notes\n\nReal words.");
  writeFileSync(path.join(dir, "secret"), "root:$6$hash:19000:0:99999:7:::");
  mkdirSync(path.join(dir, "data"));
  writeFileSync(path.join(dir, "data", "db-host.json"), JSON.stringify({ port: 1, secret: "s3cr3t-db-pass" }));
  writeFileSync(path.join(dir, "data", "transcript.md"), "# Someone else's episode\n\nPrivate words.");
});

afterAll(async () => {
  await stopAll();
});

describe("symbolic links are judged by their target", () => {
  it("a link with an allowed name to a file of another type is refused, without naming the target", async () => {
    symlinkSync(path.join(dir, "secret"), path.join(dir, "shadow.txt"));
    const err = await failure(extractText(file("shadow.txt")));
    expect(err.kind).toBe("invalid_input");
    expect(err.message).toBe(
      "file: shadow.txt: only .txt, .text, .md, .markdown, .mdown, .html, .htm, .xhtml, .pdf, .docx, .epub " +
        "files are supported " +
        "(links to a file of another type (no extension))",
    );
    expect(err.message).not.toContain(dir);
  });

  it("a link to an allowed file reads the file", async () => {
    symlinkSync(path.join(dir, "notes.md"), path.join(dir, "latest"));
    expect((await extractText(file("latest"))).text).toBe("# Notes\n\nReal words.");
  });

  it("nothing inside deniedDirs is read: not directly, not through a link, not through a linked dir", async () => {
    const deniedDirs = [path.join(dir, "data")];
    symlinkSync(path.join(dir, "data", "transcript.md"), path.join(dir, "borrowed.md"));
    symlinkSync(path.join(dir, "data"), path.join(dir, "data-link"));
    const expected = "is inside the server's data directory, which is never read as a source";
    for (const p of [
      path.join(dir, "data", "transcript.md"),
      path.join(dir, "borrowed.md"),
      path.join(dir, "data-link", "transcript.md"),
    ]) {
      const err = await failure(extractText({ kind: "file", path: p }, { deniedDirs }));
      expect(err.message, p).toBe(`file: ${path.basename(p)}: ${expected}`);
    }
    // The denied dir given by a link is resolved too.
    const viaLink = await failure(extractText(file("borrowed.md"), { deniedDirs: [path.join(dir, "data-link")] }));
    expect(viaLink.message).toBe(`file: borrowed.md: ${expected}`);
    // Without deniedDirs the same file reads (the refusal above is the option's doing).
    expect((await extractText(file("borrowed.md"))).text).toContain("Private words.");
    // A sibling whose name merely starts like the denied dir is not inside it.
    mkdirSync(path.join(dir, "data-public"));
    writeFileSync(path.join(dir, "data-public", "ok.txt"), "Public words.");
    expect(
      (await extractText({ kind: "file", path: path.join(dir, "data-public", "ok.txt") }, { deniedDirs })).text,
    ).toBe("Public words.");
  });

  it("a link to the DB state file is refused (by its type, and by deniedDirs whatever its name)", async () => {
    symlinkSync(path.join(dir, "data", "db-host.json"), path.join(dir, "host.txt"));
    expect((await failure(extractText(file("host.txt")))).message).toMatch(
      /links to a file of another type \(\.json\)/,
    );
  });
});

describe("only regular files, and nothing that blocks", () => {
  it("a FIFO, a socket and a directory are refused by type", async () => {
    fifo("pipe.txt");
    const pipe = await within(5_000, "FIFO source", failure(extractText(file("pipe.txt"))));
    expect(pipe.message).toBe("file: pipe.txt: is a named pipe (FIFO), not a regular file");
    const sockPath = path.join(dir, "sock.md");
    const sock = net.createServer().listen(sockPath);
    await new Promise((r) => sock.once("listening", r));
    try {
      expect((await failure(extractText(file("sock.md")))).message).toBe(
        "file: sock.md: is a socket, not a regular file",
      );
    } finally {
      await new Promise((r) => sock.close(r));
    }
    mkdirSync(path.join(dir, "chapter.md"));
    expect((await failure(extractText(file("chapter.md")))).message).toBe(
      "file: chapter.md: is a directory, not a file",
    );
  });

  it("FIFOs offered together do not fill the libuv pool: a normal file read completes meanwhile", async () => {
    const names = ["f1.txt", "f2.txt", "f3.txt", "f4.txt", "f5.txt", "f6.txt"];
    for (const n of names) fifo(n);
    const pipes = names.map((n) =>
      extractText(file(n)).then(
        () => "read",
        (e: AppError) => e.message,
      ),
    );
    const normal = await within(10_000, "normal read beside 6 FIFOs", extractText(file("notes.md")));
    expect(normal.text).toBe("# Notes\n\nReal words.");
    const results = await within(10_000, "FIFO refusals", Promise.all(pipes));
    expect(results).toEqual(names.map((n) => `file: ${n}: is a named pipe (FIFO), not a regular file`));
  });

  it("a FIFO swapped in after the check is opened O_NONBLOCK and refused, four at once, without a hang", async () => {
    // readRegularFile is what runs after the type check; giving it FIFOs directly is the race's worst case.
    const names = ["race1.txt", "race2.txt", "race3.txt", "race4.txt", "race5.txt"];
    for (const n of names) fifo(n);
    const opened = names.map((n) =>
      readRegularFile(path.join(dir, n), 1024).then(
        () => "read",
        (e: AppError) => e.message,
      ),
    );
    const results = await within(10_000, "opening FIFOs", Promise.all(opened));
    expect(results).toEqual(names.map((n) => `file: ${n}: is a named pipe (FIFO), not a regular file`));
    const normal = await within(10_000, "normal read after FIFOs", extractText(file("notes.md")));
    expect(normal.text).toContain("Real words.");
  });

  it("a file swapped for another after the check is refused (the opened file must be the checked one)", async () => {
    writeFileSync(path.join(dir, "a.txt"), "A words.");
    writeFileSync(path.join(dir, "b.txt"), "B words.");
    const checked = statSync(path.join(dir, "a.txt"));
    const err = await failure(readRegularFile(path.join(dir, "b.txt"), 1024, { name: "b.txt", expect: checked }));
    expect(err.message).toBe("file: b.txt: changed while it was being opened; try again");
  });
});

describe.runIf(existsSync("/proc/self/status"))("procfs-style files (stat size 0)", () => {
  it("are read to their end under the cap, not as 0 or 1 byte", async () => {
    const data = await readRegularFile("/proc/self/status", 1024 * 1024);
    const text = data.toString("utf8");
    expect(text).toMatch(/^Name:\t/);
    expect(text).toMatch(/\nPid:\t\d+\n/);
    expect(text).toMatch(/\nVmRSS:|\nThreads:/);
    expect(data.length).toBeGreaterThan(200);
  });
  it("the cap holds while reading", async () => {
    const err = await failure(readRegularFile("/proc/self/status", 64));
    expect(err.message).toBe("file: status: must be at most 64 bytes");
  });
  it("as a source through a link, the target's type decides (procfs files have no allowed extension)", async () => {
    symlinkSync("/proc/self/environ", path.join(dir, "environ.txt"));
    const err = await failure(extractText(file("environ.txt")));
    expect(err.message).toMatch(
      /^file: environ\.txt: only .* files are supported \(links to a file of another type \(no extension\)\)$/,
    );
  });
});
