// dojobot pages: local times, countdowns on the server's clock, live status without reload.
//
// The page never trusts the browser's wall clock: the server writes its own "now" into
// <body data-server-now>, and the page adds the monotonic time elapsed since it learnt it.
// With data-status-url the page re-reads the session's public status every data-poll-ms and
// re-synchronises, so a status change (or the service clock moving) shows without a reload.
// Words come from the server in the page's language (<html lang>): the countdown's units in
// <body data-unit-*> ("{n} min"), its sentence in data-template ("Starts in {left}").
(() => {
  "use strict";
  const body = document.body;
  let serverNow = Date.parse(body.dataset.serverNow || "");
  let syncedAt = performance.now();
  if (Number.isNaN(serverNow)) serverNow = Date.now();
  const now = () => serverNow + (performance.now() - syncedAt);
  const byId = (id) => document.getElementById(id);

  const format = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  function localTimes() {
    for (const el of document.querySelectorAll("time[data-local]")) {
      const at = Date.parse(el.getAttribute("datetime") || "");
      if (!Number.isNaN(at)) el.textContent = format.format(new Date(at));
    }
  }

  const units = { d: "{n} d", h: "{n} h", min: "{n} min", s: "{n} s" };
  for (const name of Object.keys(units)) {
    const word = body.getAttribute("data-unit-" + name);
    if (word && word.includes("{n}")) units[name] = word;
  }
  const unit = (name, n) => units[name].replace("{n}", String(n));

  function span(ms) {
    const s = Math.max(0, Math.ceil(ms / 1000));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    const m = Math.floor((s % 3600) / 60), sec = s % 60;
    const two = (n) => String(n).padStart(2, "0");
    const parts = d ? [unit("d", d)] : [];
    if (d || h) parts.push(unit("h", h));
    parts.push(unit("min", d || h ? two(m) : String(m)), unit("s", two(sec)));
    return parts.join(" ");
  }

  function sentence(el, left) {
    const template = el.dataset.template;
    if (template && template.includes("{left}")) return template.replace("{left}", left);
    return (el.dataset.prefix || "") + left;
  }

  function tick() {
    const at = now();
    for (const el of document.querySelectorAll("[data-countdown-to]")) {
      const left = Date.parse(el.dataset.countdownTo) - at;
      el.textContent = left > 0 ? sentence(el, span(left)) : el.dataset.doneText || "";
    }
    for (const el of document.querySelectorAll("[data-show-from]")) {
      const from = Date.parse(el.dataset.showFrom);
      const until = el.dataset.showUntil ? Date.parse(el.dataset.showUntil) : Infinity;
      const open = el.dataset.open;
      el.hidden = open === "closed" ? true : !(open === "true" || (at >= from && at < until));
    }
  }

  function apply(status) {
    serverNow = Date.parse(status.now);
    syncedAt = performance.now();
    const label = byId("status");
    if (label) {
      label.textContent = status.status_label;
      label.dataset.status = status.status;
    }
    const seats = byId("seats");
    if (seats) seats.textContent = status.seats;
    const recording = byId("recording");
    if (recording) recording.hidden = !status.recording_enabled;
    const countdown = byId("countdown");
    if (countdown) {
      // the session page counts down to the start, the join page to the room's opening
      const toOpening = countdown.dataset.countdownField === "join_opens_at";
      countdown.dataset.countdownTo = toOpening ? status.join_opens_at : status.start_time;
      countdown.hidden = status.status !== "scheduled";
    }
    for (const id of ["join-box", "retry"]) {
      const box = byId(id);
      if (!box) continue;
      box.dataset.showFrom = status.join_opens_at;
      box.dataset.showUntil = status.end_time;
      const finished = status.status === "ended" || status.status === "canceled";
      box.dataset.open = finished ? "closed" : String(status.join_open);
    }
    tick();
  }

  async function poll() {
    try {
      const response = await fetch(body.dataset.statusUrl, { cache: "no-store" });
      if (response.ok) apply(await response.json());
    } catch (error) {
      // offline for a moment: keep counting on the last known server time
    }
  }

  localTimes();
  tick();
  setInterval(tick, 1000);
  const every = Number(body.dataset.pollMs || 0);
  if (body.dataset.statusUrl && every > 0) setInterval(poll, every);
})();
