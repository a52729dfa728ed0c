// Job ids are the command record id as a string, "command:<id>". Parsed strictly so hostile
// input never reaches a query as anything but a bound RecordId.
import { RecordId } from "surrealdb";
import { invalidInput } from "../errors.js";
import { recordIdPattern } from "../db/record-key.js";

const JOB_ID = recordIdPattern("command");

export function parseJobId(raw: string): string {
  if (typeof raw !== "string" || !JOB_ID.test(raw)) {
    throw invalidInput("job_id", 'must look like "command:<id>" (letters, digits or _ after the colon, at most 64)');
  }
  return raw;
}

export function jobRecordId(raw: string): RecordId<"command", string> {
  const m = JOB_ID.exec(parseJobId(raw))!;
  return new RecordId("command", m[1]!);
}

export function jobIdString(id: unknown): string {
  if (id instanceof RecordId) return `command:${String(id.id)}`;
  return String(id);
}
