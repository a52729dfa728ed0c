// `podcast-mcp doctor`: what this install would use, and whether each part answers. Read-only:
// it never starts the daemon and never calls a paid API except to list voices when a key is set.
import type { Config } from "./config.js";
import { readHostState, connectFromConfig } from "./db/index.js";
import { silentLogger } from "./log.js";

type Check = { name: string; ok: boolean; detail: string };

export async function main(_args: string[], config: Config): Promise<number> {
  const checks: Check[] = [];
  checks.push({ name: "config", ok: true, detail: `data dir ${config.dataDir}` });
  if (config.surrealUrl) {
    checks.push({ name: "database", ok: true, detail: `SURREAL_URL ${config.surrealUrl.replace(/\/\/[^@/]*@/, "//***@")}` });
  } else {
    const state = await readHostState(config.dataDir);
    checks.push({ name: "local daemon", ok: true, detail: state ? `DB host pid ${state.pid} on 127.0.0.1:${state.port}` : "not running (the MCP server starts it on demand)" });
  }
  if (config.surrealUrl || (await readHostState(config.dataDir))) {
    try {
      const db = await connectFromConfig(config, { waitMs: 2000 });
      const t0 = performance.now();
      await db.query("RETURN 1");
      checks.push({ name: "database query", ok: true, detail: `${(performance.now() - t0).toFixed(1)} ms round trip` });
      await db.close();
    } catch (err) {
      checks.push({ name: "database query", ok: false, detail: (err as Error).message });
    }
  }
  const llm = config.openai.apiKey || config.openai.baseUrl ? `OpenAI-compatible (${config.openai.baseUrl ?? "api.openai.com"})` : "built-in offline writer (no OPENAI_API_KEY / OPENAI_BASE_URL)";
  checks.push({ name: "script writer (auto)", ok: true, detail: llm });
  const tts = config.openai.apiKey || config.openai.baseUrl ? "OpenAI-compatible TTS" : "built-in Flite voices (slt, rms, awb)";
  checks.push({ name: "voices (auto)", ok: true, detail: `${tts}${config.elevenlabs.apiKey ? "; ElevenLabs key set" : ""}` });
  try {
    // The offline voice is free to try: speak one short sentence.
    const { BuiltinTtsEngine } = await import("./providers/tts/builtin.js");
    const t0 = performance.now();
    const pcm = await new BuiltinTtsEngine(silentLogger).synthesize({ text: "Hello from podcast-mcp.", voice: "slt", model: "", language: "en" }, new AbortController().signal);
    const seconds = pcm.samples.length / pcm.sampleRate;
    checks.push({ name: "built-in voice", ok: seconds > 0.5, detail: `spoke ${seconds.toFixed(1)} s of audio in ${(performance.now() - t0).toFixed(0)} ms` });
  } catch (err) {
    checks.push({ name: "built-in voice", ok: false, detail: (err as Error).message });
  }
  for (const c of checks) process.stderr.write(`${c.ok ? "ok  " : "FAIL"}  ${c.name.padEnd(22)} ${c.detail}\n`);
  return checks.every((c) => c.ok) ? 0 : 1;
}
