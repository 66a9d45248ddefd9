"""Follow along (static/js/follow-along.js): a guide's steps played one at a time in a dialog,
with a get-ready countdown and timed holds, reps and sides, in Chromium on a fake clock."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_TAGS, describe
from tests.factories import StepFactory, TechniqueFactory

GUIDE_TITLE = "Twist drill"
HOLD = 6
TURN_ALT = "A person sitting on a mat, turning to the right."
# Any fixed moment: the page's clock starts here, and stands still an hour later until a test
# moves it on.
START = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

# Stand-ins that record what the player asks of the browser: a sound, a vibration, the screen
# kept awake. `browserRelease()` lets go of the wake lock as the browser does when the page is hidden.
RECORDING_DEVICES = """
window.tones = 0;
window.AudioContext = class {
  currentTime = 0;
  destination = {};
  resume() { return Promise.resolve(); }
  createOscillator() {
    return {frequency: {}, connect: (node) => node, start: () => { window.tones += 1; }, stop() {}};
  }
  createGain() {
    return {gain: {setValueAtTime() {}, exponentialRampToValueAtTime() {}}, connect: (node) => node};
  }
};
window.vibrations = [];
navigator.vibrate = (pattern) => { window.vibrations.push(pattern); return true; };
window.wakeLog = [];
Object.defineProperty(navigator, "wakeLock", {value: {request(type) {
  window.wakeLog.push(`request ${type}`);
  const sentinel = new EventTarget();
  sentinel.release = () => {
    window.wakeLog.push("release");
    sentinel.dispatchEvent(new Event("release"));
    return Promise.resolve();
  };
  window.browserRelease = () => sentinel.dispatchEvent(new Event("release"));
  return Promise.resolve(sentinel);
}}});
"""

# Every transition and animation in the player, pseudo-elements included, that isn't instant.
MOVING = """(dialog) => [dialog, ...dialog.querySelectorAll("*")].flatMap((element) =>
  [null, "::before", "::after"].flatMap((pseudo) => {
    const style = getComputedStyle(element, pseudo);
    return [style.transitionDuration, style.animationDuration]
      .filter((durations) => durations.split(",").some((duration) => parseFloat(duration) > 0))
      .map((durations) => `${element.className || element.tagName} ${durations}`);
  }))"""


@pytest.fixture
def guide_url(site):
    """A guide whose first step is held on each side, the second not timed, the third held once."""
    guide = TechniqueFactory(title=GUIDE_TITLE, slug="twist-drill", steps=0)
    StepFactory(
        technique=guide,
        order=1,
        title="Turn and hold",
        hold_seconds=HOLD,
        reps=3,
        sides="each",
        breathing="Breathe out as you turn.",
        illustration="seated-spinal-twist-2",
        image_alt=TURN_ALT,
    )
    StepFactory(technique=guide, order=2, title="Shrug your shoulders", hold_seconds=None, reps=10, sides="once")
    StepFactory(technique=guide, order=3, title="Sit tall", hold_seconds=4, reps=1, sides="once", breathing="")
    return site + guide.get_absolute_url()


class Player:
    """The player's dialog on a page whose clock stands still until `wait` moves it on."""

    def __init__(self, page):
        self.page = page
        self.errors = []  # anything the Content-Security-Policy blocked, or a script error
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.start = page.get_by_role("button", name="Follow along")
        self.dialog = page.get_by_role("dialog", name=GUIDE_TITLE)
        self.heading = self.dialog.get_by_role("heading", level=3)
        self.counter = self.dialog.locator(".follow-along-counter")
        self.kind = self.dialog.locator(".follow-along-kind")
        self.time = self.dialog.locator(".follow-along-time")
        self.set = self.dialog.locator(".follow-along-set")
        self.live = self.dialog.locator("[aria-live='polite']")
        self.main = self.dialog.locator(".follow-along-main")

    def open(self, url):
        self.page.clock.install(time=START)
        self.page.goto(url)
        self.page.clock.pause_at(START + timedelta(hours=1))
        self.start.click()
        expect(self.dialog).to_be_visible()

    def wait(self, seconds):
        self.page.clock.run_for(round(seconds * 1000))

    def shows(self, kind, set_, time):
        expect(self.kind).to_have_text(kind)
        expect(self.set).to_have_text(set_)
        expect(self.time).to_have_text(time)


@pytest.fixture
def player(new_page):
    return Player(new_page())


