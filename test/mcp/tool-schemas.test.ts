// Every tool schema from a real tools/list (the built server over stdio) against the rule sets of
// the clients we aim at: Claude, OpenAI function calling (also strict mode, as the OpenAI Agents
// SDK converts schemas), Gemini function declarations, Cursor, VS Code (test/tools/
// client-schema-rules.ts states each rule and its source). Output schemas: objects, every field
// typed; the v2 client compiles them and validates real results against them.
import { describe, expect, it } from "vitest";
import { structured, useStdioSession } from "../helpers/mcp.js";
import { OUTPUT, RULE_SETS, type RuleSet, type Schema, type ToolSchemas } from "../tools/client-schema-rules.js";

const session = useStdioSession();

async function listed(): Promise<{ tools: ToolSchemas[]; server: string }> {
  const { tools } = await session.s.client.listTools();
  const server = session.s.client.getServerVersion()?.name ?? "";
  return {
    tools: tools.map((t) => ({
      name: t.name,
      inputSchema: t.inputSchema as Schema,
      outputSchema: t.outputSchema as Schema,
    })),
    server,
  };
}

const prop = (schema: Schema, ...path: string[]): Schema =>
  path.reduce<Schema>(
    (s, key) => (key === "items" ? (s.items as Schema) : ((s.properties as Record<string, Schema>)[key] as Schema)),
    schema,
  );

describe("tools/list schemas every client accepts", () => {
  it.each(RULE_SETS.map((r) => [r.client, r] as [string, RuleSet]))("%s", async (_client, rules) => {
    const { tools, server } = await listed();
    expect(server).toBe("podcast-mcp");
    expect(tools.length).toBeGreaterThanOrEqual(13);
    expect(tools.flatMap((tool) => rules.check(tool, server).map((v) => `${tool.name}: ${v}`))).toEqual([]);
  });

  it("output schemas: an object for every tool, every field typed", async () => {
    const { tools, server } = await listed();
    expect(tools.flatMap((tool) => OUTPUT.check(tool, server).map((v) => `${tool.name}: ${v}`))).toEqual([]);
  });

  it("the points of issue 7 §4: bounds the server enforces, sources without a union", async () => {
    const { tools } = await listed();
    const input = (name: string) => tools.find((t) => t.name === name)!.inputSchema;
    expect(prop(input("save_episode_profile"), "num_segments")).toMatchObject({
      type: "integer",
      minimum: 3,
      maximum: 20,
    });
    expect(prop(input("generate_podcast"), "script", "items", "segment")).toMatchObject({
      type: "integer",
      minimum: 0,
      maximum: 1000,
    });
    for (const source of [prop(input("generate_podcast"), "sources", "items"), prop(input("add_source"), "source")]) {
      expect(source.type).toBe("object");
      expect(Object.keys(source.properties as object)).toEqual(["text", "file", "url", "title"]);
      expect(source.required).toBeUndefined();
    }
    for (const tool of tools)
      expect(JSON.stringify(tool.inputSchema), tool.name).not.toMatch(/"\$schema"|"anyOf"|"additionalProperties"/);
  });

  it("results validate against the advertised output schemas in the v2 client", async () => {
    // The client compiles each tool's outputSchema and checks structuredContent against it; a
    // mismatch would be an error here, not a result.
    const profiles = structured<{ episode_profiles: { name: string; num_segments: number }[] }>(
      await session.s.client.callTool({ name: "list_profiles", arguments: { kind: "episode" } }),
    );
    expect(profiles.episode_profiles.find((p) => p.name === "tech_discussion")?.num_segments).toBeGreaterThanOrEqual(3);
    const nb = structured<{ id: string; source_count: number }>(
      await session.s.client.callTool({ name: "create_notebook", arguments: { name: "Schemas" } }),
    );
    expect(nb.source_count).toBe(0);
    const src = structured<{ kind: string }>(
      await session.s.client.callTool({
        name: "add_source",
        arguments: { notebook_id: nb.id, source: { text: "Words." } },
      }),
    );
    expect(src.kind).toBe("text");
    const sub = structured<{ job_id: string; episode_id: string }>(
      await session.s.client.callTool({ name: "generate_podcast", arguments: { notebook_id: nb.id } }),
    );
    const job = structured<{ job_id: string; attempts: number }>(
      await session.s.client.callTool({ name: "cancel_job", arguments: { job_id: sub.job_id } }),
    );
    expect(job.job_id).toBe(sub.job_id);
    const ep = structured<{ status: string; checkpoints: string[] }>(
      await session.s.client.callTool({ name: "get_episode", arguments: { episode_id: sub.episode_id } }),
    );
    // A worker of the daemon may have started or even finished it before the cancel arrived.
    expect(["pending", "running", "completed", "canceled"]).toContain(ep.status);
    const list = structured<{ episodes: { id: string }[] }>(
      await session.s.client.callTool({ name: "list_episodes", arguments: {} }),
    );
    expect(list.episodes.map((e) => e.id)).toContain(sub.episode_id);
  });
});
