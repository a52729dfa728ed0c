// Resource URIs. Ids appear as the tools return them (episode:abc, command:abc); the bare key
// (abc) is accepted too. Nothing in a URI is ever used as a file path.
export const EPISODES_URI = "podcast://episodes";
export const episodeUri = (id: string) => `podcast://episodes/${id}`;
export const jobUri = (id: string) => `podcast://jobs/${id}`;

/** The two spellings of one record's URIs, so a notification reaches whichever a client used. */
export function uriVariants(kind: "episodes" | "jobs", id: string, suffix = ""): string[] {
  const table = kind === "episodes" ? "episode" : "command";
  const key = id.startsWith(`${table}:`) ? id.slice(table.length + 1) : id;
  return [`podcast://${kind}/${table}:${key}${suffix}`, `podcast://${kind}/${key}${suffix}`];
}

export function withTable(table: "episode" | "command" | "notebook", id: string): string {
  return id.startsWith(`${table}:`) ? id : `${table}:${id}`;
}
