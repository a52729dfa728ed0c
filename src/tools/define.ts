// A tool is data plus one call into a service: name, text for the model, zod schemas, honest
// annotations and a `run`. `registerTools` turns every thrown AppError into an `isError` result
// whose text names the field and the rule, so a bad call never crashes the server.
import type { McpServer, CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { AppError, errorMessage } from "../errors.js";
import type { ToolDeps } from "./deps.js";

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a tool's run may use besides its args: progress for long calls, the abort signal. */
export interface ToolCallContext {
  signal: AbortSignal;
  /** Sends notifications/progress when the caller passed a progressToken; a no-op otherwise. */
  progress(progress: number, total?: number, message?: string): Promise<void>;
}

export interface ToolDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /** Extra tool metadata, e.g. `ui` naming the MCP Apps page that renders the result. */
  _meta?: Record<string, unknown>;
  run(args: z.output<I>, deps: ToolDeps, call: ToolCallContext): Promise<z.input<O>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** The text an agent reads when a call fails: kind first, then what to do about it. */
export function errorResult(err: unknown): CallToolResult {
  const kind = err instanceof AppError ? err.kind : "internal";
  const text = err instanceof AppError ? err.message : `Internal error: ${errorMessage(err)}`;
  return { isError: true, content: [{ type: "text", text: `${kind}: ${text}` }] };
}

function progressSender(ctx: ServerContext): ToolCallContext["progress"] {
  const token = ctx.mcpReq._meta?.progressToken;
  if (token === undefined) return async () => {};
  return async (progress, total, message) => {
    await ctx.mcpReq
      .notify({ method: "notifications/progress", params: { progressToken: token, progress, ...(total !== undefined ? { total } : {}), ...(message ? { message } : {}) } })
      .catch(() => {});
  };
}

export function registerTools(server: McpServer, tools: ToolDef[], deps: ToolDeps): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.input,
        outputSchema: tool.output,
        annotations: { title: tool.title, ...tool.annotations },
        ...(tool._meta ? { _meta: tool._meta } : {}),
      },
      // The SDK has already validated args against `input`; run() still gets the parsed output type.
      (async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        try {
          const out = await tool.run(args as never, deps, { signal: ctx.mcpReq.signal, progress: progressSender(ctx) });
          const structured = tool.output.parse(out) as Record<string, unknown>;
          return { content: [{ type: "text", text: JSON.stringify(structured, null, 2) }], structuredContent: structured };
        } catch (err) {
          if (!(err instanceof AppError) || err.kind === "internal") deps.log.error({ err, tool: tool.name }, "tool failed");
          return errorResult(err);
        }
      }) as never,
    );
  }
}
