// `podcast-mcp doctor`: what this install would use, and whether each part answers. Read-only:
// it never starts the daemon, calls no paid API and opens no store; with a local daemon running it
// sends one query to its DB host, and it speaks one sentence with the built-in voice (free, offline).
// One line per check on stderr; on a terminal, the check under way is shown while it runs.
import { parseFlags } from "./cli/args.js";
import { createStatusLine, createStyle } from "./cli/terminal.js";
import { usageError } from "./cli/usage.js";
import { type Config, withoutCredentials } from "./config.js";
import { readHostState, connectFromConfig } from "./db/index.js";
import { errorMessage } from "./errors.js";
import { logsRequested, silentLogger } from "./log.js";
import { resolveTtsProvider } from "./providers/tts/registry.js";
import { DEFAULT_LLM_MODEL, resolveLlmProvider } from "./providers/writer/registry.js";

/** An endpoint as doctor shows it: its origin only (a URL may carry credentials), and the model. */
function endpointDetail(baseUrl: string | undefined, model: string | undefined): string {
  let where = "api.openai.com";
  if (baseUrl) {
    try {
      where = new URL(baseUrl).origin;
    } catch {
      where = "(LLM/TTS base URL is not a URL)";
    }
  }
  return model ? `at ${where}, model ${model}` : `at ${where}`;
}

type Check = { name: string; ok: boolean; detail: string };

/** Where log lines go with this config and environment (src/cli/plain-log.ts decides the same way). */
function logsDetail(config: Config): string {
  if (config.logFile) return `JSON at level ${config.logLevel} to ${config.logFile}`;
  if (logsRequested()) return `JSON at level ${config.logLevel} on stderr`;
  return "commands on a terminal print warnings in words; --log-level, LOG_LEVEL or LOG_FILE turn logs on";
}

export async function main(args: string[], config: Config): Promise<number> {
  try {
    parseFlags("doctor", args, {});
  } catch (err) {
    process.stderr.write(usageError("doctor", errorMessage(err)));
    return 2;
  }
  const line = createStatusLine(process.stderr);
  const style = createStyle(line.terminal);
  let failed = 0;
  const report = (c: Check) => {
    if (!c.ok) failed++;
    line.clear();
    line.print(`${c.ok ? style.ok("ok  ") : style.bad("FAIL")}  ${c.name.padEnd(22)} ${c.detail}`);
  };
  const checking = (what: string) => line.show(`checking ${what}…`);

  report({ name: "config", ok: true, detail: `data dir ${config.dataDir}` });
  report({ name: "logs", ok: true, detail: logsDetail(config) });
  const host = config.surrealUrl ? undefined : await readHostState(config.dataDir);
  if (config.surrealUrl) {
    report({ name: "database", ok: true, detail: `SURREAL_URL ${withoutCredentials(config.surrealUrl)}` });
  } else {
    const running = host && `DB host pid ${host.pid} on 127.0.0.1:${host.port}`;
    report({ name: "local daemon", ok: true, detail: running || "not running (the MCP server starts it on demand)" });
  }
  if (config.surrealUrl || host) {
    checking("the database");
    try {
      const db = await connectFromConfig(config, { waitMs: 2000 });
      const t0 = performance.now();
      await db.query("RETURN 1");
      report({ name: "database query", ok: true, detail: `${(performance.now() - t0).toFixed(1)} ms round trip` });
      await db.close();
    } catch (err) {
      report({ name: "database query", ok: false, detail: errorMessage(err) });
    }
  }
  // "auto" as a run resolves it (providers/*/registry.ts): a configured endpoint, else the client's
  // model when the submitting client declared sampling, else the built-in writer or voices.
  const llm =
    resolveLlmProvider("auto", config) === "openai"
      ? `OpenAI-compatible ${endpointDetail(config.llm.baseUrl, config.llm.model ?? DEFAULT_LLM_MODEL)}`
      : "the MCP client's model when it offers sampling, else the built-in offline writer (no LLM_/OPENAI_ key or URL)";
  report({ name: "script writer (auto)", ok: true, detail: llm });
  const tts =
    resolveTtsProvider("auto", config) === "openai"
      ? `OpenAI-compatible TTS ${endpointDetail(config.tts.baseUrl, config.tts.model)}`
      : "built-in Flite voices (slt, rms, awb)";
  const elevenlabs = config.elevenlabs.apiKey ? "; ElevenLabs key set" : "";
  report({ name: "voices (auto)", ok: true, detail: `${tts}${elevenlabs}` });
  checking("the built-in voice");
  try {
    // The offline voice is free to try: speak one short sentence.
    const { BuiltinTtsEngine } = await import("./providers/tts/builtin.js");
    const t0 = performance.now();
    const request = { text: "Hello from podcast-mcp.", voice: "slt", model: "", language: "en" };
    const pcm = await new BuiltinTtsEngine(silentLogger).synthesize(request, new AbortController().signal);
    const seconds = pcm.samples.length / pcm.sampleRate;
    const ms = (performance.now() - t0).toFixed(0);
    report({ name: "built-in voice", ok: seconds > 0.5, detail: `spoke ${seconds.toFixed(1)} s of audio in ${ms} ms` });
  } catch (err) {
    report({ name: "built-in voice", ok: false, detail: errorMessage(err) });
  }
  return failed === 0 ? 0 : 1;
}
