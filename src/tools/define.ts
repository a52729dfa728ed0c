// A tool is data plus one call into a service: name, text for the model, zod schemas, honest
// annotations and a `run`. `runTool` is a whole call without MCP (parse, run, shape the result);
// `registerTools` serves it over MCP and turns every thrown AppError into an `isError` result
// whose text names the field and the rule, so a bad call never crashes the server.
import type { McpServer, CallToolResult, ServerContext } from "@modelcontextprotocol/server";
import type { z } from "zod";
import { AppError, errorMessage } from "../errors.js";
import { parseOrThrow } from "../podcasts/validation.js";
import type { ToolDeps } from "./deps.js";
import { inputJsonSchema, outputJsonSchema, withJsonSchema } from "./json-schema.js";

/**
 * MCP's tool hints, as claims that test/tools/annotations.test.ts checks against what each tool
 * does: readOnly changes nothing; destructive changes or removes what exists (not only adds);
 * idempotent changes nothing more when called again with the same arguments; openWorld reaches
 * past this server's own records (local files, web pages, speech and script providers).
 */
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
  /**
   * The call. What it returns is parsed with `output` (an internal error if it does not fit), so
   * the service's own types need not repeat the output schema; each tool's test runs it for real.
   */
  run(args: z.output<I>, deps: ToolDeps, call: ToolCallContext): Promise<unknown>;
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
      .notify({
        method: "notifications/progress",
        params: {
          progressToken: token,
          progress,
          ...(total !== undefined ? { total } : {}),
          ...(message ? { message } : {}),
        },
      })
      .catch(() => {});
  };
}

/**
 * One call of a tool without MCP: the arguments parsed (invalid_input naming the field), the
 * service called, the result shaped by the output schema. What `tools/call` runs, and what the
 * tool tests call.
 */
export async function runTool(
  tool: ToolDef,
  args: unknown,
  deps: ToolDeps,
  call: ToolCallContext,
): Promise<Record<string, unknown>> {
  const parsed = parseOrThrow(tool.input, args ?? {});
  const out = await tool.run(parsed, deps, call);
  return tool.output.parse(out) as Record<string, unknown>;
}

export function registerTools(server: McpServer, tools: ToolDef[], deps: ToolDeps): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: withJsonSchema(tool.input, inputJsonSchema(tool.input), "input"),
        outputSchema: withJsonSchema(tool.output, outputJsonSchema(tool.output), "output"),
        annotations: { title: tool.title, ...tool.annotations },
        ...(tool._meta ? { _meta: tool._meta } : {}),
      },
      (async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        try {
          const call = { signal: ctx.mcpReq.signal, progress: progressSender(ctx) };
          const structured = await runTool(tool, args, deps, call);
          return {
            content: [{ type: "text", text: JSON.stringify(structured, null, 2) }],
            structuredContent: structured,
          };
        } catch (err) {
          if (!(err instanceof AppError) || err.kind === "internal")
            deps.log.error({ err, tool: tool.name }, "tool failed");
          return errorResult(err);
        }
      }) as never,
    );
  }
}
