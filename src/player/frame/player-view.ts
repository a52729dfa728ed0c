// The finished episode: play/pause, seek, speed, chapters that jump, and the transcript with the
// turn being spoken highlighted (click a turn to hear it). Keyboard: Space plays/pauses, ← → move
// 5 s, and every control is a button or the slider, so Tab reaches it and Enter/Space presses it.
import { byId, element } from "./dom.js";
import { currentIndex, type EpisodeView } from "./episode.js";
import { clamp, formatPosition, formatTime } from "./format.js";

export const SPEEDS = [1, 1.25, 1.5, 2] as const;
const STEP_SECONDS = 5;
/** Colours for up to this many speakers (the profile allows 1–4); more wrap around. */
const SPEAKER_COLOURS = 4;
/**
 * A jump lands this far into its target: an MP3 seek can land a few ms early (frame
 * granularity), which would leave the previous turn highlighted.
 */
const LAND_INSIDE = 0.05;

export interface PlayerOptions {
  /** Present when the host can save files; called with the file name to offer. */
  download?: (fileName: string) => Promise<void>;
}

export function fileNameFor(name: string): string {
  const base = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^[-.]+|[-.]+$/g, "")
    .slice(0, 80);
  return `${base || "episode"}.mp3`;
}

export function showPlayer(view: EpisodeView, dataUrl: string, opts: PlayerOptions): () => void {
  const audio = byId<HTMLAudioElement>("audio");
  const play = byId<HTMLButtonElement>("play");
  const seek = byId<HTMLInputElement>("seek");
  const time = byId("time");
  const chapterList = byId("chapters");
  const transcript = byId("transcript");
  const duration = () => (Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : view.duration);

  byId("job").hidden = true;
  byId("player").hidden = false;
  byId("title").textContent = view.name;

  const chapters = view.chapters.map((c, i) => {
    const b = element("button", { type: "button", class: "chapter", "data-index": String(i) });
    b.append(
      element("span", { class: "chapter-title" }, c.title),
      element("span", { class: "chapter-time" }, formatTime(c.start)),
    );
    b.setAttribute("aria-label", `Chapter ${i + 1}: ${c.title}, at ${formatTime(c.start)}`);
    b.onclick = () => jump(c.start);
    const li = element("li");
    li.append(b);
    return { li, b };
  });
  chapterList.replaceChildren(...chapters.map((c) => c.li));
  byId("chapters-section").hidden = chapters.length === 0;

  const turns = view.turns.map((t, i) => {
    const colour = Math.max(0, view.speakers.indexOf(t.speaker)) % SPEAKER_COLOURS;
    const b = element("button", {
      type: "button",
      class: `turn speaker-${colour}`,
      "data-index": String(i),
      "data-start": String(t.start),
    });
    b.append(
      element("span", { class: "speaker" }, t.speaker),
      element("span", { class: "turn-time" }, formatTime(t.start)),
      element("span", { class: "turn-text" }, t.text),
    );
    b.setAttribute("aria-label", `${t.speaker} at ${formatTime(t.start)}: ${t.text}`);
    b.onclick = () => jump(t.start);
    const li = element("li");
    li.append(b);
    return { li, b };
  });
  transcript.replaceChildren(...turns.map((t) => t.li));
  byId("speakers").replaceChildren(
    ...view.speakers.map((name, i) => element("li", { class: `legend speaker-${i % SPEAKER_COLOURS}` }, name)),
  );

  let currentTurn = -1;
  let currentChapter = -1;
  let dragging = false;

  function mark(list: { b: HTMLButtonElement }[], from: number, to: number): void {
    if (from >= 0) {
      list[from]?.b.classList.remove("current");
      list[from]?.b.removeAttribute("aria-current");
    }
    if (to >= 0) {
      list[to]?.b.classList.add("current");
      list[to]?.b.setAttribute("aria-current", "true");
    }
  }

  function render(): void {
    const t = audio.currentTime;
    const d = duration();
    const pos = formatPosition(t, d);
    time.textContent = pos.text;
    seek.max = String(d);
    if (!dragging) seek.value = String(t);
    seek.setAttribute("aria-valuetext", pos.label);
    const turn = currentIndex(view.turns, t);
    if (turn !== currentTurn) {
      mark(turns, currentTurn, turn);
      currentTurn = turn;
      keepInView(transcript, turns[turn]?.b);
    }
    const chapter = currentIndex(view.chapters, t);
    if (chapter !== currentChapter) {
      mark(chapters, currentChapter, chapter);
      currentChapter = chapter;
    }
  }

  function jump(seconds: number): void {
    audio.currentTime = clamp(seconds + LAND_INSIDE, 0, duration());
    render();
  }

  function toggle(): void {
    if (audio.paused) void audio.play().catch((err: unknown) => setPlayError(err));
    else audio.pause();
  }

  function setPlayError(err: unknown): void {
    byId("status").textContent = `The audio could not play: ${err instanceof Error ? err.message : String(err)}`;
  }

  function syncPlayButton(): void {
    const playing = !audio.paused;
    play.setAttribute("aria-label", playing ? "Pause" : "Play");
    play.dataset.state = playing ? "playing" : "paused";
  }

  play.onclick = toggle;
  seek.oninput = () => {
    dragging = true;
    audio.currentTime = Number(seek.value);
  };
  seek.onchange = () => {
    dragging = false;
    render();
  };

  const speedButtons = SPEEDS.map((speed) => {
    const b = element(
      "button",
      { type: "button", class: "speed", "data-speed": String(speed), "aria-pressed": String(speed === 1) },
      `${speed}×`,
    );
    b.setAttribute("aria-label", `Speed ${speed}×`);
    b.onclick = () => {
      audio.playbackRate = speed;
      for (const o of speedButtons) o.setAttribute("aria-pressed", String(o === b));
    };
    return b;
  });
  byId("speeds").replaceChildren(...speedButtons);

  const download = byId<HTMLButtonElement>("download");
  download.hidden = !opts.download;
  if (opts.download) {
    const save = opts.download;
    download.onclick = () => {
      download.disabled = true;
      void save(fileNameFor(view.name))
        .catch(
          (err: unknown) =>
            (byId("status").textContent = `Download failed: ${err instanceof Error ? err.message : String(err)}`),
        )
        .finally(() => (download.disabled = false));
    };
  }

  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const target = e.target as HTMLElement | null;
    // On a button, Space presses that button (the play button toggles by itself).
    if (e.key === " " && target?.tagName !== "BUTTON") {
      e.preventDefault();
      toggle();
    } else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      e.preventDefault();
      jump(audio.currentTime - LAND_INSIDE + (e.key === "ArrowRight" ? STEP_SECONDS : -STEP_SECONDS));
    }
  };
  document.addEventListener("keydown", onKey);

  const events = ["timeupdate", "seeked", "durationchange", "loadedmetadata", "pause", "play", "ended"] as const;
  const onEvent = () => {
    render();
    syncPlayButton();
  };
  for (const ev of events) audio.addEventListener(ev, onEvent);
  audio.src = dataUrl;
  render();
  syncPlayButton();

  return () => {
    audio.pause();
    document.removeEventListener("keydown", onKey);
    for (const ev of events) audio.removeEventListener(ev, onEvent);
  };
}

/** Scrolls the transcript box (never the host's page) so the current turn is visible. */
function keepInView(box: HTMLElement, item: HTMLElement | undefined): void {
  if (!item) return;
  const top = item.offsetTop; // the box is position: relative, so this is from its top
  if (top < box.scrollTop || top + item.offsetHeight > box.scrollTop + box.clientHeight) {
    box.scrollTop = Math.max(0, top - box.clientHeight / 3);
  }
}
