// A tool is data plus one call into a service: name, text for the model, zod schemas, honest
// annotations and a `run`. `registerTools` turns every thrown AppError into an `isError` result
// whose text names the field and the rule, so a bad call never crashes the server.
import type { McpServer, CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";
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
  run(args: z.output<I>, deps: ToolDeps, call: ToolCallContext): Promise<z.input<O>>;
}

export function defineTool<I extends z.ZodType, O extends z.ZodType>(def: ToolDef<I, O>): ToolDef<I, O> {
  return def;
}

/** The text an agent reads when a call fails: kind first, then what to do about it. */
export function errorResult(err: unknown): CallToolResult {
  const kind = err instanceof AppError ? err.kind : "internal";
  const text = err instanceof AppError ? err.message : `Internal error: ${errorMessage(err)}`;
  const structured: Record<string, unknown> = { error: { kind, message: text } };
  if (err instanceof AppError && err.field) (structured.error as Record<string, unknown>).field = err.field;
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

/** Runs a tool outside MCP: the same parse → run → output check the server does. Used by tests. */
export async function callTool(def: ToolDef, rawArgs: unknown, deps: ToolDeps, call?: Partial<ToolCallContext>): Promise<unknown> {
  const parsed = def.input.safeParse(rawArgs);
  if (!parsed.success) throw zodToAppError(parsed.error);
  const out = await def.run(parsed.data, deps, { signal: call?.signal ?? new AbortController().signal, progress: call?.progress ?? (async () => {}) });
  return def.output.parse(out);
}

export function zodToAppError(error: z.ZodError): AppError {
  const first = error.issues[0];
  const field = first && first.path.length > 0 ? first.path.join(".") : "arguments";
  const rules = error.issues.map((i) => `${i.path.length ? i.path.join(".") : "arguments"}: ${i.message}`);
  return new AppError("invalid_input", rules.join("; "), { field });
}

export function registerTools(server: McpServer, tools: ToolDef[], deps: ToolDeps): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: { title: tool.title, ...tool.annotations } },
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
