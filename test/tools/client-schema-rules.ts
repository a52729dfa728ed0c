// What each MCP client we aim at accepts in a tool's schemas, written down from its documentation
// and from the errors its users reported (each rule names its source). test/mcp/tool-schemas.test.ts
// checks every schema of a real tools/list against every rule set; test/tools/schemas.test.ts
// checks the same rules on known-bad schemas, so each rule is shown to fail when it should.
//
// The conflict, and how it is resolved: OpenAI strict mode wants every object to carry
// `additionalProperties: false` and every property in `required` (optional ones nullable), while
// Gemini function declarations (an OpenAPI 3.0 subset) refuse `additionalProperties`, `anyOf`, type
// arrays and `$schema`. No one schema satisfies both literally. Our schemas use neither
// `additionalProperties` nor unions nor type arrays, and `required` lists only what is required;
// strict-mode clients (the OpenAI Agents SDK, with convert_schemas_to_strict) convert a tool's
// schema before sending it, so the OpenAI-strict rule set below checks the schema as that
// converter turns it, and the server keeps refusing unknown fields itself. What the conversion
// costs: it also marks every optional property required and non-null, so under strict mode a model
// must fill fields that are optional here (see OPENAI_STRICT's note).

export type Schema = { [key: string]: unknown };

export interface ToolSchemas {
  name: string;
  inputSchema: Schema;
  outputSchema?: Schema | undefined;
}

export interface RuleSet {
  client: string;
  /** Where the rules come from: documentation pages, and reported errors where the docs are silent. */
  sources: string[];
  /** Every broken rule, as "path: what is wrong" (empty: the client accepts the tool). */
  check(tool: ToolSchemas, serverName: string): string[];
}

const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

interface Node {
  schema: Schema;
  path: string;
  /** Objects above this node (the root is depth 1). */
  depth: number;
}

/** Every subschema: properties, items, additionalProperties, anyOf/oneOf/allOf members, $defs. */
function nodes(root: Schema, label = "inputSchema"): Node[] {
  const out: Node[] = [];
  const visit = (schema: Schema, path: string, depth: number) => {
    out.push({ schema, path, depth });
    const inner = schema.type === "object" || "properties" in schema ? depth + 1 : depth;
    if (isSchema(schema.properties)) {
      for (const [k, v] of Object.entries(schema.properties))
        if (isSchema(v)) visit(v, `${path}.properties.${k}`, inner);
    }
    if (isSchema(schema.items)) visit(schema.items, `${path}.items`, depth);
    if (isSchema(schema.additionalProperties))
      visit(schema.additionalProperties, `${path}.additionalProperties`, inner);
    for (const key of ["anyOf", "oneOf", "allOf"]) {
      const list = schema[key];
      if (Array.isArray(list)) list.forEach((m, i) => isSchema(m) && visit(m, `${path}.${key}[${i}]`, depth));
    }
    for (const key of ["$defs", "definitions"]) {
      const defs = schema[key];
      if (isSchema(defs))
        for (const [k, v] of Object.entries(defs)) if (isSchema(v)) visit(v, `${path}.${key}.${k}`, depth);
    }
  };
  visit(root, label, 1);
  return out;
}

/** Object keys in property position ("properties" maps), with their paths. */
function propertyNames(root: Schema): { name: string; path: string }[] {
  return nodes(root).flatMap((n) =>
    isSchema(n.schema.properties) ? Object.keys(n.schema.properties).map((name) => ({ name, path: n.path })) : [],
  );
}

const JSON_TYPES = ["string", "number", "integer", "boolean", "array", "object", "null"];

/**
 * JSON Schema draft 2020-12, the well-formedness every client needs: Claude answers "JSON schema
 * is invalid. It must match JSON Schema draft 2020-12" (afrise/MCPSharp#9); Cursor drops the whole
 * tool list when `required` is not an array of strings (MervinPraison/PraisonAI#3111).
 */
