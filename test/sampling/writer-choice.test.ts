// What "auto" means now (a configured LLM, else the submitting client's model when it can be asked,
// else the built-in writer), the writers a submission plans, the rule for writer "client", and the
// sampling path's settings.
import { describe, expect, it } from "vitest";
import { AppError, ConfigError } from "../../src/errors.js";
import type { EpisodeProfile } from "../../src/core/model.js";
import { resolveLlmProvider } from "../../src/providers/writer/registry.js";
import { loadConfig } from "../../src/config.js";

const samplingSettings = (env: NodeJS.ProcessEnv) => loadConfig(env).sampling;
import { checkClientWriter, describeWriters, plannedWriters } from "../../src/sampling/writer-choice.js";

const noKey = { llm: { apiKey: undefined, baseUrl: undefined, model: undefined } };
const withKey = { llm: { apiKey: "sk-test", baseUrl: undefined, model: undefined } };
const asker = { session: "s1", client: "claude-ai 0.1.0", sampling: true };
const silent = { session: "s2", client: "cursor 1.0", sampling: false };

const profile = (
  outline: EpisodeProfile["outline_provider"],
  transcript: EpisodeProfile["transcript_provider"],
): EpisodeProfile => ({
  name: "p",
  description: "",
  speaker_profile: "tech_experts",
  outline_provider: outline,
  outline_model: "gpt-4o-mini",
  transcript_provider: transcript,
  transcript_model: "gpt-4o",
  language: "en",
  default_briefing: "",
  num_segments: 3,
});

describe("auto", () => {
  it("is a configured LLM first, then the client's model when it can be asked, else the built-in writer", () => {
    expect(resolveLlmProvider("auto", withKey, { clientSampling: true })).toBe("openai");
    expect(
      resolveLlmProvider("auto", {
        llm: { apiKey: undefined, baseUrl: "http://127.0.0.1:11434/v1", model: undefined },
      }),
    ).toBe("openai");
    expect(resolveLlmProvider("auto", noKey, { clientSampling: true })).toBe("client");
    expect(resolveLlmProvider("auto", noKey, { clientSampling: false })).toBe("builtin");
    expect(resolveLlmProvider("auto", noKey)).toBe("builtin");
    expect(resolveLlmProvider("client", withKey)).toBe("client");
    expect(resolveLlmProvider("builtin", withKey, { clientSampling: true })).toBe("builtin");
  });

  it("plans writers by the names ScriptWriter uses, and says what the caller should do", () => {
    expect(plannedWriters(profile("auto", "auto"), false, noKey, asker)).toEqual({
      outline: "client:claude-ai 0.1.0",
      transcript: "client:claude-ai 0.1.0",
    });
    expect(plannedWriters(profile("auto", "auto"), false, withKey, asker)).toEqual({
      outline: "openai:gpt-4o-mini",
      transcript: "openai:gpt-4o",
    });
    expect(plannedWriters(profile("auto", "auto"), false, noKey, silent)).toEqual({
      outline: "builtin",
      transcript: "builtin",
    });
    expect(plannedWriters(profile("auto", "client"), true, noKey, silent)).toEqual({
      outline: "script",
      transcript: "script",
    });
    expect(describeWriters({ outline: "builtin", transcript: "builtin" })).toMatch(/call get_script_brief/);
    expect(describeWriters({ outline: "client:x", transcript: "client:x" })).toMatch(
      /answer the sampling\/createMessage requests/,
    );
    expect(describeWriters({ outline: "openai:m", transcript: "openai:m" })).toBe("");
    expect(describeWriters({ outline: "script", transcript: "script" })).toBe("");
  });
});

describe('writer "client"', () => {
  it("needs a session that can be asked, unless the script is given", () => {
    expect(() => checkClientWriter(profile("client", "auto"), false, asker)).not.toThrow();
    expect(() => checkClientWriter(profile("client", "auto"), true, undefined)).not.toThrow();
    let err: unknown;
    try {
      checkClientWriter(profile("auto", "client"), false, silent);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).kind).toBe("invalid_input");
    expect((err as AppError).field).toBe("episode_profile.transcript_provider");
    expect(() => checkClientWriter(profile("client", "client"), false, undefined)).toThrow(
      /episode_profile\.outline_provider/,
    );
  });
});

describe("settings", () => {
  it("reads the two bounds as durations, with defaults", () => {
    expect(samplingSettings({})).toEqual({ claimWaitMs: 60_000, answerTimeoutMs: 600_000, pollMs: 1_000 });
    expect(samplingSettings({ PODCAST_MCP_SAMPLING_WAIT: "2s", PODCAST_MCP_SAMPLING_TIMEOUT: "90" })).toMatchObject({
      claimWaitMs: 2_000,
      answerTimeoutMs: 90_000,
    });
    expect(samplingSettings({ PODCAST_MCP_SAMPLING_TIMEOUT: "15m" }).answerTimeoutMs).toBe(900_000);
  });

  it("stops at a bad value, naming the variable", () => {
    expect(() => samplingSettings({ PODCAST_MCP_SAMPLING_WAIT: "soon" })).toThrow(ConfigError);
    expect(() => samplingSettings({ PODCAST_MCP_SAMPLING_WAIT: "soon" })).toThrow(
      /PODCAST_MCP_SAMPLING_WAIT: must be a duration/,
    );
    expect(() => samplingSettings({ PODCAST_MCP_SAMPLING_TIMEOUT: "10ms" })).toThrow(/at least 1000 ms/);
  });
});
