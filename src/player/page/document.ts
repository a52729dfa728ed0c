// The player page: static markup the frame fills (ids are the frame's contract, see frame/dom),
// the styles, and the linked script inline. Nothing is fetched: the frame's CSP allows no network.
export function playerDocument(styles: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Podcast episode</title>
<style>${styles}</style>
</head>
<body>
<main class="app">
  <header>
    <h1 id="title">Podcast episode</h1>
    <p id="status" class="status" role="status" aria-live="polite">Waiting for the tool result…</p>
  </header>
  <section id="job" class="job" aria-label="Episode progress" hidden>
    <p class="stage"><span id="stage">Waiting for a worker</span> <span id="stage-detail" class="muted"></span></p>
    <div id="bar" class="bar" role="progressbar" aria-label="Progress"
      aria-valuemin="0" aria-valuemax="100" aria-valuenow="0">
      <div id="bar-fill" class="bar-fill"></div>
    </div>
    <p id="job-error" class="error" role="alert" hidden></p>
    <button id="retry" type="button" hidden>Retry</button>
  </section>
  <section id="player" class="player" aria-label="Player" hidden>
    <audio id="audio" preload="auto"></audio>
    <div class="controls">
      <button id="play" type="button" class="play" aria-label="Play" data-state="paused"></button>
      <input id="seek" class="seek" type="range" min="0" max="0" step="any" value="0" aria-label="Position">
      <span id="time" class="time">0:00 / 0:00</span>
    </div>
    <div class="row">
      <div id="speeds" class="speeds" role="group" aria-label="Playback speed"></div>
      <button id="download" type="button" hidden>Download MP3</button>
    </div>
    <ul id="speakers" class="speakers" aria-label="Speakers"></ul>
    <section id="chapters-section" aria-labelledby="chapters-h">
      <h2 id="chapters-h">Chapters</h2>
      <ol id="chapters" class="chapters"></ol>
    </section>
    <section aria-labelledby="transcript-h">
      <h2 id="transcript-h">Transcript</h2>
      <ol id="transcript" class="transcript" aria-label="Transcript turns"></ol>
    </section>
  </section>
</main>
<script type="module">
${script}
</script>
</body>
</html>
`;
}