function wellFormed(root: Schema): string[] {
  const out: string[] = [];
  for (const { schema: s, path } of nodes(root)) {
    const types = Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type];
    for (const t of types) if (!JSON_TYPES.includes(String(t))) out.push(`${path}: unknown type ${JSON.stringify(t)}`);
    if ("required" in s) {
      if (!Array.isArray(s.required) || s.required.some((r) => typeof r !== "string"))
        out.push(`${path}: required must be an array of names`);
      else
        for (const r of s.required)
          if (!isSchema(s.properties) || !(r in s.properties))
            out.push(`${path}: required names "${r}", which is not a property`);
    }
    if ("enum" in s && (!Array.isArray(s.enum) || s.enum.length === 0))
      out.push(`${path}: enum must be a non-empty array`);
    if (typeof s.pattern === "string") {
      try {
        new RegExp(s.pattern, "u");
      } catch {
        out.push(`${path}: pattern is not an ECMA-262 regular expression`);
      }
    }
    if (typeof s.minimum === "number" && typeof s.maximum === "number" && s.minimum > s.maximum)
      out.push(`${path}: minimum above maximum`);
    if (typeof s.minItems === "number" && typeof s.maxItems === "number" && s.minItems > s.maxItems)
      out.push(`${path}: minItems above maxItems`);
  }
  return out;
}

function keywordsOutside(root: Schema, allowed: Set<string>, why: string): string[] {
  const out: string[] = [];
  for (const { schema, path } of nodes(root)) {
    for (const key of Object.keys(schema)) if (!allowed.has(key)) out.push(`${path}: "${key}" ${why}`);
  }
  return out;
}

function arraysHaveItems(root: Schema): string[] {
  return nodes(root)
    .filter((n) => n.schema.type === "array" && !isSchema(n.schema.items))
    .map((n) => `${n.path}: an array without items`);
}

/** The root is `type: "object"`, without the keywords named at its top level. */
function rootIsObject(root: Schema, notAtTop: string[]): string[] {
  const out = root.type === "object" ? [] : [`inputSchema: type must be "object" (got ${JSON.stringify(root.type)})`];
  for (const key of notAtTop) if (key in root) out.push(`inputSchema: "${key}" at the top level`);
  return out;
}

function nameRule(label: string, name: string, pattern: RegExp): string[] {
  return pattern.test(name) ? [] : [`${label} "${name}" does not match ${pattern}`];
}

/** The Model Context Protocol itself: tools/list's inputSchema is an object schema (spec 2025-06-18, "Tool"). */
export const MCP: RuleSet = {
  client: "MCP specification",
  sources: ['https://modelcontextprotocol.io/specification/2025-06-18/server/tools#tool (inputSchema: type "object")'],
  check: (tool) => [...rootIsObject(tool.inputSchema, []), ...wellFormed(tool.inputSchema)],
};

/**
 * Claude (Messages API custom tools; Claude Desktop and Claude Code pass MCP tools through).
 */
export const CLAUDE: RuleSet = {
  client: "Claude (Claude Desktop, Claude Code, Messages API)",
  sources: [
    "https://docs.anthropic.com/en/docs/agents-and-tools/tool-use/overview " +
      "(name ^[a-zA-Z0-9_-]{1,64}$; input_schema: JSON Schema)",
    'anthropics/claude-code#27337: "input_schema does not support oneOf, allOf, or anyOf at the top level"',
    "platform.claude.com managed-agents docs, quoted in diegosouzapw/OmniRoute#13552: $ref is refused anywhere; " +
      "property names are letters, digits, _ . - (1-64)",
    "sparfenyuk/mcp-proxy#45: Claude Code names a tool mcp__<server>__<tool>, at most 64 characters",
  ],
  check: (tool, server) => [
    ...nameRule("tool name", tool.name, /^[a-zA-Z0-9_-]{1,64}$/),
    ...(`mcp__${server}__${tool.name}`.length > 64 ? [`mcp__${server}__${tool.name} is over 64 characters`] : []),
    ...rootIsObject(tool.inputSchema, ["oneOf", "allOf", "anyOf"]),
    ...nodes(tool.inputSchema)
      .filter((n) => "$ref" in n.schema)
      .map((n) => `${n.path}: $ref`),
    ...propertyNames(tool.inputSchema).flatMap((p) => nameRule(`${p.path} property`, p.name, /^[a-zA-Z0-9_.-]{1,64}$/)),
    ...wellFormed(tool.inputSchema),
  ],
};

