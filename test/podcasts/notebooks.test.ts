import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_CONTENT_CHARS } from "../../src/sources/index.js";
import { startFakeServer, type FakeServer } from "../fakes/server.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { caught, count, setup, type Setup } from "./support.js";

let s: Setup;
let web: FakeServer;
let dir: string;
beforeAll(async () => {
  dir = tmpDataDir();
  s = await setup(dir);
  web = await startFakeServer((req, _body, res) => {
    if (req.url !== "/article") return false;
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(
      "<html><head><title>Tides</title><script>var x = 1;</script></head><body><nav>Home | About</nav><h1>Tides</h1><p>The moon pulls the sea.</p></body></html>",
    );
    return true;
  });
});
afterAll(async () => {
  await web.close();
  await s.db.close();
  await stopAll();
});

describe("notebooks and sources", () => {
  it("stores text, markdown, a local file and a URL as plain text", async () => {
    const nb = await s.service.createNotebook({ name: "Sea", description: "notes" });
    expect(nb).toMatchObject({ name: "Sea", description: "notes", source_count: 0 });
    expect(nb.id).toMatch(/^notebook:[a-z0-9]+$/);

    // Outside the data dir: nothing inside it is ever read as a source (it holds the DB host's secret).
    const file = path.join(tmpDataDir("podcast-mcp-notes-"), "notes.txt");
    writeFileSync(file, "Waves carry energy, not water.\n");
    const added = [
      await s.service.addSource(nb.id, { text: "Salt water freezes below zero degrees." }),
      await s.service.addSource(nb.id, {
        text: "# Currents\n\nThe **Gulf Stream** warms [Europe](https://example.org).",
      }),
      await s.service.addSource(nb.id, { file }),
      await s.service.addSource(nb.id, { url: `${web.url}/article` }),
    ];
    expect(added.map((a) => a.kind)).toEqual(["text", "markdown", "file", "url"]);
    expect(added.every((a) => a.notebook_id === nb.id)).toBe(true);
    // The same file inside the data dir is refused, named, and nothing is written.
    const inside = path.join(dir, "notes.txt");
    writeFileSync(inside, "Waves carry energy, not water.\n");
    const refused = await caught(() => s.service.addSource(nb.id, { file: inside }));
    expect(refused).toMatchObject({ kind: "invalid_input", field: "source.file" });
    expect(refused.message).toMatch(/data directory/);

    const full = await s.service.getNotebook(nb.id);
    expect(full.source_count).toBe(4);
    const texts = full.sources.map((x) => x.text);
    expect(texts[1]).toContain("The Gulf Stream warms Europe.");
    expect(texts[1]).not.toContain("**");
    expect(texts[2]).toContain("Waves carry energy");
    expect(full.sources[2]!.file_name).toBe("notes.txt");
    expect(texts[3]).toContain("The moon pulls the sea.");
    expect(texts[3]).not.toContain("var x");
    expect(full.sources[3]!.url).toBe(`${web.url}/article`);
    expect(full.sources[3]!.title).toBe("Tides");

    const listed = await s.service.listNotebooks();
    expect(listed.find((n) => n.id === nb.id)?.source_count).toBe(4);
  });

  it("rejects hostile and malformed ids before any query", async () => {
    const before = await count(s.db, "source");
    for (const id of [
      "../../etc/passwd",
      "notebook:x; DELETE notebook",
      "notebook:⟨x⟩",
      "source:abc",
      "",
      "notebook:",
    ]) {
      const e = await caught(() => s.service.addSource(id, { text: "hello" }));
      expect(e, id).toMatchObject({ kind: "invalid_input", field: "notebook_id" });
      const g = await caught(() => s.service.getNotebook(id));
      expect(g.kind, id).toBe("invalid_input");
    }
    const missing = await caught(() => s.service.getNotebook("notebook:doesnotexist"));
    expect(missing.kind).toBe("not_found");
    expect(await count(s.db, "source")).toBe(before);
    expect(await count(s.db, "notebook")).toBeGreaterThan(0);
  });

  it("refuses empty, oversized and unreadable sources with the field and the rule", async () => {
    const nb = await s.service.createNotebook({ name: "Limits" });
    const empty = await caught(() => s.service.addSource(nb.id, { text: "   " }));
    expect(empty).toMatchObject({ kind: "invalid_input", message: "text: must not be empty" });
    const huge = await caught(() => s.service.addSource(nb.id, { text: "word ".repeat(MAX_CONTENT_CHARS / 4) }));
    expect(huge.kind).toBe("invalid_input");
    expect(huge.message).toMatch(/at most 200000 characters/);
    const exe = path.join(dir, "tool.exe");
    writeFileSync(exe, "MZ");
    const bad = await caught(() => s.service.addSource(nb.id, { file: exe }));
    expect(bad).toMatchObject({ kind: "invalid_input" });
    expect(bad.message).toMatch(/^source\.file: /);
    const scheme = await caught(() => s.service.addSource(nb.id, { url: "file:///etc/passwd" }));
    expect(scheme).toMatchObject({
      kind: "invalid_input",
      field: "source.url",
      message: "source.url: must be an http(s) URL",
    });
    const noName = await caught(() => s.service.createNotebook({ name: " " }));
    expect(noName).toMatchObject({ kind: "invalid_input", field: "name" });
    expect((await s.service.getNotebook(nb.id)).sources).toEqual([]);
  });

  it("keeps a notebook within what one episode can be written from", async () => {
    const nb = await s.service.createNotebook({ name: "Full" });
    const chunk = "Lorem ipsum dolor sit amet. ".repeat(Math.floor(MAX_CONTENT_CHARS / 28 / 2) - 10);
    await s.service.addSource(nb.id, { text: chunk });
    await s.service.addSource(nb.id, { text: chunk });
    const over = await caught(() => s.service.addSource(nb.id, { text: chunk }));
    expect(over.kind).toBe("invalid_input");
    expect(over.message).toContain(`a notebook may hold at most ${MAX_CONTENT_CHARS}`);
    expect((await s.service.getNotebook(nb.id)).source_count).toBe(2);
  });
});
