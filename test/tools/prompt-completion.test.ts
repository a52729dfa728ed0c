// Prompt arguments complete (completion/complete), asked by a v2 client of the server that
// buildMcpServer makes (the factory stdio and HTTP serve), over the real service: `profile` offers
// episode profile names, `notebook_id` notebook ids.
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/log.js";
import { buildMcpServer } from "../../src/server.js";
import { useTools } from "./support.js";

const t = useTools();
let client: Client;

beforeAll(async () => {
  const server = buildMcpServer({ podcasts: t.s.service, log: silentLogger }, undefined, "legacy");
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  client = new Client({ name: "podcast-mcp-test", version: "1.0.0" });
  await client.connect(clientSide);
});

afterAll(async () => {
  await client?.close();
});

const complete = async (prompt: string, name: string, value: string) =>
  (await client.complete({ ref: { type: "ref/prompt", name: prompt }, argument: { name, value } })).completion.values;

describe("prompt argument completion", () => {
  it("the server says it completes", () => {
    expect(client.getServerCapabilities()?.completions).toBeDefined();
  });

  it("profile: episode profile names starting with what was typed, ignoring case", async () => {
    expect(await complete("notebook_to_episode", "profile", "TECH")).toEqual(["tech_discussion"]);
    const all = await complete("notebook_to_episode", "profile", "");
    expect(all).toEqual(expect.arrayContaining(["business_analysis", "solo_expert", "tech_discussion"]));
    await t.call("save_episode_profile", { name: "tech_night", speaker_profile: "tech_experts", num_segments: 3 });
    expect(await complete("notebook_to_episode", "profile", "tech_")).toEqual(["tech_discussion", "tech_night"]);
    expect(await complete("notebook_to_episode", "profile", "zzz")).toEqual([]);
  });

  it("notebook_id: notebook ids, newest first, by id prefix (with or without notebook:) or by name", async () => {
    const harbour = await t.call<{ id: string }>("create_notebook", { name: "Harbour walls" });
    const tides = await t.call<{ id: string }>("create_notebook", { name: "Tides" });
    const ids = await complete("notebook_to_episode", "notebook_id", "");
    expect(ids.slice(0, 2)).toEqual([tides.id, harbour.id]);
    expect(await complete("notebook_to_episode", "notebook_id", "harbour")).toEqual([harbour.id]);
    const key = tides.id.slice("notebook:".length);
    expect(await complete("notebook_to_episode", "notebook_id", key.slice(0, 6))).toContain(tides.id);
    expect(await complete("notebook_to_episode", "notebook_id", `notebook:${key}`)).toEqual([tides.id]);
  });

  it("the prompt itself still takes both arguments", async () => {
    const nb = await t.call<{ id: string }>("create_notebook", { name: "Prompted" });
    const got = await client.getPrompt({
      name: "notebook_to_episode",
      arguments: { notebook_id: nb.id, profile: "solo_expert" },
    });
    const text = (got.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`notebook_id "${nb.id}"`);
    expect(text).toContain('episode_profile "solo_expert"');
  });
});
