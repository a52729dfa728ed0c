// The agent writes the conversation itself, over stdio with no key and no sampling: the brief says
// everything a model needs, a script written from it becomes an episode, a broken script is refused
// naming the turn and the rule, and the descriptions and the prompt point to this route.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorText, stopDaemon, structured } from "../helpers/mcp.js";
import { stopAll, tmpDataDir } from "../helpers/procs.js";
import { connectClient, finished, type StdioClient } from "../sampling/clients.js";

const SOURCE = `# How bees talk

## The waggle dance
A forager that found flowers dances on the comb. The angle of the dance to the vertical is the angle of the
flowers to the sun. Other bees follow her and learn the way.

## Distance
The longer the waggle run, the farther the flowers are. One second of waggling means roughly a kilometre of
flight. Bees correct for the moving sun while they fly.

## Quality
A rich patch gets a longer, livelier dance. More bees are recruited to it, so the colony sends its workers
where the food is best.`;

interface Brief {
  when_to_use: string;
  server_writers: { outline: string; transcript: string };
  episode_name: string;
  episode_profile: string;
  language: string;
  language_name: string;
  speakers: { name: string; role: string; backstory: string; personality: string }[];
  target: { minutes: number; words: number };
  segments: {
    segment: number;
    name: string;
    headings: string[];
    starts_with: string;
    target_words: number;
    target_turns: number;
  }[];
  rules: string[];
  script_shape: {
    json_schema: { type: string; items: { required: string[] } };
    example: { speaker: string; segment: number }[];
  };
  submit: { tool: string; arguments: Record<string, unknown> };
  source: { words: number; text?: string };
}

type Turn = { speaker: string; text: string; segment: number };

/** What an agent does with the brief: a conversation per segment, opened and closed by the host. */
function writeFromBrief(b: Brief): Turn[] {
  const [host, guest] = b.speakers.map((s) => s.name) as [string, string];
  const last = b.segments.length - 1;
  return b.segments.flatMap((s) => {
    const turns: Turn[] = [];
    if (s.segment === 0) {
      turns.push({
        speaker: host,
        text: `Welcome to ${b.episode_name}. I'm ${host}, and with me today is ${guest}.`,
        segment: 0,
      });
      turns.push({ speaker: guest, text: `Thanks, ${host}. Glad to be here.`, segment: 0 });
    }
    turns.push({ speaker: host, text: `So, ${guest}, tell me about ${s.name.toLowerCase()}.`, segment: s.segment });
    turns.push({ speaker: guest, text: `Well, ${host}, it starts like this. ${s.starts_with}`, segment: s.segment });
    if (s.segment === last)
      turns.push({
        speaker: host,
        text: `That's all for today. Thanks, ${guest}, and thanks for listening.`,
        segment: s.segment,
      });
    return turns;
  });
}

let dataDir = "";
let agent: StdioClient;

beforeAll(async () => {
  dataDir = tmpDataDir();
  agent = await connectClient(dataDir, "agent-without-sampling", {});
});
afterAll(async () => {
  await agent?.close();
  if (dataDir) await stopDaemon(dataDir);
  await stopAll();
});