/** OpenAI function calling without strict mode (Chat Completions and Responses `tools`). */
export const OPENAI: RuleSet = {
  client: "OpenAI function calling",
  sources: [
    "https://platform.openai.com/docs/guides/function-calling " +
      "(name ^[a-zA-Z0-9_-]{1,64}$; parameters: a JSON Schema object)",
    "openai/openai-agents-python src/agents/mcp/util.py: " +
      '"MCP spec doesn\'t require the inputSchema to have `properties`, but OpenAI spec does"',
    'OpenAI\'s 400 for a root anyOf/enum/not: "schema must be a JSON Schema of \'type: \\"object\\"\'"',
  ],
  check: (tool) => [
    ...nameRule("tool name", tool.name, /^[a-zA-Z0-9_-]{1,64}$/),
    ...rootIsObject(tool.inputSchema, ["anyOf", "oneOf", "allOf", "enum", "not"]),
    ...(isSchema(tool.inputSchema.properties) ? [] : ["inputSchema: no properties"]),
    ...arraysHaveItems(tool.inputSchema),
    ...wellFormed(tool.inputSchema),
  ],
};

/**
 * A tool's schema as a strict-mode client sends it: the OpenAI Agents SDK's
 * ensure_strict_json_schema (openai/openai-agents-python src/agents/strict_schema.py), ported:
 * every object gets `additionalProperties: false` (one that allows more is refused), every
 * property becomes required, anyOf/allOf members and $defs are converted too, `default: null` is
 * dropped.
 */
export function toOpenAiStrict(schema: Schema): Schema {
  const convert = (s: Schema, path: string): Schema => {
    const out: Schema = { ...s };
    if (out.type === "object") {
      if (!("additionalProperties" in out)) out.additionalProperties = false;
      else if (out.additionalProperties)
        throw new Error(`${path}: additionalProperties should not be set for object types`);
    }
    if (isSchema(out.properties)) {
      out.required = Object.keys(out.properties);
      out.properties = Object.fromEntries(
        Object.entries(out.properties).map(([k, v]) => [k, convert(v as Schema, `${path}.${k}`)]),
      );
    }
    if (isSchema(out.items)) out.items = convert(out.items, `${path}.items`);
    if (Array.isArray(out.anyOf)) out.anyOf = out.anyOf.map((m, i) => convert(m as Schema, `${path}.anyOf[${i}]`));
    if (Array.isArray(out.oneOf)) {
      out.anyOf = [
        ...(Array.isArray(out.anyOf) ? out.anyOf : []),
        ...out.oneOf.map((m, i) => convert(m as Schema, `${path}.oneOf[${i}]`)),
      ];
      delete out.oneOf;
    }
    if (Array.isArray(out.allOf)) out.allOf = out.allOf.map((m, i) => convert(m as Schema, `${path}.allOf[${i}]`));
    if (out.default === null) delete out.default;
    if (isSchema(out.$defs))
      out.$defs = Object.fromEntries(
        Object.entries(out.$defs).map(([k, v]) => [k, convert(v as Schema, `${path}.$defs.${k}`)]),
      );
    return out;
  };
  // The SDK adds `properties` when an MCP schema has none (src/agents/mcp/util.py).
  return convert({ properties: {}, ...schema }, "inputSchema");
}

