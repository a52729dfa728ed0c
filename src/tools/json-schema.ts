// The JSON Schema a client sees for a tool, made from the tool's zod schema and cut down to what
// every client we know of accepts (the rule sets, with their sources, are written out in
// test/mcp/tool-schemas.test.ts). The server does not rely on it: every call is parsed with the zod
// schema itself, so a rule the JSON Schema cannot carry (control characters, "exactly one of",
// unknown fields) is still enforced, with an error that names the field.
//
// What is left out of input schemas, and why:
// - `$schema`: Gemini function declarations refuse it ("Unknown name \"$schema\"").
// - `additionalProperties`: Gemini refuses it; OpenAI strict-mode clients add `false` themselves.
// - `minLength`/`maxLength`: not among OpenAI strict mode's supported keywords; the limit is
//   written into the description instead, where every model reads it.
// - `default`: not supported by OpenAI strict mode, and a model cannot act on it anyway; it goes
//   into the description ("Default: …").
// - zod's safe-integer bounds (±9007199254740991) on whole numbers: not a rule anyone chose.
// Unions, type arrays and `const` are not produced here at all: the schemas are written without
// them (see src/podcasts/validation.ts), and the schema test fails if one appears.
// Output schemas stay exact; only their nullable fields are spelled as `anyOf` (see typedOutput).
import type { StandardSchemaWithJSON } from "@modelcontextprotocol/server";
import { z } from "zod";

export type JsonSchema = { [key: string]: unknown };

const SAFE_INTEGER_BOUND = Number.MAX_SAFE_INTEGER;
/** What MCP's tools/list carries (the SDK targets the same draft). */
const TARGET = "draft-2020-12";

// Made once per schema: HTTP builds a server per request, and converting all tools takes 9-18 ms
// (measured on the 2-core dev machine under load), more than a whole tool call.
const inputs = new WeakMap<z.ZodType, JsonSchema>();
const outputs = new WeakMap<z.ZodType, JsonSchema>();

/** The zod schema as JSON Schema for one direction, finished by `finish`, converted once per schema. */
function converted(
  cache: WeakMap<z.ZodType, JsonSchema>,
  schema: z.ZodType,
  io: "input" | "output",
  finish: (json: JsonSchema) => JsonSchema,
): JsonSchema {
  let made = cache.get(schema);
  if (!made) {
    const json = z.toJSONSchema(schema, { target: TARGET, io, unrepresentable: "throw" }) as JsonSchema;
    delete json.$schema;
    made = finish(json);
    cache.set(schema, made);
  }
  return made;
}

/** The input schema as clients see it: an object schema with only portable keywords. */
export function inputJsonSchema(schema: z.ZodType): JsonSchema {
  return converted(inputs, schema, "input", portableInput);
}

/**
 * The output schema as clients see it. Clients validate structuredContent against it, so it stays
 * exact (nullable fields, closed objects); open objects say `additionalProperties: true` rather
 * than an untyped `{}`.
 */
export function outputJsonSchema(schema: z.ZodType): JsonSchema {
  return converted(outputs, schema, "output", typedOutput);
}

function portableInput(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  delete out.additionalProperties;
  const notes: string[] = [];
  const min = typeof out.minLength === "number" ? out.minLength : undefined;
  const max = typeof out.maxLength === "number" ? out.maxLength : undefined;
  if (max !== undefined) notes.push(min ? `${min} to ${max} characters` : `At most ${max} characters`);
  else if (min) notes.push(min === 1 ? "Not empty" : `At least ${min} characters`);
  delete out.minLength;
  delete out.maxLength;
  if ("default" in out) {
    if (!/\bdefault\b/i.test(String(out.description ?? ""))) notes.push(`Default: ${JSON.stringify(out.default)}`);
    delete out.default;
  }
  if (out.type === "integer") {
    if (out.maximum === SAFE_INTEGER_BOUND) delete out.maximum;
    if (out.minimum === -SAFE_INTEGER_BOUND) delete out.minimum;
  }
  if (notes.length) {
    out.description = [String(out.description ?? "").replace(/\.$/, ""), ...notes].filter(Boolean).join(". ");
  }
  if (isSchema(out.items)) out.items = portableInput(out.items);
  if (isSchema(out.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, portableInput(v as JsonSchema)]),
    );
  }
  return out;
}

function typedOutput(node: JsonSchema): JsonSchema {
  // zod writes a nullable string or number as `type: ["string", "null"]`: legal, but the MCP
  // Inspector's portability check warns on it (a single-`type` dialect may reject the tool), so
  // each type becomes its own `anyOf` branch, as it suggests. Same values accepted.
  if (Array.isArray(node.type)) {
    const { type, title, description, ...rest } = node;
    return {
      ...(title !== undefined ? { title } : {}),
      ...(description !== undefined ? { description } : {}),
      anyOf: (type as unknown[]).map((t) => (t === "null" ? { type: "null" } : typedOutput({ type: t, ...rest }))),
    };
  }
  const out: JsonSchema = { ...node };
  if (isSchema(out.additionalProperties) && Object.keys(out.additionalProperties).length === 0) {
    out.additionalProperties = true;
  }
  // zod writes record keys as `propertyNames: {type: "string"}`: every JSON key is a string.
  if (
    isSchema(out.propertyNames) &&
    out.propertyNames.type === "string" &&
    Object.keys(out.propertyNames).length === 1
  ) {
    delete out.propertyNames;
  }
  if (out.type === "integer") {
    if (out.maximum === SAFE_INTEGER_BOUND) delete out.maximum;
    if (out.minimum === -SAFE_INTEGER_BOUND) delete out.minimum;
  }
  if (isSchema(out.items)) out.items = typedOutput(out.items);
  if (isSchema(out.additionalProperties)) out.additionalProperties = typedOutput(out.additionalProperties);
  if (isSchema(out.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(out.properties).map(([k, v]) => [k, typedOutput(v as JsonSchema)]),
    );
  }
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    if (Array.isArray(out[key])) out[key] = (out[key] as JsonSchema[]).map(typedOutput);
  }
  return out;
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * The zod schema as the SDK takes it (a Standard Schema with its own JSON Schema), advertising
 * `json`. Input validation is left to the tool's own parse (src/tools/define.ts), so a bad
 * argument comes back as `invalid_input: <field>: <rule>` like every other refusal; an output is
 * still validated with zod here.
 */
export function withJsonSchema(schema: z.ZodType, json: JsonSchema, io: "input" | "output"): StandardSchemaWithJSON {
  const std = schema["~standard"];
  return {
    "~standard": {
      version: 1,
      vendor: "podcast-mcp",
      validate: io === "input" ? (value: unknown) => ({ value }) : std.validate,
      jsonSchema: { input: () => json, output: () => json },
    },
  } as StandardSchemaWithJSON;
}
