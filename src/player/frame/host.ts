// Everything the frame asks of the server goes through the host: tool calls and resource reads
// (the frame's CSP allows no network of its own). Errors come back as Error with the tool's text.
import type { App } from "@modelcontextprotocol/ext-apps";

export interface Host {
  /** The tool's structuredContent; throws with its text when the result is an error. */
  callTool(name: string, args: Record<string, unknown>): Promise<Record<string, unknown>>;
  readJson(uri: string): Promise<unknown>;
  /** A blob resource's base64 text; throws when the answer is not a blob (e.g. a text pointer). */
  readBase64(uri: string): Promise<{ base64: string; mimeType: string }>;
  canCallTools(): boolean;
  canReadResources(): boolean;
  canDownload(): boolean;
}

type Content = { type: string; text?: string };

export function toolText(result: { content?: unknown }): string {
  const content = Array.isArray(result.content) ? (result.content as Content[]) : [];
  return content
    .map((c) => (c.type === "text" ? (c.text ?? "") : ""))
    .join(" ")
    .trim();
}

export function hostOf(app: App): Host {
  const caps = () => app.getHostCapabilities() ?? {};
  return {
    async callTool(name, args) {
      const result = await app.callServerTool({ name, arguments: args });
      if (result.isError) throw new Error(toolText(result) || `${name} failed`);
      if (result.structuredContent && typeof result.structuredContent === "object")
        return result.structuredContent as Record<string, unknown>;
      return JSON.parse(toolText(result)) as Record<string, unknown>;
    },
    async readJson(uri) {
      const { contents } = await app.readServerResource({ uri });
      const first = contents[0];
      if (!first || !("text" in first)) throw new Error(`${uri} did not answer with text`);
      return JSON.parse(first.text) as unknown;
    },
    async readBase64(uri) {
      const { contents } = await app.readServerResource({ uri });
      const first = contents[0];
      if (!first || !("blob" in first))
        throw new Error(first && "text" in first ? first.text : `${uri} did not answer with data`);
      return { base64: first.blob, mimeType: first.mimeType ?? "application/octet-stream" };
    },
    canCallTools: () => Boolean(caps().serverTools),
    canReadResources: () => Boolean(caps().serverResources),
    canDownload: () => Boolean(caps().downloadFile),
  };
}