def test_the_player_counts_down_then_times_every_rep_on_each_side(guide_url, player):
    player.open(guide_url)
    expect(player.heading).to_have_text("Step 1: Turn and hold")
    expect(player.counter).to_have_text("Step 1 of 3")
    expect(player.dialog).to_contain_text("Breathing: Breathe out as you turn.")
    expect(player.dialog.get_by_role("img", name=TURN_ALT)).to_be_visible()
    expect(player.main).to_be_focused()

    # Mid-second each time, so that no check sits on the instant a second ticks over.
    player.wait(0.5)
    player.shows("Get ready", "Left side, 1 of 3", "5")
    expect(player.live).to_have_text("Step 1: Turn and hold (step 1 of 3). Get ready.")
    player.wait(1)
    player.shows("Get ready", "Left side, 1 of 3", "4")
    player.wait(4)
    player.shows("Hold", "Left side, 1 of 3", str(HOLD))
    expect(player.live).to_have_text(f"Left side, 1 of 3. Hold {HOLD} seconds.")
    player.wait(1)
    player.shows("Hold", "Left side, 1 of 3", str(HOLD - 1))
    # Only the last three seconds of a hold are spoken.
    expect(player.live).to_have_text(f"Left side, 1 of 3. Hold {HOLD} seconds.")
    player.wait(2)
    player.shows("Hold", "Left side, 1 of 3", "3")
    expect(player.live).to_have_text("3")
    player.wait(1)
    expect(player.live).to_have_text("2")
    player.wait(2)
    player.shows("Rest", "Left side, 2 of 3", "3")
    expect(player.live).to_have_text("Rest.")
    player.wait(3)
    player.shows("Hold", "Left side, 2 of 3", str(HOLD))

    # Paused, the clock on the wall moves on and the player's doesn't.
    player.main.click()
    player.shows("Paused", "Left side, 2 of 3", str(HOLD))
    expect(player.main).to_have_text("Resume")
    expect(player.live).to_have_text("Paused.")
    player.wait(30)
    player.shows("Paused", "Left side, 2 of 3", str(HOLD))
    player.page.keyboard.press("Space")
    expect(player.live).to_have_text("Resumed.")
    expect(player.main).to_have_text("Pause")
    player.wait(1)
    player.shows("Hold", "Left side, 2 of 3", str(HOLD - 1))

    player.wait(5)
    player.shows("Rest", "Left side, 3 of 3", "3")
    player.wait(3)
    player.shows("Hold", "Left side, 3 of 3", str(HOLD))
    player.wait(HOLD)
    player.shows("Switch sides", "Right side, 1 of 3", "5")
    player.wait(5)
    player.shows("Hold", "Right side, 1 of 3", str(HOLD))
    expect(player.live).to_have_text(f"Right side, 1 of 3. Hold {HOLD} seconds.")

    # Hands free: when the last hold on the right ends, the next step begins.
    player.wait(HOLD + 2 * (3 + HOLD))
    expect(player.heading).to_have_text("Step 2: Shrug your shoulders")
    expect(player.counter).to_have_text("Step 2 of 3")
    assert not player.errors


def test_a_step_without_a_hold_waits_for_done_and_the_last_one_ends_the_session(guide_url, player):
    player.open(guide_url)
    player.dialog.get_by_role("button", name="Next").click()
    expect(player.heading).to_have_text("Step 2: Shrug your shoulders")
    expect(player.kind).to_have_text("At your own pace")
    expect(player.set).to_have_text("10 times")
    expect(player.time).to_be_hidden()
    expect(player.live).to_have_text(
        "Step 2: Shrug your shoulders (step 2 of 3). 10 times, at your own pace. Press Done when you have finished."
    )
    player.wait(120)
    expect(player.heading).to_have_text("Step 2: Shrug your shoulders")

    player.dialog.get_by_role("button", name="Done").click()
    expect(player.heading).to_have_text("Step 3: Sit tall")
    player.wait(5.5)
    # One hold, once, on no particular side.
    player.shows("Hold", "", "4")
    expect(player.live).to_have_text("Hold 4 seconds.")
    player.wait(4)
    expect(player.heading).to_have_text("All steps done")
    expect(player.live).to_have_text("All steps done.")
    player.dialog.get_by_role("button", name="Start again").click()
    expect(player.heading).to_have_text("Step 1: Turn and hold")
    player.shows("Get ready", "Left side, 1 of 3", "5")
    assert not player.errors


def test_buttons_and_keys_move_between_steps_and_escape_gives_the_focus_back(guide_url, player):
    player.open(guide_url)
    keyboard = player.page.keyboard
    keyboard.press("ArrowRight")
    expect(player.heading).to_have_text("Step 2: Shrug your shoulders")
    keyboard.press("ArrowRight")
    expect(player.heading).to_have_text("Step 3: Sit tall")
    expect(player.live).to_have_text("Step 3: Sit tall (step 3 of 3). Get ready.")
    keyboard.press("ArrowLeft")
    expect(player.heading).to_have_text("Step 2: Shrug your shoulders")
    player.dialog.get_by_role("button", name="Previous").click()
    expect(player.heading).to_have_text("Step 1: Turn and hold")
    player.dialog.get_by_role("button", name="Next").click()
    expect(player.counter).to_have_text("Step 2 of 3")
    keyboard.press("ArrowLeft")
    keyboard.press("ArrowLeft")
    expect(player.counter).to_have_text("Step 1 of 3")

    # Space pauses and resumes from anywhere in the player, not only on the Pause button.
    player.wait(2.5)
    player.heading.click()
    keyboard.press("Space")
    player.shows("Paused", "Left side, 1 of 3", "3")
    player.wait(10)
    keyboard.press("Space")
    player.wait(1)
    player.shows("Get ready", "Left side, 1 of 3", "2")

    keyboard.press("Escape")
    expect(player.dialog).to_be_hidden()
    expect(player.start).to_be_focused()
    # Opened again, it starts from the beginning.
    keyboard.press("Enter")
    expect(player.heading).to_have_text("Step 1: Turn and hold")
    player.shows("Get ready", "Left side, 1 of 3", "5")
    player.dialog.get_by_role("button", name="Close").click()
    expect(player.dialog).to_be_hidden()
    expect(player.start).to_be_focused()
    assert not player.errors


