// The frame's styles. Colours and fonts come from the host's CSS variables (ext-apps host
// context) with fallbacks for hosts that send none; data-theme (set from the host's theme)
// picks the light or dark fallbacks. Safe-area insets arrive as --safe-* (see frame/host-style).
export const STYLES = `
:root {
  color-scheme: light dark;
  --bg: var(--color-background-primary, #ffffff);
  --bg-2: var(--color-background-secondary, #f2f4f7);
  --text: var(--color-text-primary, #1d2329);
  --text-2: var(--color-text-secondary, #57606a);
  --border: var(--color-border-primary, #d0d7de);
  --accent: var(--color-text-info, #0a62c9);
  --danger: var(--color-text-danger, #c4232d);
  --font: var(--font-sans, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif);
  --radius: var(--border-radius-md, 8px);
  --speaker-0: #0a62c9;
  --speaker-1: #a14a00;
  --speaker-2: #17783a;
  --speaker-3: #7a3fc8;
}
:root[data-theme="dark"] {
  --bg: var(--color-background-primary, #1e1f22);
  --bg-2: var(--color-background-secondary, #2b2d31);
  --text: var(--color-text-primary, #eceef1);
  --text-2: var(--color-text-secondary, #a9b0b8);
  --border: var(--color-border-primary, #454950);
  --accent: var(--color-text-info, #6cb0ff);
  --danger: var(--color-text-danger, #ff8a8f);
  --speaker-0: #6cb0ff;
  --speaker-1: #ffa657;
  --speaker-2: #56d37f;
  --speaker-3: #c9a2ff;
}
@media (prefers-color-scheme: dark) {
  :root:not([data-theme]) {
    --bg: #1e1f22; --bg-2: #2b2d31; --text: #eceef1; --text-2: #a9b0b8; --border: #454950;
    --accent: #6cb0ff; --danger: #ff8a8f;
    --speaker-0: #6cb0ff; --speaker-1: #ffa657; --speaker-2: #56d37f; --speaker-3: #c9a2ff;
  }
}
* { box-sizing: border-box; }
[hidden] { display: none !important; }
html, body { margin: 0; background: var(--bg); color: var(--text); font: 14px/1.45 var(--font); }
.app {
  padding: calc(12px + var(--safe-top, 0px)) calc(12px + var(--safe-right, 0px))
    calc(12px + var(--safe-bottom, 0px)) calc(12px + var(--safe-left, 0px));
  display: flex; flex-direction: column; gap: 10px; min-width: 0;
}
h1 { font-size: var(--font-heading-sm-size, 1.1rem); margin: 0; overflow-wrap: anywhere; }
h2 { font-size: var(--font-text-sm-size, 0.85rem); color: var(--text-2); margin: 8px 0 4px; font-weight: 600; }
.status { margin: 2px 0 0; color: var(--text-2); min-height: 1em; }
.status:empty { display: none; }
button {
  font: inherit; color: inherit; background: var(--bg-2); border: 1px solid var(--border);
  border-radius: var(--radius); padding: 4px 10px; cursor: pointer; min-height: 32px;
}
button:disabled { opacity: 0.6; cursor: default; }
button:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.stage { margin: 0; }
.stage .muted, .muted { color: var(--text-2); }
.bar { height: 8px; background: var(--bg-2); border: 1px solid var(--border); border-radius: 999px; overflow: hidden; }
.bar-fill { height: 100%; width: 0; background: var(--accent); transition: width 0.4s ease-out; }
.error { color: var(--danger); margin: 0; overflow-wrap: anywhere; }
.controls { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.play { width: 40px; height: 40px; border-radius: 50%; padding: 0; font-size: 16px; }
.play[data-state="paused"]::before { content: "\\25B6"; }
.play[data-state="playing"]::before { content: "\\2759\\2759"; letter-spacing: -2px; }
.seek { flex: 1 1 140px; min-width: 0; accent-color: var(--accent); }
.time { font-variant-numeric: tabular-nums; color: var(--text-2); white-space: nowrap; }
.row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; justify-content: space-between; }
.speeds { display: flex; gap: 4px; flex-wrap: wrap; }
.speed[aria-pressed="true"] { border-color: var(--accent); color: var(--accent); font-weight: 600; }
.speakers { display: flex; gap: 10px; flex-wrap: wrap; }
.legend::before { content: ""; display: inline-block; width: 8px; height: 8px; border-radius: 50%;
  background: currentColor; margin-right: 5px; }
.speaker-0 .speaker, .legend.speaker-0 { color: var(--speaker-0); }
.speaker-1 .speaker, .legend.speaker-1 { color: var(--speaker-1); }
.speaker-2 .speaker, .legend.speaker-2 { color: var(--speaker-2); }
.speaker-3 .speaker, .legend.speaker-3 { color: var(--speaker-3); }
ol, ul { list-style: none; margin: 0; padding: 0; }
.chapters { display: flex; flex-direction: column; gap: 2px; }
.chapter { width: 100%; display: flex; justify-content: space-between; gap: 8px; text-align: left;
  background: transparent; border-color: transparent; }
.chapter-time, .turn-time { color: var(--text-2); font-variant-numeric: tabular-nums; font-size: 0.85em; }
.transcript { position: relative; max-height: 320px; overflow-y: auto; display: flex; flex-direction: column; gap: 2px;
  border: 1px solid var(--border); border-radius: var(--radius); padding: 4px; }
.turn { width: 100%; text-align: left; display: grid; grid-template-columns: auto 1fr; column-gap: 8px;
  background: transparent; border-color: transparent; padding: 6px 8px; }
.turn .speaker { font-weight: 600; }
.turn .turn-time { justify-self: end; }
.turn .turn-text { grid-column: 1 / -1; overflow-wrap: anywhere; }
.chapter.current, .turn.current { background: var(--bg-2); border-color: var(--accent); }
@media (max-width: 360px) {
  .app { gap: 8px; }
  .time { flex-basis: 100%; text-align: right; }
}
@media (prefers-reduced-motion: reduce) { .bar-fill { transition: none; } }
`;
