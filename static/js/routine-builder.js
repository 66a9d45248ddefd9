// The routine builder, enhanced. Without JavaScript the reader ticks guides and picks each
// one's position by hand; the server checks and orders them. Here, ticking a guide gives it
// the next free position and unticking it closes the gap, picking a position ticks the guide,
// and a status line counts the guides and steps chosen against the routine's limits.
(() => {
  "use strict";

  const form = document.querySelector("form[data-routine-builder]");
  if (!form) {
    return;
  }
  const maxGuides = Number(form.dataset.maxGuides);
  const maxSteps = Number(form.dataset.maxSteps);
  const tally = form.querySelector("[data-builder-tally]");
  const rows = [...form.querySelectorAll("[data-builder-row]")].map((element) => ({
    tick: element.querySelector('input[type="checkbox"]'),
    position: element.querySelector("select"),
    steps: Number(element.dataset.steps),
  }));

  const chosen = () => rows.filter((row) => row.tick.checked);
  const positionOf = (row) => Number(row.position.value) || 0;

  function nextFreePosition() {
    const taken = new Set(chosen().map(positionOf));
    for (let position = 1; position <= maxGuides; position += 1) {
      if (!taken.has(position)) {
        return String(position);
      }
    }
    return "";
  }

  function updateTally() {
    const guides = chosen();
    const steps = guides.reduce((sum, row) => sum + row.steps, 0);
    const over = guides.length > maxGuides || steps > maxSteps;
    tally.textContent =
      `${guides.length} guide${guides.length === 1 ? "" : "s"}, ${steps} step${steps === 1 ? "" : "s"} chosen` +
      (over ? `: that is more than fits on one page (at most ${maxGuides} guides, ${maxSteps} steps).` : ".");
  }

  rows.forEach((row) => {
    row.tick.addEventListener("change", () => {
      if (row.tick.checked) {
        if (!row.position.value) {
          row.position.value = nextFreePosition();
        }
      } else {
        const freed = positionOf(row);
        row.position.value = "";
        if (freed) {
          chosen()
            .filter((other) => positionOf(other) > freed)
            .forEach((other) => {
              other.position.value = String(positionOf(other) - 1);
            });
        }
      }
      updateTally();
    });
    row.position.addEventListener("change", () => {
      if (row.position.value && !row.tick.checked) {
        row.tick.checked = true;
      }
      updateTally();
    });
  });
  updateTally();
})();
