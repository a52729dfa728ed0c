// Every tool's annotations checked against what the tool does (MCP ToolAnnotations): each tool is
// called in a state where its effect shows, with a snapshot of every table before, after the call
// and after the same call again.
// - readOnlyHint true: nothing changed. false: something changed (else the hint could be true).
// - destructiveHint true: a record that existed changed or went away. false: only new records.
// - idempotentHint true: the second call changed nothing more. false: it did (for retry_episode,
//   once the job the first call made has ended, which is when an agent would call it again).
// - openWorldHint: true for the tools that read files or web pages the caller names (their
//   schema has file/url), that check voices with a speech provider, or that start a job calling
//   script and speech providers; false for the rest, which touch only this server's records.
// `updated` timestamps are left out of the snapshots: bookkeeping, not an effect.
import { describe, expect, it } from "vitest";
import type { ToolDef } from "../../src/tools/define.js";
import { inputJsonSchema } from "../../src/tools/json-schema.js";
import { TOOLS } from "../../src/tools/index.js";
import { useTools } from "./support.js";

const t = useTools();

const TABLES = ["episode", "command", "notebook", "source", "episode_profile", "speaker_profile"];

type Snapshot = Map<string, string>;

async function snapshot(): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of TABLES) {
    const [rows] = await t.s.db
      .query<[Record<string, unknown>[]]>("SELECT * FROM type::table($table)", { table })
      .collect();
    for (const row of rows ?? []) {
      const { updated: _updated, ...rest } = row;
      out.set(
        String(row.id),
        JSON.stringify(rest, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)),
      );
    }
  }
  return out;
}

function diff(a: Snapshot, b: Snapshot) {
  const added = [...b.keys()].filter((k) => !a.has(k));
  const removed = [...a.keys()].filter((k) => !b.has(k));
  const changed = [...a.keys()].filter((k) => b.has(k) && a.get(k) !== b.get(k));
  return { added, removed, changed, any: added.length + removed.length + changed.length > 0 };
}

const submit = (name: string) =>
  t.call<{ job_id: string; episode_id: string }>("generate_podcast", {
    episode_name: name,
    script: [{ speaker: "Alex", text: "Hello." }],
  });

interface Scenario {
  /** Makes the state the call acts on; returns the call's arguments. */
  arrange(): Promise<unknown>;
  /** Between the two calls (what happens before an agent would call again). */
  between?(args: unknown): Promise<void>;
}

const SCENARIOS: Record<string, Scenario> = {
  generate_podcast: { arrange: async () => ({ content: "The tide comes in.", episode_name: "Tide" }) },
  get_job_status: { arrange: async () => ({ job_id: (await submit("status")).job_id, wait_seconds: 0 }) },
  cancel_job: { arrange: async () => ({ job_id: (await submit("cancel")).job_id }) },
  retry_episode: {
    arrange: async () => {
      const sub = await submit("retry");
      await t.call("cancel_job", { job_id: sub.job_id });
      return { episode_id: sub.episode_id };
    },
    between: async (args) => {
      const ep = await t.call<{ job_id: string }>("get_episode", args);
      await t.call("cancel_job", { job_id: ep.job_id });
    },
  },
  list_episodes: { arrange: async () => (await submit("listed"), { limit: 10 }) },
  get_episode: { arrange: async () => ({ episode_id: (await submit("got")).episode_id }) },
  delete_episode: { arrange: async () => ({ episode_id: (await submit("deleted")).episode_id }) },
  list_profiles: { arrange: async () => ({}) },
  save_episode_profile: {
    arrange: async () => ({
      name: "tech_discussion",
      speaker_profile: "tech_experts",
      num_segments: 5,
      description: "Edited",
    }),
  },
  save_speaker_profile: {
    arrange: async () => ({
      name: "solo_expert",
      tts_provider: "builtin",
      speakers: [{ name: "Kim", voice_id: "awb" }],
    }),
  },
  create_notebook: { arrange: async () => ({ name: "Harbours" }) },
  add_source: {
    arrange: async () => ({
      notebook_id: (await t.call<{ id: string }>("create_notebook", { name: "Quays" })).id,
      source: { text: "Stone." },
    }),
  },
  list_notebooks: { arrange: async () => ({}) },
  get_script_brief: { arrange: async () => ({ content: "# Tides\n\nThe moon pulls the sea." }) },
};

/** Tools that reach past this server's records, and how (see the header). */
const OPEN_WORLD: Record<string, string> = {
  generate_podcast: "reads the files and web pages it is given; its job calls script and speech providers",
  retry_episode: "its job calls script and speech providers",
  add_source: "reads the file or web page it is given",
  save_speaker_profile: "checks the voices with the speech provider",
  get_script_brief: "reads the files and web pages it is given",
};

describe("annotations say what each tool does", () => {
  it("every tool has a scenario", () => {
    expect(Object.keys(SCENARIOS).sort()).toEqual(TOOLS.map((tool) => tool.name).sort());
  });

  it.each(TOOLS.map((tool) => [tool.name, tool] as [string, ToolDef]))("%s", async (name, tool) => {
    const scenario = SCENARIOS[name]!;
    const args = await scenario.arrange();
    const s0 = await snapshot();
    await t.call(name, args);
    const s1 = await snapshot();
    await scenario.between?.(args);
    const s2 = await snapshot();
    await t.call(name, args).catch(() => undefined);
    const s3 = await snapshot();
    const first = diff(s0, s1);
    const second = diff(s2, s3);
    const a = tool.annotations;

    expect(first.any, "readOnlyHint: the first call changed something").toBe(!a.readOnlyHint);
    if (a.readOnlyHint) {
      expect(second.any, "a read-only tool changed something on the second call").toBe(false);
      return;
    }
    const touchedExisting = first.removed.length + first.changed.length > 0;
    expect(touchedExisting, `destructiveHint ${a.destructiveHint}: ${JSON.stringify(first)}`).toBe(
      a.destructiveHint === true,
    );
    expect(second.any, `idempotentHint ${a.idempotentHint}: the second call ${JSON.stringify(second)}`).toBe(
      !a.idempotentHint,
    );
  });

  it("openWorldHint: true exactly for the tools that reach outside; the others take no file or url", () => {
    for (const tool of TOOLS) {
      expect(tool.annotations.openWorldHint, tool.name).toBe(tool.name in OPEN_WORLD);
      const schema = JSON.stringify(inputJsonSchema(tool.input));
      const namesOutside = schema.includes('"url"') && schema.includes('"file"');
      if (!tool.annotations.openWorldHint) expect(namesOutside, `${tool.name} takes a file or url`).toBe(false);
    }
    expect(JSON.stringify(inputJsonSchema(TOOLS.find((x) => x.name === "add_source")!.input))).toContain('"url"');
  });
});