/** Keywords strict mode supports (Structured Outputs, "Supported schemas"). */
const OPENAI_STRICT_KEYWORDS = new Set([
  "type",
  "description",
  "title",
  "enum",
  "const",
  "anyOf",
  "$ref",
  "$defs",
  "definitions",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "pattern",
  "format",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
]);
const OPENAI_STRICT_FORMATS = ["date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"];

/**
 * OpenAI strict mode (function calling with strict: true), on the schema as the Agents SDK
 * converts it. Note what the conversion does to optional properties: they become required and
 * stay non-null, so a strict-mode model must send every field (for generate_podcast, all four
 * content fields at once, which the server then refuses with "give exactly one of"). That is the
 * converter's rule, not something a schema can fix without type arrays or anyOf, which Gemini and
 * Cursor refuse.
 */
export const OPENAI_STRICT: RuleSet = {
  client: "OpenAI strict mode (as the OpenAI Agents SDK converts MCP schemas)",
  sources: [
    "https://platform.openai.com/docs/guides/structured-outputs#supported-schemas " +
      "(supported keywords; root an object, not anyOf; additionalProperties: false on every object; " +
      "every property required; at most 5000 properties, 10 levels of nesting, " +
      "1000 enum values, 120000 characters of names and enum values)",
    "https://platform.openai.com/docs/guides/function-calling#strict-mode",
    "openai/openai-agents-python src/agents/strict_schema.py (the conversion)",
  ],
  check: (tool) => {
    let strict: Schema;
    try {
      strict = toOpenAiStrict(tool.inputSchema);
    } catch (err) {
      return [`the Agents SDK cannot convert it: ${(err as Error).message}`];
    }
    const out = [...rootIsObject(strict, ["anyOf", "oneOf", "allOf", "enum", "not"]), ...arraysHaveItems(strict)];
    out.push(...keywordsOutside(strict, OPENAI_STRICT_KEYWORDS, "is not supported in strict mode"));
    const all = nodes(strict);
    for (const { schema: s, path } of all) {
      if (s.type === "object" || isSchema(s.properties)) {
        if (s.additionalProperties !== false) out.push(`${path}: additionalProperties must be false`);
        const keys = isSchema(s.properties) ? Object.keys(s.properties) : [];
        const required = Array.isArray(s.required) ? s.required : [];
        for (const k of keys) if (!required.includes(k)) out.push(`${path}: "${k}" is not in required`);
      }
      if (typeof s.format === "string" && !OPENAI_STRICT_FORMATS.includes(s.format))
        out.push(`${path}: format "${s.format}"`);
    }
    const props = propertyNames(strict);
    if (props.length > 5000) out.push(`${props.length} properties (at most 5000)`);
    const depth = Math.max(...all.map((n) => n.depth));
    if (depth > 10) out.push(`${depth} levels of nesting (at most 10)`);
    const enums = all.flatMap((n) => (Array.isArray(n.schema.enum) ? n.schema.enum : []));
    if (enums.length > 1000) out.push(`${enums.length} enum values (at most 1000)`);
    const chars =
      props.reduce((n, p) => n + p.name.length, 0) + enums.reduce((n: number, e) => n + String(e).length, 0);
    if (chars > 120_000) out.push(`${chars} characters of property names and enum values (at most 120000)`);
    return out;
  },
};

/** What Gemini's Schema object takes (an OpenAPI 3.0 subset), without anyOf, which Gemini before 2.5 refuses. */
const GEMINI_KEYWORDS = new Set([
  "type",
  "format",
  "title",
  "description",
  "nullable",
  "enum",
  "items",
  "properties",
  "required",
  "minItems",
  "maxItems",
  "minimum",
  "maximum",
  "minLength",
  "maxLength",
  "pattern",
  "minProperties",
  "maxProperties",
  "default",
  "example",
  "propertyOrdering",
]);
const GEMINI_TYPES = ["string", "number", "integer", "boolean", "array", "object"];

