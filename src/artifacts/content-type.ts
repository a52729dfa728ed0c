// A Content-Type from the key's extension, stored with the S3 object so a presigned URL serves the
// audio as audio (a browser or podcast app follows the redirect and plays what it is told).
const TYPES: Record<string, string> = {
  mp3: "audio/mpeg",
  json: "application/json",
  vtt: "text/vtt; charset=utf-8",
  md: "text/markdown; charset=utf-8",
  txt: "text/plain; charset=utf-8",
};

export function contentTypeFor(key: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(key)?.[1]?.toLowerCase();
  return (ext && TYPES[ext]) || "application/octet-stream";
}
