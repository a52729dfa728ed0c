// create_notebook, add_source, list_notebooks without MCP: arguments in, structured result out,
// every refusal an AppError naming the field.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { tmpDataDir } from "../helpers/procs.js";
import { useTools } from "./support.js";

const t = useTools();

type Notebook = { id: string; name: string; description: string; source_count: number; created: string };
type Source = {
  id: string;
  notebook_id: string;
  kind: string;
  title: string;
  size: number;
  bytes: number;
  file_name?: string;
};

describe("create_notebook and list_notebooks", () => {
  it("creates notebooks and lists them newest first, up to a limit", async () => {
    const a = await t.call<Notebook>("create_notebook", { name: "  Sea notes  " });
    expect(a).toMatchObject({ name: "Sea notes", description: "", source_count: 0 });
    expect(a.id).toMatch(/^notebook:\w+$/);
    const b = await t.call<Notebook>("create_notebook", {
      name: "Lighthouses",
      description: "Keepers,\nlamps and lenses",
    });
    expect(b.description).toBe("Keepers,\nlamps and lenses");
    const all = await t.call<{ notebooks: Notebook[] }>("list_notebooks", {});
    expect(all.notebooks.map((n) => n.id).slice(0, 2)).toEqual([b.id, a.id]);
    expect(
      (await t.call<{ notebooks: Notebook[] }>("list_notebooks", { limit: 1 })).notebooks.map((n) => n.id),
    ).toEqual([b.id]);
  });

  it("names the field of each broken rule", async () => {
    expect(await t.refused("create_notebook", { name: " " })).toMatchObject({
      kind: "invalid_input",
      field: "name",
      message: "name: must not be empty",
    });
    expect(await t.refused("create_notebook", { name: "x".repeat(201) })).toMatchObject({ field: "name" });
    expect(await t.refused("create_notebook", { name: "ok", description: "x".repeat(2_001) })).toMatchObject({
      field: "description",
    });
    expect(await t.refused("create_notebook", {})).toMatchObject({ field: "name" });
    expect(await t.refused("list_notebooks", { limit: 0 })).toMatchObject({ field: "limit" });
    expect(await t.refused("list_notebooks", { limit: 2.5 })).toMatchObject({ field: "limit" });
  });
});

describe("add_source", () => {
  it("stores pasted text, markdown and a local file, and counts them on the notebook", async () => {
    const nb = await t.call<Notebook>("create_notebook", { name: "Sources" });
    const text = await t.call<Source>("add_source", {
      notebook_id: nb.id,
      source: { text: "Plain words about tides.", title: "Tides" },
    });
    expect(text).toMatchObject({ notebook_id: nb.id, kind: "text", title: "Tides", size: 24 });
    expect(text.id).toMatch(/^source:\w+$/);
    const md = await t.call<Source>("add_source", {
      notebook_id: nb.id.replace("notebook:", ""),
      source: { text: "# Waves\n\n- one\n- two" },
    });
    expect(md).toMatchObject({ kind: "markdown", title: expect.stringContaining("Waves") });
    const file = path.join(tmpDataDir("podcast-mcp-tools-src-"), "harbour.txt");
    writeFileSync(file, "The harbour wall was built in 1820.");
    const fromFile = await t.call<Source>("add_source", { notebook_id: nb.id, source: { file } });
    expect(fromFile).toMatchObject({ kind: "file", file_name: "harbour.txt", bytes: 35 });
    const listed = await t.call<{ notebooks: Notebook[] }>("list_notebooks", {});
    expect(listed.notebooks.find((n) => n.id === nb.id)?.source_count).toBe(3);
  });

  it("a source is exactly one of text, file or url; each refusal names its field", async () => {
    const nb = await t.call<Notebook>("create_notebook", { name: "Refusals" });
    const add = (source: unknown, notebook_id: unknown = nb.id) => t.refused("add_source", { notebook_id, source });
    expect(await add({ title: "nothing" })).toMatchObject({
      kind: "invalid_input",
      field: "source",
      message: "source: give exactly one of text, file or url (got none)",
    });
    expect(await add({ text: "a", file: "/x.txt" })).toMatchObject({
      field: "source.file",
      message: "source.file: give exactly one of text, file or url (got text, file)",
    });
    expect(await add({ url: "ftp://example.com/x" })).toMatchObject({
      field: "source.url",
      message: "source.url: must be an http(s) URL",
    });
    expect(await add({ text: "a", author: "me" })).toMatchObject({ field: "source" });
    expect(await add({ text: "a", title: "t".repeat(201) })).toMatchObject({ field: "source.title" });
    expect(await add({ file: "/definitely/not/here.txt" })).toMatchObject({
      kind: "invalid_input",
      field: expect.stringMatching(/^source\.file/),
    });
    expect(await add({ text: "hello" }, "notebook:nope")).toMatchObject({ kind: "not_found", field: "notebook_id" });
    expect(await add({ text: "hello" }, "notebook:a b")).toMatchObject({ kind: "invalid_input", field: "notebook_id" });
    expect(
      (await t.call<{ notebooks: Notebook[] }>("list_notebooks", {})).notebooks.find((n) => n.id === nb.id)
        ?.source_count,
    ).toBe(0);
  });
});