/** Gemini function declarations (Gemini API and Vertex AI `parameters`; Gemini CLI; Cursor with a Gemini model). */
export const GEMINI: RuleSet = {
  client: "Gemini function declarations",
  sources: [
    "https://cloud.google.com/vertex-ai/docs/reference/rest/v1/Schema " +
      "(the Schema fields: a select subset of OpenAPI 3.0)",
    "https://cloud.google.com/vertex-ai/docs/reference/rest/v1beta1/FunctionDeclaration " +
      "(function name: letter or _ first, then letters, digits, _ . -, at most 64; " +
      "parameter names: letter or _ first, then letters, digits, _, at most 64)",
    "https://firebase.google.com/docs/reference/js/ai.schemashared " +
      "(format: only enum or date-time on the Gemini Developer API; " +
      "enum: values of a STRING)",
    'QwenLM/qwen-code#1186, openswarm-ai/openswarm#24: Unknown name "$schema" / "additionalProperties" / "const" / ' +
      '"exclusiveMinimum" / "propertyNames": Cannot find field',
    'simonw/llm-gemini#49: a type array or type "null" is an invalid value',
    "agno-agi/agno#2112, pipecat-ai/pipecat-flows#110: " +
      '"properties: should be non-empty for OBJECT type" (Gemini 1.5, 2.0)',
    "anomalyco/opencode#11888: properties only allowed for OBJECT type",
  ],
  check: (tool) => {
    const out = [
      ...nameRule("function name", tool.name, /^[a-zA-Z_][a-zA-Z0-9_.-]{0,63}$/),
      ...propertyNames(tool.inputSchema).flatMap((p) =>
        nameRule(`${p.path} parameter`, p.name, /^[a-zA-Z_][a-zA-Z0-9_]{0,63}$/),
      ),
      ...keywordsOutside(tool.inputSchema, GEMINI_KEYWORDS, "is not a Gemini Schema field"),
      ...arraysHaveItems(tool.inputSchema),
    ];
    for (const { schema: s, path } of nodes(tool.inputSchema)) {
      if (typeof s.type !== "string" || !GEMINI_TYPES.includes(s.type))
        out.push(`${path}: type must be one of ${GEMINI_TYPES.join(", ")}`);
      if (s.type === "object" && (!isSchema(s.properties) || Object.keys(s.properties).length === 0))
        out.push(`${path}: an object without properties`);
      if (s.type !== "object" && ("properties" in s || "required" in s))
        out.push(`${path}: properties on a non-object`);
      if ("enum" in s && s.type !== "string") out.push(`${path}: enum on a ${String(s.type)}`);
      if ("format" in s && !["enum", "date-time"].includes(String(s.format)))
        out.push(`${path}: format "${String(s.format)}"`);
    }
    return out;
  },
};

/** Cursor (its agent sends MCP tools to the model provider the user picked). */
export const CURSOR: RuleSet = {
  client: "Cursor",
  sources: [
    "awslabs/mcp#1283, ComposioHQ/composio#2788: server name + tool name over 60 characters is filtered out",
    "code-yeongyu/senpi#952: oneOf, anyOf or allOf anywhere in a tool schema fails the whole request (provider 400)",
    'cursor/cursor#3778: a type array ("null,string") fails argument checks',
    "MervinPraison/PraisonAI#3111: `required: null` drops every tool of the server",
  ],
  check: (tool, server) => [
    ...(server.length + tool.name.length > 60 ? [`${server} + ${tool.name} is over 60 characters`] : []),
    ...nodes(tool.inputSchema).flatMap((n) => [
      ...["oneOf", "anyOf", "allOf"].filter((k) => k in n.schema).map((k) => `${n.path}: ${k}`),
      ...(Array.isArray(n.schema.type) ? [`${n.path}: type array`] : []),
    ]),
    ...wellFormed(tool.inputSchema),
  ],
};

