// The shape a status read returns: what Open Notebook's job polling endpoint returns
// (job_id, status, result, error_message, created, updated, progress) plus the queue's own fields.
import { DateTime } from "surrealdb";
import type { JobStatusName } from "../core/enums.js";
import { idText } from "../core/ids.js";

export interface JobProgress {
  fraction: number;
  stage: string;
  message: string;
}

export interface JobStatus {
  job_id: string;
  status: JobStatusName;
  result: unknown;
  error_message: string | null;
  created: string;
  updated: string;
  progress: JobProgress | null;
  name: string;
  /** The command's arguments as submitted (what the job is about, e.g. its episode). */
  args: unknown;
  attempts: number;
  max_attempts: number;
  lease_until: string | null;
}

/** A `command` row as the SDK returns it. */
export type CommandRow = Record<string, unknown>;

function iso(v: unknown): string | null {
  if (v === undefined || v === null) return null;
  if (v instanceof DateTime) return v.toISOString();
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

export function toJobStatus(row: CommandRow): JobStatus {
  const p = row.progress as Partial<JobProgress> | undefined | null;
  return {
    job_id: idText(row.id),
    status: row.status as JobStatusName,
    result: row.result ?? null,
    error_message: (row.error_message as string | undefined) ?? null,
    created: iso(row.created) ?? "",
    updated: iso(row.updated) ?? "",
    progress: p
      ? { fraction: Number(p.fraction ?? 0), stage: String(p.stage ?? ""), message: String(p.message ?? "") }
      : null,
    name: String(row.name),
    args: row.args ?? null,
    attempts: Number(row.attempts ?? 0),
    max_attempts: Number(row.max_attempts ?? 1),
    lease_until: iso(row.lease_until),
  };
}