describe("the agent writes the script", () => {
  let brief: Brief;

  it("lists get_script_brief, and generate_podcast's description points to it", async () => {
    const { tools } = await agent.client.listTools();
    const tool = tools.find((t) => t.name === "get_script_brief")!;
    expect(tool.annotations?.readOnlyHint).toBe(true);
    expect(tool.description).toMatch(/no LLM configured/);
    expect(tools.find((t) => t.name === "generate_podcast")!.description).toMatch(
      /call get_script_brief, write the turns/,
    );
  });

  it("briefs: speakers, the sections as segments with target words, rules and the script's shape", async () => {
    brief = structured<Brief>(
      await agent.client.callTool({
        name: "get_script_brief",
        arguments: { content: SOURCE, episode_profile: "tech_discussion" },
      }),
    );
    expect(brief.server_writers).toEqual({ outline: "builtin", transcript: "builtin" });
    expect(brief.when_to_use).toMatch(/server_writers says builtin/);
    expect(brief.episode_name).toBe("How bees talk");
    expect(brief.language_name).toBe("English, language tag en");
    expect(brief.speakers.map((s) => [s.name, s.role])).toEqual([
      ["Alex", "host"],
      ["Sam", "guest"],
    ]);
    expect(brief.speakers[1]!.backstory).toMatch(/engineer/);
    // One segment per heading that has text under it, in order.
    expect(brief.segments.map((s) => s.name)).toEqual(["The waggle dance", "Distance", "Quality"]);
    expect(brief.segments[1]!.starts_with).toBe("The longer the waggle run, the farther the flowers are.");
    // A short source: the episode's floor of 3 minutes, shared out by the sections' lengths.
    expect(brief.target).toMatchObject({ minutes: 3, words: 450 });
    const shares = brief.segments.map((s) => s.target_words);
    expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(440);
    expect(brief.segments.every((s) => s.target_turns >= 2)).toBe(true);
    expect(brief.rules.join("\n")).toMatch(/Alex is the host and opens the episode in segment 0/);
    expect(brief.rules.join("\n")).toMatch(/closes the episode at the end of segment 2/);
    expect(brief.rules.join("\n")).toMatch(/no stage directions/i);
    expect(brief.rules.join("\n")).toMatch(/At most 4000 characters per turn/);
    expect(brief.script_shape.json_schema.type).toBe("array");
    expect(brief.script_shape.json_schema.items.required).toEqual(["speaker", "text"]);
    expect(brief.script_shape.example[0]).toMatchObject({ speaker: "Alex", segment: 0 });
    expect(brief.submit).toMatchObject({
      tool: "generate_podcast",
      arguments: { episode_profile: "tech_discussion", episode_name: "How bees talk", language: "en" },
    });
    expect(brief.source.text).toContain("One second of waggling");
  });

  it("refuses a broken script naming the turn and the rule, then makes the fixed one", async () => {
    const script = writeFromBrief(brief);
    const args = { ...brief.submit.arguments };
    const wrongSpeaker = script.map((t, i) => (i === 2 ? { ...t, speaker: "Narrator" } : t));
    const e1 = errorText(
      await agent.client.callTool({ name: "generate_podcast", arguments: { ...args, script: wrongSpeaker } }),
    );
    expect(e1).toMatch(
      /invalid_input: script\[2\]\.speaker: must be a speaker of profile "tech_experts" \(Alex, Sam\); got "Narrator"/,
    );
    const emptyText = script.map((t, i) => (i === 4 ? { ...t, text: "   " } : t));
    const e2 = errorText(
      await agent.client.callTool({ name: "generate_podcast", arguments: { ...args, script: emptyText } }),
    );
    expect(e2).toMatch(/script\[4\]\.text: must not be empty/);

    const sub = structured<{ job_id: string; episode_id: string; message: string }>(
      await agent.client.callTool({ name: "generate_podcast", arguments: { ...args, script } }),
    );
    const job = await finished(agent.client, sub.job_id);
    expect(job.status).toBe("completed");
    expect(job.result?.writer).toEqual({ outline: "script", transcript: "script" });
    const ep = structured<{ transcript: Turn[]; chapters: unknown[]; writer: unknown }>(
      await agent.client.callTool({ name: "get_episode", arguments: { episode_id: sub.episode_id } }),
    );
    expect(ep.transcript.map((t) => [t.speaker, t.text, t.segment])).toEqual(
      script.map((t) => [t.speaker, t.text, t.segment]),
    );
    expect(ep.chapters).toHaveLength(brief.segments.length);
    expect(ep.writer).toEqual({ outline: "script", transcript: "script" });
  });

  it("briefs a notebook without repeating its text when asked not to", async () => {
    const nb = structured<{ id: string }>(
      await agent.client.callTool({ name: "create_notebook", arguments: { name: "Bees" } }),
    );
    await agent.client.callTool({ name: "add_source", arguments: { notebook_id: nb.id, source: { text: SOURCE } } });
    const b = structured<Brief>(
      await agent.client.callTool({
        name: "get_script_brief",
        arguments: { notebook_id: nb.id, episode_profile: "solo_expert", include_source: false },
      }),
    );
    expect(b.source.text).toBeUndefined();
    expect(b.source.words).toBeGreaterThan(60);
    expect(b.speakers.map((s) => s.role)).toEqual(["host"]);
    expect(b.rules.join("\n")).toMatch(/Sam opens the episode in segment 0/);
    const bad = errorText(
      await agent.client.callTool({ name: "get_script_brief", arguments: { content: "x", notebook_id: nb.id } }),
    );
    expect(bad).toMatch(
      /notebook_id: give exactly one of content, notebook_id or sources \(got content, notebook_id\)/,
    );
  });
});

describe("with no LLM and no sampling", () => {
  it("auto says the built-in writer will read the source aloud, and the result says it did", async () => {
    const sub = structured<{ job_id: string; message: string }>(
      await agent.client.callTool({
        name: "generate_podcast",
        arguments: { episode_profile: "solo_expert", content: SOURCE },
      }),
    );
    expect(sub.message).toMatch(/No LLM is configured on this server and this session did not declare sampling/);
    expect(sub.message).toMatch(/call get_script_brief/);
    const job = await finished(agent.client, sub.job_id);
    expect(job.result?.writer).toEqual({ outline: "builtin", transcript: "builtin" });
  });

  it("refuses writer client for a session that cannot be asked", async () => {
    const saved = await agent.client.callTool({
      name: "save_episode_profile",
      arguments: {
        name: "by_my_model",
        speaker_profile: "tech_experts",
        transcript_provider: "client",
        num_segments: 3,
      },
    });
    expect(saved.isError).toBeFalsy();
    const err = errorText(
      await agent.client.callTool({
        name: "generate_podcast",
        arguments: { episode_profile: "by_my_model", content: SOURCE },
      }),
    );
    expect(err).toMatch(
      /invalid_input: episode_profile\.transcript_provider: "client" asks your model through MCP sampling/,
    );
    expect(err).toMatch(/get_script_brief/);
  });

  it("offers the write_episode_script prompt: brief, script, submit", async () => {
    const { prompts } = await agent.client.listPrompts();
    expect(prompts.map((p) => p.name)).toContain("write_episode_script");
    const p = await agent.client.getPrompt({
      name: "write_episode_script",
      arguments: { notebook_id: "notebook:abc", episode_profile: "solo_expert" },
    });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toMatch(/1\. Call get_script_brief with notebook_id "notebook:abc", episode_profile "solo_expert"/);
    expect(text).toMatch(/4\. Call generate_podcast with the brief's submit\.arguments, your turns as script/);
    expect(text).toMatch(/fix those turns and call it again/);
  });
});
