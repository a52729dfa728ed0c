// The client rule sets (client-schema-rules.ts) fail on the schema defects clients reported, so a
// passing check means something; and every tool's schemas, as src/tools/json-schema.ts makes them,
// pass every rule set (test/mcp/tool-schemas.test.ts checks the same over a real tools/list).
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { inputJsonSchema, outputJsonSchema } from "../../src/tools/json-schema.js";
import { TOOLS } from "../../src/tools/index.js";
import {
  CLAUDE,
  CURSOR,
  GEMINI,
  HONEST_BOUNDS,
  MCP,
  OPENAI,
  OPENAI_STRICT,
  OUTPUT,
  RULE_SETS,
  VSCODE,
  toOpenAiStrict,
  type RuleSet,
  type Schema,
} from "./client-schema-rules.js";

const SERVER = "podcast-mcp";
const obj = (properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  properties,
  ...extra,
});
const ok = obj({ name: { type: "string", description: "A name" } }, { required: ["name"] });

/** The rule set's violations for a tool with this input schema (and output schema). */
const check = (rules: RuleSet, inputSchema: Schema, name = "good_tool", outputSchema?: Schema) =>
  rules.check({ name, inputSchema, outputSchema }, SERVER);

describe("each rule set fails where its client fails", () => {
  it("accepts a plain schema", () => {
    for (const rules of RULE_SETS) expect(check(rules, ok), rules.client).toEqual([]);
    expect(check(OUTPUT, ok, "t", obj({ a: { type: "string" } }))).toEqual([]);
  });

  it("the defects of the schemas before this change (issue 7 §4)", () => {
    // What tools/list answered for generate_podcast and save_episode_profile, reduced to the defects.
    const before = obj(
      {
        sources: {
          type: "array",
          items: { anyOf: [obj({ text: { type: "string" } }), obj({ url: { type: "string" } })] },
        },
        num_segments: { type: "number" },
        script: { type: "array", items: obj({ segment: { type: "integer", minimum: 0, maximum: 9007199254740991 } }) },
      },
      { $schema: "https://json-schema.org/draft/2020-12/schema", additionalProperties: false },
    );
    const gemini = check(GEMINI, before);
    expect(gemini).toEqual(
      expect.arrayContaining([
        'inputSchema: "$schema" is not a Gemini Schema field',
        'inputSchema: "additionalProperties" is not a Gemini Schema field',
        'inputSchema.properties.sources.items: "anyOf" is not a Gemini Schema field',
      ]),
    );
    expect(check(CURSOR, before)).toContain("inputSchema.properties.sources.items: anyOf");
    expect(check(HONEST_BOUNDS, before)).toEqual(
      expect.arrayContaining([
        "inputSchema: $schema",
        "inputSchema.properties.num_segments: a number without minimum and maximum",
        "inputSchema.properties.script.items.properties.segment: maximum is the safe-integer placeholder",
      ]),
    );
    expect(check(OUTPUT, ok, "t", obj({ result: {} }, { $schema: "x" }))).toEqual([
      "outputSchema: $schema",
      "outputSchema.properties.result: an untyped {}",
    ]);
    // What tools/list answered for get_job_status's nullable fields before the converter split them.
    expect(check(OUTPUT, ok, "t", obj({ error_message: { type: ["string", "null"] } }))).toEqual([
      'outputSchema.properties.error_message: type array ["string","null"]',
    ]);
  });

  it("a nullable output field becomes anyOf branches of one type each, accepting the same values", () => {
    const json = outputJsonSchema(
      z.object({ duration: z.number().min(0).nullable().describe("Seconds."), name: z.string().nullable() }),
    );
    const props = json.properties as Record<string, unknown>;
    expect(props.duration).toEqual({
      description: "Seconds.",
      anyOf: [{ type: "number", minimum: 0 }, { type: "null" }],
    });
    expect(props.name).toEqual({ anyOf: [{ type: "string" }, { type: "null" }] });
  });

  it("Claude: top-level unions, $ref, property and tool names", () => {
    expect(check(CLAUDE, { ...ok, anyOf: [{ required: ["name"] }] })).toContain(
      'inputSchema: "anyOf" at the top level',
    );
    expect(check(CLAUDE, obj({ a: { $ref: "#/$defs/x" } }))).toContain("inputSchema.properties.a: $ref");
    expect(check(CLAUDE, obj({ "a b": { type: "string" } }))[0]).toMatch(/property "a b"/);
    expect(check(CLAUDE, ok, "x".repeat(50))[0]).toMatch(/over 64 characters/);
    expect(check(CLAUDE, obj({ a: { type: "string" } }, { required: ["b"] }))).toContain(
      'inputSchema: required names "b", which is not a property',
    );
  });

  it("OpenAI: a root that is not an object, missing properties, arrays without items", () => {
    expect(check(OPENAI, { type: "object" })).toContain("inputSchema: no properties");
    expect(check(OPENAI, { anyOf: [ok] })).toEqual(expect.arrayContaining(['inputSchema: "anyOf" at the top level']));
    expect(check(OPENAI, obj({ tags: { type: "array" } }))).toContain(
      "inputSchema.properties.tags: an array without items",
    );
    expect(check(OPENAI, ok, "bad name")[0]).toMatch(/tool name/);
  });

  it("OpenAI strict: the Agents SDK conversion, and the keywords strict mode refuses", () => {
    const converted = toOpenAiStrict(
      obj({ a: { type: "string" }, b: obj({ c: { type: "integer", minimum: 1, maximum: 2 } }) }),
    );
    expect(converted).toMatchObject({
      required: ["a", "b"],
      additionalProperties: false,
      properties: { b: { required: ["c"], additionalProperties: false } },
    });
    expect(check(OPENAI_STRICT, obj({ a: { type: "string", minLength: 1, maxLength: 9 } }))).toEqual([
      'inputSchema.properties.a: "minLength" is not supported in strict mode',
      'inputSchema.properties.a: "maxLength" is not supported in strict mode',
    ]);
    expect(check(OPENAI_STRICT, obj({ a: { type: "string", default: "x" } }))).toEqual([
      'inputSchema.properties.a: "default" is not supported in strict mode',
    ]);
    expect(check(OPENAI_STRICT, obj({ a: { type: "string", format: "uri" } }))).toEqual([
      'inputSchema.properties.a: format "uri"',
    ]);
    expect(check(OPENAI_STRICT, obj({ a: obj({}, { additionalProperties: true }) }))[0]).toMatch(/cannot convert/);
    let deep: Schema = obj({ leaf: { type: "string" } });
    for (let i = 0; i < 10; i++) deep = obj({ [`level${i}`]: deep });
    expect(check(OPENAI_STRICT, deep)).toContain("12 levels of nesting (at most 10)");
  });

  it("Gemini: unknown fields, type arrays, empty objects, enums and formats", () => {
    expect(check(GEMINI, obj({ a: { type: ["string", "null"] } }))).toContain(
      "inputSchema.properties.a: type must be one of string, number, integer, boolean, array, object",
    );
    expect(check(GEMINI, obj({ a: { type: "string", const: "x" } }))).toContain(
      'inputSchema.properties.a: "const" is not a Gemini Schema field',
    );
    expect(check(GEMINI, obj({ a: { type: "number", exclusiveMinimum: 0 } }))).toContain(
      'inputSchema.properties.a: "exclusiveMinimum" is not a Gemini Schema field',
    );
    expect(check(GEMINI, obj({}))).toContain("inputSchema: an object without properties");
    expect(check(GEMINI, obj({ a: { type: "integer", enum: [1, 2] } }))).toContain(
      "inputSchema.properties.a: enum on a integer",
    );
    expect(check(GEMINI, obj({ a: { type: "string", format: "uri" } }))).toContain(
      'inputSchema.properties.a: format "uri"',
    );
    expect(check(GEMINI, obj({ "a.b": { type: "string" } }))[0]).toMatch(/parameter "a.b"/);
  });

  it("Cursor, VS Code: name length, unions anywhere, type arrays, items, boolean schemas", () => {
    expect(check(CURSOR, ok, "x".repeat(50))[0]).toMatch(/over 60 characters/);
    expect(check(CURSOR, obj({ a: { oneOf: [{ type: "string" }, { type: "integer" }] } }))).toContain(
      "inputSchema.properties.a: oneOf",
    );
    expect(check(CURSOR, obj({ a: { type: ["null", "string"] } }))).toContain("inputSchema.properties.a: type array");
    expect(check(CURSOR, obj({ a: { type: "string" } }, { required: null as unknown as string[] }))).toContain(
      "inputSchema: required must be an array of names",
    );
    expect(check(VSCODE, obj({ a: { type: "array" } }))).toContain("inputSchema.properties.a: an array without items");
    expect(check(VSCODE, obj({ a: obj({}, { additionalProperties: true }) }))).toContain(
      "inputSchema.properties.a.additionalProperties: a boolean schema",
    );
    expect(check(MCP, { type: "array", items: { type: "string" } })[0]).toMatch(/type must be "object"/);
  });
});

describe("every tool's schemas, as made for tools/list", () => {
  it.each(RULE_SETS.map((r) => [r.client, r] as [string, RuleSet]))("%s", (_client, rules) => {
    const violations = TOOLS.flatMap((tool) =>
      rules
        .check({ name: tool.name, inputSchema: inputJsonSchema(tool.input) }, SERVER)
        .map((v) => `${tool.name}: ${v}`),
    );
    expect(violations).toEqual([]);
  });

  it("output schemas: objects, every field typed", () => {
    const violations = TOOLS.flatMap((tool) =>
      OUTPUT.check({ name: tool.name, inputSchema: {}, outputSchema: outputJsonSchema(tool.output) }, SERVER).map(
        (v) => `${tool.name}: ${v}`,
      ),
    );
    expect(violations).toEqual([]);
  });

  it("limits and defaults the schema cannot carry are written into the description", () => {
    const json = inputJsonSchema(z.object({ name: z.string().min(1).max(200).default("x").describe("The name.") }));
    expect(json).toEqual({
      type: "object",
      properties: { name: { type: "string", description: 'The name. 1 to 200 characters. Default: "x"' } },
    });
  });
});
