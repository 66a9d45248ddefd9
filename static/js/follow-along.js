// Follow along: plays a guide's steps (or a routine's) one at a time in a modal dialog, hands
// free: a get-ready countdown, then each timed hold, rep and side, with pause, previous and next.
//
// Markup contract. The player reads only this, so any page can offer it; the guide page
// writes it with the follow_along_step tag (techniques/templatetags/site_tags.py):
//
//   <section data-follow-along data-follow-along-title="Cat-cow">   the guide's or routine's name
//     <button type="button" data-follow-along-start hidden>Follow along</button>
//     <li data-step                                 one element per step, in order
//         data-step-title="Step 2: Arch your back"  the heading shown for the step
//         data-hold-seconds="20"                    whole seconds; absent or empty when the step
//                                                   has no timed hold: the player waits for Done
//         data-reps="5"                             absent: 1
//         data-sides="each"                         "each": all reps on the left, then all on
//                                                   the right; "once" (or absent): no sides
//         data-breathing="Breathe out as you arch"> optional
//       ... the first <picture> or <img> inside is shown, copied ...
//     </li>
//   </section>
//
// The start button stays hidden without JavaScript, as it could do nothing; the steps are on
// the page anyway. The player's own controls are made here with DOM calls and textContent,
// never from HTML strings, and styled by class, so the strict Content-Security-Policy holds.
(() => {
  "use strict";

  const READY_SECONDS = 5;
  const REST_SECONDS = 3;
  const TICK_MS = 200;
  const SIGNALS_KEY = "follow-along-signals";
  const containers = [...document.querySelectorAll("[data-follow-along]")].filter(
    (container) => container.querySelector("[data-step]") && container.querySelector("[data-follow-along-start]"),
  );
  if (!containers.length || !window.HTMLDialogElement) {
    return;
  }

  function make(tag, className, text) {
    const element = document.createElement(tag);
    element.className = className;
    element.textContent = text || "";
    return element;
  }

  function button(text, className, onClick) {
    const control = make("button", `follow-along-button ${className}`, text);
    control.type = "button";
    control.addEventListener("click", onClick);
    return control;
  }

  function whole(value, fallback) {
    const number = Number.parseInt(value, 10);
    return number > 0 ? number : fallback;
  }

  function readSteps(container) {
    return [...container.querySelectorAll("[data-step]")].map((element) => ({
      title: element.dataset.stepTitle || "",
      hold: whole(element.dataset.holdSeconds, 0),
      reps: whole(element.dataset.reps, 1),
      each: element.dataset.sides === "each",
      breathing: element.dataset.breathing || "",
      picture: element.querySelector("picture, img"),
    }));
  }

  // What the player does for one step, in order. Timed parts have seconds; `set` names the
  // rep (and side) that a hold, or the countdown before it, is for.
  function plan(step) {
    if (!step.hold) {
      const times = step.reps > 1 ? `${step.reps} times` : "Once";
      return [{ kind: "At your own pace", set: step.each ? `${times} each side` : times }];
    }
    const parts = [];
    (step.each ? ["Left side", "Right side"] : [""]).forEach((side, sideIndex) => {
      for (let rep = 1; rep <= step.reps; rep++) {
        const count = step.reps > 1 ? `${rep} of ${step.reps}` : "";
        const set = side && count ? `${side}, ${count}` : side || (count && `Rep ${count}`);
        if (rep > 1) {
          parts.push({ kind: "Rest", seconds: REST_SECONDS, set });
        } else {
          parts.push({ kind: sideIndex ? "Switch sides" : "Get ready", seconds: READY_SECONDS, set });
        }
        parts.push({ kind: "Hold", seconds: step.hold, set, hold: true });
      }
    });
    return parts;
  }

  let signals = {};
  try {
    signals = JSON.parse(localStorage.getItem(SIGNALS_KEY)) || {};
  } catch {
    // No storage (private browsing, or blocked): the signals stay off, as by default.
  }

  const dialog = make("dialog", "follow-along");
  const name = make("h2", "follow-along-name");
  name.id = "follow-along-name";
  dialog.setAttribute("aria-labelledby", name.id);
  const figure = make("div", "follow-along-figure");
  const counter = make("p", "follow-along-counter");
  const title = make("h3", "follow-along-title");
  const breathing = make("p", "follow-along-breathing");
  const kind = make("p", "follow-along-kind");
  const time = make("p", "follow-along-time");
  const set = make("p", "follow-along-set");
  const bar = make("progress", "follow-along-bar");
  bar.max = 1;
  bar.setAttribute("aria-hidden", "true");
  const live = make("div", "visually-hidden");
  live.setAttribute("aria-live", "polite");
  const back = button("Previous", "", () => show(index - 1));
  const main = button("Pause", "follow-along-main", primary);
  const forward = button("Next", "", () => index < steps.length && show(index + 1));
  back.setAttribute("aria-keyshortcuts", "ArrowLeft");
  forward.setAttribute("aria-keyshortcuts", "ArrowRight");
  main.autofocus = true;

  const top = make("div", "follow-along-top");
  top.append(name, button("Close", "follow-along-close", () => dialog.close()));
  const timer = make("div", "follow-along-timer");
  timer.append(kind, time, set, bar);
  const body = make("div", "follow-along-body");
  body.append(counter, title, breathing, timer);
  const stage = make("div", "follow-along-stage");
  stage.append(figure, body);
  const controls = make("div", "follow-along-controls");
  controls.append(back, main, forward);
  const options = make("div", "follow-along-options");
  const signalsLabel = make("span", "", "When a hold ends:");
  signalsLabel.id = "follow-along-signals";
  options.setAttribute("role", "group");
  options.setAttribute("aria-labelledby", signalsLabel.id);
  options.append(signalsLabel);
  const keys = make("p", "follow-along-keys", "Keys: Space pauses or resumes, ← and → change step, Esc closes.");
  dialog.append(top, stage, controls, options, keys, live);

  let audio = null;
  function wakeAudio() {
    // Browsers let a page make a sound only after the reader has clicked something.
    if (signals.beep && window.AudioContext) {
      audio ||= new AudioContext();
      audio.resume().catch(() => {});
    }
  }

  function signal() {
    if (signals.beep && audio) {
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      const now = audio.currentTime;
      tone.frequency.value = 880;
      volume.gain.setValueAtTime(0.3, now);
      volume.gain.exponentialRampToValueAtTime(0.001, now + 0.4);
      tone.connect(volume).connect(audio.destination);
      tone.start(now);
      tone.stop(now + 0.4);
    }
    if (signals.vibrate) {
      navigator.vibrate(200);
    }
  }

  function option(key, text) {
    const box = make("input", "");
    box.type = "checkbox";
    box.checked = Boolean(signals[key]);
    box.addEventListener("change", () => {
      signals[key] = box.checked;
      try {
        localStorage.setItem(SIGNALS_KEY, JSON.stringify(signals));
      } catch {
        // Not remembered, but on for now.
      }
      wakeAudio();
    });
    const label = make("label", "follow-along-option");
    label.append(box, ` ${text}`);
    options.append(label);
  }
  if (window.AudioContext) {
    option("beep", "Beep");
  }
  if (navigator.vibrate) {
    option("vibrate", "Vibrate");
  }
  options.hidden = !window.AudioContext && !navigator.vibrate;

  // The screen stays on while the player runs. The browser lets go of the lock whenever the
  // page is hidden, so it is asked for again when the page is shown.
  let lock = null;
  function keepAwake(on) {
    if (on && !lock && navigator.wakeLock && document.visibilityState === "visible") {
      const mine = navigator.wakeLock.request("screen");
      const forget = () => {
        if (lock === mine) {
          lock = null;
        }
      };
      lock = mine;
      mine.then((sentinel) => sentinel.addEventListener("release", forget), forget);
    } else if (!on && lock) {
      lock.then((sentinel) => sentinel.release()).catch(() => {});
      lock = null;
    }
  }

  let steps = [];
  let index = 0; // the step shown; steps.length once every step is done
  let parts = [];
  let part = 0;
  let endsAt = 0; // when the timed part ends, in Date.now() time, while running
  let left = 0; // milliseconds left of the timed part, while paused
  let paused = false;
  let ticker = 0;
  let lastSaid = 0;
  let opener = null;

  function say(text) {
    // The same words twice in a row are still news, so they are made to differ.
    live.textContent = live.textContent === text ? `${text}\u00a0` : text;
  }

  function current() {
    return parts[part];
  }

  function message(now) {
    if (!now.seconds) {
      return `${now.set}, at your own pace. Press Done when you have finished.`;
    }
    if (now.hold) {
      return `${now.set ? `${now.set}. ` : ""}Hold ${now.seconds} second${now.seconds > 1 ? "s" : ""}.`;
    }
    return `${now.kind}.`;
  }

  function showTime() {
    const now = current();
    if (!now.seconds) {
      time.textContent = "";
      return;
    }
    const ms = paused ? left : endsAt - Date.now();
    const seconds = Math.max(1, Math.ceil(ms / 1000));
    time.textContent =
      seconds < 60 ? String(seconds) : `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    bar.value = 1 - ms / (now.seconds * 1000);
    // The last three seconds of a hold are spoken; every second would drown everything else.
    if (now.hold && now.seconds > 3 && seconds <= 3 && seconds !== lastSaid && !paused) {
      lastSaid = seconds;
      say(String(seconds));
    }
  }

  function render() {
    const now = current();
    kind.textContent = paused && now.seconds ? "Paused" : now.kind;
    set.textContent = now.set || "";
    bar.hidden = !now.seconds;
    if (index >= steps.length) {
      main.textContent = "Start again";
    } else {
      main.textContent = !now.seconds ? "Done" : paused ? "Resume" : "Pause";
    }
    dialog.classList.toggle("is-paused", paused);
    showTime();
  }

  function begin(partIndex, from, intro) {
    part = partIndex;
    const duration = (current().seconds || 0) * 1000;
    endsAt = from + duration;
    left = duration;
    lastSaid = 0;
    render();
    say(`${intro || ""}${message(current())}`);
  }

  // Moving to a step, by hand or when the last one's time is up, also ends a pause.
  function show(stepIndex) {
    index = Math.max(0, Math.min(stepIndex, steps.length));
    paused = false;
    const step = steps[index];
    figure.replaceChildren();
    breathing.replaceChildren();
    if (!step) {
      parts = [{ kind: "" }];
      part = 0;
      counter.textContent = "Finished";
      title.textContent = "All steps done";
      render();
      say("All steps done.");
      run();
      return;
    }
    if (step.picture) {
      const copy = step.picture.cloneNode(true);
      for (const image of copy.tagName === "IMG" ? [copy] : copy.querySelectorAll("img")) {
        image.loading = "eager";
      }
      figure.append(copy);
    }
    if (step.breathing) {
      breathing.append(make("strong", "", "Breathing: "), step.breathing);
    }
    counter.textContent = `Step ${index + 1} of ${steps.length}`;
    title.textContent = step.title;
    parts = plan(step);
    begin(0, Date.now(), `${step.title} (step ${index + 1} of ${steps.length}). `);
    run();
  }

  function tick() {
    // A loop, not one step, so that a page that was asleep catches up with the clock.
    while (!paused && current().seconds && Date.now() >= endsAt) {
      if (current().hold) {
        signal();
      }
      if (part + 1 < parts.length) {
        begin(part + 1, endsAt);
      } else {
        show(index + 1);
      }
    }
    showTime();
  }

  function run() {
    clearInterval(ticker);
    ticker = dialog.open && !paused ? setInterval(tick, TICK_MS) : 0;
    keepAwake(dialog.open && !paused && index < steps.length);
  }

  function setPaused(value) {
    if (value) {
      left = endsAt - Date.now();
    } else {
      endsAt = Date.now() + left;
    }
    paused = value;
    run();
    render();
    say(paused ? "Paused." : "Resumed.");
  }

  function primary() {
    wakeAudio();
    if (index >= steps.length) {
      show(0);
    } else if (!current().seconds) {
      show(index + 1);
    } else {
      setPaused(!paused);
    }
  }

  document.addEventListener("keydown", (event) => {
    if (!dialog.open || event.altKey || event.ctrlKey || event.metaKey) {
      return;
    }
    if (event.key === "ArrowLeft") {
      back.click();
    } else if (event.key === "ArrowRight") {
      forward.click();
    } else if (event.key === " " && !event.target.closest("button, input")) {
      // On a button, Space presses that button, as everywhere else.
      if (current().seconds) {
        setPaused(!paused);
      }
    } else {
      return;
    }
    event.preventDefault();
  });
  document.addEventListener("visibilitychange", () => keepAwake(dialog.open && !paused && index < steps.length));

  dialog.addEventListener("close", () => {
    clearInterval(ticker);
    keepAwake(false);
    opener.focus();
  });

  for (const container of containers) {
    const start = container.querySelector("[data-follow-along-start]");
    start.addEventListener("click", () => {
      steps = readSteps(container);
      name.textContent = container.dataset.followAlongTitle || "Follow along";
      opener = start;
      dialog.showModal();
      wakeAudio();
      show(0);
      // A live region is heard only once it is on the page, and this one has just appeared
      // with the dialog: the first step is announced a moment later.
      const first = live.textContent;
      live.textContent = "";
      setTimeout(() => live.textContent || say(first), 300);
    });
    start.hidden = false;
  }
  document.body.append(dialog);
})();
