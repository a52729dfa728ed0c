// MCP clients over stdio against the built server, for the sampling tests: v2 clients that declare
// sampling and answer sampling/createMessage as a model would (the one stand-in: the model), and
// the job-following every test needs.
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { structured } from "../helpers/mcp.js";
import { CLI, cleanEnv } from "../helpers/procs.js";

export interface SamplingRequest {
  systemPrompt?: string;
  maxTokens: number;
  messages: { role: string; content: { type: string; text?: string } }[];
}

export type Model = (req: SamplingRequest) => Promise<Record<string, unknown>>;

export interface StdioClient {
  client: Client;
  transport: StdioClientTransport;
  /** The user text of every sampling request this client was sent, in order. */
  asked: string[];
  close(): Promise<void>;
}

/** `model` set: the client declares sampling and answers with it; `modern`: it speaks 2026-07-28. */
export async function connectClient(
  dataDir: string,
  name: string,
  env: Record<string, string>,
  model?: Model,
  opts: { modern?: boolean } = {},
): Promise<StdioClient> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI],
    env: cleanEnv({ PODCAST_MCP_DATA_DIR: dataDir, ...env }) as Record<string, string>,
    stderr: "ignore",
  });
  const client = new Client(
    { name, version: "1.0.0" },
    {
      ...(model ? { capabilities: { sampling: {} } } : {}),
      ...(opts.modern ? { versionNegotiation: { mode: "auto" as const } } : {}),
    },
  );
  const asked: string[] = [];
  if (model) {
    client.setRequestHandler("sampling/createMessage", async (request) => {
      const req = request.params as unknown as SamplingRequest;
      asked.push(req.messages.at(-1)?.content.text ?? "");
      return (await model(req)) as never;
    });
  }
  await client.connect(transport);
  return { client, transport, asked, close: () => client.close().catch(() => {}) };
}

const reply = (value: unknown) => ({
  role: "assistant",
  model: "stand-in-model",
  stopReason: "endTurn",
  content: { type: "text", text: JSON.stringify(value) },
});

/** What a request asks for: the outline (with its segment count) or one segment (with the speakers). */
export function requestKind(
  req: SamplingRequest,
): { outline: number } | { segment: number; of: number; names: string[] } {
  const text = req.messages[0]?.content.text ?? "";
  const outline = /Plan the episode as exactly (\d+) segments/.exec(text);
  if (outline) return { outline: Number(outline[1]) };
  const seg = /Write segment (\d+) of (\d+)/.exec(text);
  const names = /Use only these speaker names, spelled exactly: ([^\n]+)\./.exec(text)?.[1]?.split(", ") ?? [];
  if (!seg || names.length === 0) throw new Error(`not a request the stand-in model knows: ${text.slice(0, 200)}`);
  return { segment: Number(seg[1]), of: Number(seg[2]), names };
}

/** A model that writes an outline and short two-voice segments, every line signed with `tag`. */
export function scriptModel(tag: string): Model {
  return async (req) => {
    const kind = requestKind(req);
    if ("outline" in kind) {
      return reply({
        segments: Array.from({ length: kind.outline }, (_, i) => ({
          name: `${tag} part ${i + 1}`,
          description: "Bees.",
          size: "short",
        })),
      });
    }
    const [a, b = a] = kind.names as [string, string?];
    return reply({
      turns: [
        { speaker: a, text: `${tag} opens segment ${kind.segment}: bees dance to point at the flowers.` },
        { speaker: b, text: `${tag} answers in segment ${kind.segment}: the waggle says how far to fly.` },
      ],
    });
  };
}

export interface JobView {
  status: string;
  error_message: string | null;
  result: { writer?: { outline: string; transcript: string } } | null;
}

/** Holds until the job is completed, failed or canceled (or the time is up). */
export async function finished(client: Client, jobId: string, timeoutMs = 120_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  let job: JobView = { status: "pending", error_message: null, result: null };
  while (Date.now() < deadline) {
    job = structured<JobView>(
      await client.callTool({ name: "get_job_status", arguments: { job_id: jobId, wait_seconds: 10 } }),
    );
    if (["completed", "failed", "canceled"].includes(job.status)) return job;
  }
  throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
}