/** VS Code (GitHub Copilot Chat agent mode). */
export const VSCODE: RuleSet = {
  client: "VS Code (GitHub Copilot Chat)",
  sources: [
    'microsoft/vscode#257537, microsoft/vscode#325618: "tool parameters array type must have items"',
    "microsoft/vscode-copilot-release#7636: a boolean schema fails validation " +
      "(\"Cannot use 'in' operator to search for 'type' in true\")",
    "microsoft/vscode#243602: VS Code prefixes MCP tool names (mcp_<server>_<tool>) " +
      "and the model API takes at most 64 characters",
  ],
  check: (tool, server) => {
    const out = [...arraysHaveItems(tool.inputSchema), ...wellFormed(tool.inputSchema)];
    if (`mcp_${server}_${tool.name}`.length > 64) out.push(`mcp_${server}_${tool.name} is over 64 characters`);
    const booleans = (s: Schema, path: string): string[] =>
      ["items", "additionalProperties"].flatMap((k) =>
        typeof s[k] === "boolean" ? [`${path}.${k}: a boolean schema`] : [],
      );
    for (const n of nodes(tool.inputSchema)) out.push(...booleans(n.schema, n.path));
    return out;
  },
};

/**
 * Honest bounds (issue 7 §4): a number the server bounds says so; no bound is zod's safe-integer
 * placeholder (±9007199254740991); no root `$schema` (Gemini); no `default` (a model cannot act on
 * it; OpenAI strict refuses it).
 */
export const HONEST_BOUNDS: RuleSet = {
  client: "podcast-mcp's own rule: every bound the server enforces is in the schema",
  sources: ["issue 7 §4"],
  check: (tool) => {
    const out = "$schema" in tool.inputSchema ? ["inputSchema: $schema"] : [];
    for (const { schema: s, path } of nodes(tool.inputSchema)) {
      if (s.type === "number" || s.type === "integer") {
        if (typeof s.minimum !== "number" || typeof s.maximum !== "number")
          out.push(`${path}: a number without minimum and maximum`);
        for (const k of ["minimum", "maximum"]) {
          if (typeof s[k] === "number" && Math.abs(s[k] as number) >= Number.MAX_SAFE_INTEGER)
            out.push(`${path}: ${k} is the safe-integer placeholder`);
        }
      }
      if ("default" in s) out.push(`${path}: default`);
    }
    return out;
  },
};

/**
 * Output schemas: an object at the root, no untyped `{}` anywhere (mcpc shows those as `any`), and
 * no type arrays (the MCP Inspector's schema portability check warns on `type: ["string", "null"]`:
 * a client that maps schemas onto a single-`type` dialect may reject the tool; `anyOf` branches of
 * one type each are its suggestion).
 */
export const OUTPUT: RuleSet = {
  client: "Output schemas (MCP structuredContent)",
  sources: [
    "https://modelcontextprotocol.io/specification/2025-06-18/server/tools#output-schema",
    "issue 7 §4: no bare {}",
    "MCP Inspector 2.12 CLI, tools/list --strict: 'type is an array … less portable'",
  ],
  check: (tool) => {
    if (!tool.outputSchema) return ["no outputSchema"];
    const out: string[] = [];
    if (tool.outputSchema.type !== "object") out.push('outputSchema: type must be "object"');
    if ("$schema" in tool.outputSchema) out.push("outputSchema: $schema");
    for (const { schema: s, path } of nodes(tool.outputSchema, "outputSchema")) {
      const typed = "type" in s || "anyOf" in s || "oneOf" in s || "enum" in s || "const" in s || "$ref" in s;
      if (!typed) out.push(`${path}: an untyped {}`);
      if (Array.isArray(s.type)) out.push(`${path}: type array ${JSON.stringify(s.type)}`);
    }
    return out;
  },
};

export const RULE_SETS: RuleSet[] = [MCP, CLAUDE, OPENAI, OPENAI_STRICT, GEMINI, CURSOR, VSCODE, HONEST_BOUNDS];