def test_beep_and_vibration_are_off_until_chosen_and_the_choice_is_remembered(guide_url, new_page):
    page = new_page()
    page.add_init_script(RECORDING_DEVICES)
    player = Player(page)
    player.open(guide_url)
    beep = player.dialog.get_by_role("group", name="When a hold ends:").get_by_role("checkbox", name="Beep")
    vibrate = player.dialog.get_by_role("group", name="When a hold ends:").get_by_role("checkbox", name="Vibrate")
    expect(beep).not_to_be_checked()
    expect(vibrate).not_to_be_checked()
    player.dialog.get_by_role("button", name="Next").click()
    player.dialog.get_by_role("button", name="Next").click()
    player.wait(5 + 4 + 0.5)
    expect(player.heading).to_have_text("All steps done")
    assert page.evaluate("[window.tones, window.vibrations]") == [0, []]

    beep.check()
    vibrate.check()
    page.reload()
    page.clock.pause_at(START + timedelta(hours=2))
    player.start.click()
    expect(beep).to_be_checked()
    expect(vibrate).to_be_checked()
    player.dialog.get_by_role("button", name="Next").click()
    player.dialog.get_by_role("button", name="Next").click()
    player.wait(5 + 3.5)
    assert page.evaluate("[window.tones, window.vibrations]") == [0, []]
    player.wait(1)
    expect(player.heading).to_have_text("All steps done")
    # One signal, when the hold ends, and none for the countdown before it.
    assert page.evaluate("[window.tones, window.vibrations]") == [1, [200]]
    assert not player.errors


def test_the_screen_is_kept_awake_while_the_player_runs(guide_url, new_page):
    page = new_page()
    page.add_init_script(RECORDING_DEVICES)
    player = Player(page)

    def wake_log():
        return page.evaluate("window.wakeLog")

    player.open(guide_url)
    assert wake_log() == ["request screen"]
    player.main.click()
    assert wake_log() == ["request screen", "release"]
    player.main.click()
    assert wake_log() == ["request screen", "release", "request screen"]
    # Hidden, the page loses the lock; shown again, it asks for it again.
    page.evaluate("window.browserRelease(); document.dispatchEvent(new Event('visibilitychange'))")
    assert wake_log() == ["request screen", "release", "request screen", "request screen"]
    page.keyboard.press("Escape")
    expect(player.dialog).to_be_hidden()
    # The dialog says it has closed in a task of its own, after the key press.
    for _ in range(50):
        if wake_log()[-1] == "release":
            break
        time.sleep(0.1)
    assert wake_log() == ["request screen", "release", "request screen", "request screen", "release"]
    assert not player.errors


@pytest.mark.parametrize("motion", ["reduce", "no-preference"])
def test_the_player_moves_only_for_readers_who_have_not_asked_for_less_motion(guide_url, new_page, motion):
    player = Player(new_page(reduced_motion=motion))
    player.open(guide_url)
    moving = player.dialog.evaluate(MOVING)
    if motion == "reduce":
        assert moving == []
    else:
        assert moving, "the player fades in: the check above would find that"


@pytest.mark.parametrize(("scheme", "width", "height"), [("light", 375, 812), ("dark", 1280, 800)])
def test_the_open_player_has_no_wcag_violations(guide_url, new_page, scheme, width, height):
    # axe is injected as an inline script, which the site's CSP would refuse.
    page = new_page(width=width, height=height, color_scheme=scheme, reduced_motion="reduce", bypass_csp=True)
    player = Player(page)
    player.open(guide_url)
    page.clock.resume()  # axe waits on timers of its own
    page.add_script_tag(path=AXE)
    violations = page.evaluate(RUN_AXE, [WCAG_TAGS, None])
    assert not violations, "\n".join(describe("player", violation) for violation in violations)
    # Everything fits the screen: nothing to scroll to, sideways or down.
    overflow = player.dialog.evaluate("(d) => [d.scrollWidth - d.clientWidth, d.scrollHeight - d.clientHeight]")
    assert overflow == [0, 0]


def test_without_javascript_every_step_shows_and_the_start_button_does_not(guide_url, no_js_page):
    no_js_page.goto(guide_url)
    steps = no_js_page.locator(".steps > li")
    expect(steps).to_have_count(3)
    for step in steps.all():
        expect(step).to_be_visible()
    expect(steps.get_by_role("heading", level=3)).to_have_text(
        ["Step 1 Turn and hold", "Step 2 Shrug your shoulders", "Step 3 Sit tall"]
    )
    expect(no_js_page.get_by_role("button", name="Follow along")).to_be_hidden()
    expect(no_js_page.locator("dialog")).to_have_count(0)
