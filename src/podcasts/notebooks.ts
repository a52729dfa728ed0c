// Notebooks collect sources; each source's plain text is extracted once, when it is added, and
// stored, so making an episode from a notebook never fetches again. Limits: per source, per
// notebook in all (what one episode can be written from), and a count of sources.
import type { RecordId } from "surrealdb";
import type { Db } from "../db/index.js";
import { AppError, invalidInput } from "../errors.js";
import { MAX_CONTENT_CHARS } from "../sources/index.js";
import { idText, parseRecordId } from "../core/ids.js";
import { plain } from "./plain.js";
import { extractSource, joinTexts, type SourceExposure } from "./sources.js";
import { NotebookInput, SourceInput, parseOrThrow } from "./validation.js";

export const MAX_SOURCES_PER_NOTEBOOK = 50;

export type NotebookSummary = {
  id: string;
  name: string;
  description: string;
  created: string;
  updated: string;
  source_count: number;
};

export type SourceRecord = {
  id: string;
  notebook_id: string;
  kind: string;
  title: string;
  text: string;
  url?: string;
  file_name?: string;
  size: number;
  bytes: number;
  created: string;
};

export async function createNotebook(db: Db, input: unknown): Promise<NotebookSummary> {
  const { name, description } = parseOrThrow(NotebookInput, input);
  const [rows] = await db
    .query<[Record<string, unknown>[]]>("CREATE notebook CONTENT $c", {
      c: { name, description, created: new Date(), updated: new Date() },
    })
    .collect();
  return { ...plain<Omit<NotebookSummary, "source_count">>(rows![0]), source_count: 0 };
}

export async function listNotebooks(db: Db): Promise<NotebookSummary[]> {
  const [rows] = await db
    .query<[Record<string, unknown>[]]>(
      "SELECT *, (SELECT count() AS n FROM source WHERE notebook = $parent.id GROUP ALL)[0].n ?? 0 AS source_count FROM notebook ORDER BY created DESC",
    )
    .collect();
  return (rows ?? []).map((r) => plain<NotebookSummary>(r));
}

async function notebookRecord(db: Db, id: RecordId, field: string): Promise<Record<string, unknown>> {
  const [rows] = await db.query<[Record<string, unknown>[]]>("SELECT * FROM $id", { id }).collect();
  if (!rows?.[0]) throw new AppError("not_found", `${field}: notebook not found: ${idText(id)}`, { field });
  return rows[0];
}

async function sourcesOf(db: Db, id: RecordId): Promise<SourceRecord[]> {
  const [rows] = await db
    .query<[Record<string, unknown>[]]>("SELECT * FROM source WHERE notebook = $nb ORDER BY created, id", { nb: id })
    .collect();
  return (rows ?? []).map((r) => {
    const { notebook, ...rest } = plain<Record<string, unknown>>(r);
    return { ...rest, notebook_id: notebook } as SourceRecord;
  });
}

export async function getNotebook(db: Db, rawId: unknown): Promise<NotebookSummary & { sources: SourceRecord[] }> {
  const id = parseRecordId("notebook", rawId, "notebook_id");
  const nb = plain<Omit<NotebookSummary, "source_count">>(await notebookRecord(db, id, "notebook_id"));
  const sources = await sourcesOf(db, id);
  return { ...nb, source_count: sources.length, sources };
}

/** Extracts the source's text now (files read, URLs fetched) and stores it. */
/**
 * `deniedDirs`: folders no file source may come from (the data dir: it holds the DB host's secret
 * and every episode), judged on the file's real path.
 */
export async function addSource(
  db: Db,
  rawNotebookId: unknown,
  rawSource: unknown,
  exposure: SourceExposure = "local",
  deniedDirs: string[] = [],
): Promise<Omit<SourceRecord, "text">> {
  const id = parseRecordId("notebook", rawNotebookId, "notebook_id");
  const input = parseOrThrow(SourceInput, rawSource, "source");
  await notebookRecord(db, id, "notebook_id");
  const [stats] = await db
    .query<[{ n: number; chars: number }[]]>(
      "SELECT count() AS n, math::sum(size) AS chars FROM source WHERE notebook = $nb GROUP ALL",
      { nb: id },
    )
    .collect();
  const count = stats?.[0]?.n ?? 0;
  const used = stats?.[0]?.chars ?? 0;
  if (count >= MAX_SOURCES_PER_NOTEBOOK)
    throw invalidInput("notebook_id", `must have at most ${MAX_SOURCES_PER_NOTEBOOK} sources (it has ${count})`);
  const got = await extractSource(input, "source", { exposure, deniedDirs });
  if (used + got.text.length > MAX_CONTENT_CHARS) {
    throw invalidInput(
      "source",
      `would bring the notebook to ${used + got.text.length} characters of text; a notebook may hold at most ${MAX_CONTENT_CHARS} (it has ${used})`,
    );
  }
  const [rows] = await db
    .query<[Record<string, unknown>[]]>("CREATE source CONTENT $c; UPDATE $nb SET updated = time::now();", {
      nb: id,
      c: {
        notebook: id,
        kind: got.kind,
        title: got.title,
        text: got.text,
        url: got.url,
        file_name: got.fileName,
        size: got.text.length,
        bytes: got.bytes,
        created: new Date(),
      },
    })
    .collect();
  const { text: _text, notebook, ...rest } = plain<Record<string, unknown>>(rows![0]);
  return { ...rest, notebook_id: notebook } as Omit<SourceRecord, "text">;
}

/** Every source of the notebook as one text, each under its title; empty notebook → invalid_input. */
export async function notebookContent(
  db: Db,
  rawId: unknown,
  field = "notebook_id",
): Promise<{ id: RecordId; name: string; text: string; sources: number }> {
  const id = parseRecordId("notebook", rawId, field);
  const nb = await notebookRecord(db, id, field);
  const sources = await sourcesOf(db, id);
  if (sources.length === 0)
    throw invalidInput(field, `notebook ${idText(id)} has no sources: add some with add_source first`);
  return { id, name: String(nb.name), text: joinTexts(sources), sources: sources.length };
}
