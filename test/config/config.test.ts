// One validated config: a bad value stops the program at start with a message naming the variable.
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, defaultDataDir, loadConfig } from "../../src/config.js";
import { cleanEnv, spawnCli, stopAll, tmpDataDir } from "../helpers/procs.js";

afterAll(stopAll);

describe("config", () => {
  it("has working defaults", () => {
    const c = loadConfig({ HOME: "/home/someone" } as NodeJS.ProcessEnv);
    expect(c.surrealUrl).toBeUndefined();
    expect(c.namespace).toBe("podcast_mcp");
    expect(c.workers).toBe(2);
    expect(c.leaseMs).toBe(30_000);
    expect(c.exposure).toBe("local");
    expect(c.dataDir).toBe(defaultDataDir({ HOME: "/home/someone" } as NodeJS.ProcessEnv));
  });

  it.each([
    ["SURREAL_URL", "postgres://x", /SURREAL_URL: must be mem:\/\//],
    ["PODCAST_MCP_WORKERS", "many", /PODCAST_MCP_WORKERS/],
    ["PODCAST_MCP_WORKERS", "100", /PODCAST_MCP_WORKERS: must be at most 64/],
    ["LOG_LEVEL", "loud", /LOG_LEVEL: must be one of/],
    ["OPENAI_BASE_URL", "localhost:11434", /OPENAI_BASE_URL: must be an http\(s\) URL/],
    ["SURREAL_NAMESPACE", "a-b; DROP", /SURREAL_NAMESPACE/],
  ])("rejects %s=%s", (name, value, rule) => {
    expect(() => loadConfig({ [name]: value } as NodeJS.ProcessEnv)).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value } as NodeJS.ProcessEnv)).toThrow(rule);
  });

  it("the CLI stops at start with the variable named, exit code 2, nothing on stdout", async () => {
    const p = spawnCli(["doctor"], cleanEnv({ PODCAST_MCP_LEASE_MS: "5" }));
    const { code } = await p.exited;
    expect(code).toBe(2);
    expect(p.stderr()).toMatch(/PODCAST_MCP_LEASE_MS: must be at least 200/);
    expect(p.stdout()).toBe("");
  });

  it("doctor reports what this install would use and speaks with the built-in voice", async () => {
    const p = spawnCli(["doctor"], cleanEnv({ PODCAST_MCP_DATA_DIR: tmpDataDir() }));
    expect((await p.exited).code).toBe(0);
    expect(p.stderr()).toMatch(/built-in offline writer/);
    expect(p.stderr()).toMatch(/ok\s+built-in voice\s+spoke \d+\.\d s of audio/);
  });

  it("doctor names the writer's and the voices' endpoints by origin, never their credentials", async () => {
    const env = cleanEnv({
      PODCAST_MCP_DATA_DIR: tmpDataDir(),
      LLM_BASE_URL: "http://user:hunter2@127.0.0.1:11434/v1",
      LLM_MODEL: "llama3.1",
      TTS_BASE_URL: "http://127.0.0.1:8880/v1",
      TTS_MODEL: "kokoro",
    });
    const p = spawnCli(["doctor"], env);
    expect((await p.exited).code).toBe(0);
    expect(p.stderr()).toMatch(
      /script writer \(auto\)\s+OpenAI-compatible at http:\/\/127\.0\.0\.1:11434, model llama3\.1/,
    );
    expect(p.stderr()).toMatch(/voices \(auto\)\s+OpenAI-compatible TTS at http:\/\/127\.0\.0\.1:8880, model kokoro/);
    expect(p.stderr()).not.toMatch(/hunter2/);
  });

  it("an unknown command says so and lists the commands", async () => {
    const p = spawnCli(["frobnicate"], cleanEnv());
    expect((await p.exited).code).toBe(2);
    expect(p.stderr()).toMatch(/Unknown command: frobnicate[\s\S]*generate/);
  });
});
