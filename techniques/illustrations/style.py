"""The one house style: one stroke weight, one palette, one font stack.

Colours are named by role, not by hue. The SVG backend emits each role as a CSS custom
property (so the page's dark mode reaches inside an <img>); the raster backend resolves
the same roles to the light palette, because share cards and print are light.
"""

from __future__ import annotations

# Every outline, prop edge and arrow uses this width, in user units of a drawing whose
# window is REFERENCE_WIDTH wide (scene.py scales it with the window).
STROKE = 2.4
REFERENCE_WIDTH = 400

# Dash pattern (on, off) for "ghost" outlines of a start position.
DASH = (5.0, 6.0)

# Role -> (light, dark). Dark values are lighter lines on darker fills so the figure keeps
# the same figure/ground relationship on a dark page.
PALETTE: dict[str, tuple[str, str]] = {
    "ink": ("#1f3645", "#d7e3ea"),  # figure outlines, text
    "fill": ("#ffffff", "#2b3d4a"),  # body
    "shade": ("#dbe5eb", "#1c2a33"),  # far-side limbs, set back from the near side
    "prop": ("#6d8291", "#93a9b8"),  # outlines of furniture and equipment
    "propfill": ("#eef2f4", "#22313b"),  # furniture and equipment surfaces
    "accent": ("#d46a1f", "#f2a25c"),  # movement arrows and the target-area highlight
    "fluid": ("#cfe6f3", "#23475c"),  # synovial fluid in the cavitation diagram
    "paper": ("#ffffff", "#121a20"),  # page colour, used for the gas cavity and label chips
}

FONT_FAMILY = "system-ui, sans-serif"

# Raster fallbacks for FONT_FAMILY, tried in order.
RASTER_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "DejaVuSans.ttf",
    "Arial.ttf",
)
RASTER_BOLD_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "DejaVuSans-Bold.ttf",
    "Arial Bold.ttf",
)

# Opacity of the translucent target-area highlight.
HIGHLIGHT_OPACITY = 0.32


def light(role: str) -> str:
    return PALETTE[role][0]


def stylesheet() -> str:
    """The <style> text embedded in every SVG: variables, dark mode, role classes."""
    light_vars = ";".join(f"--{role}:{light_value}" for role, (light_value, _) in PALETTE.items())
    dark_vars = ";".join(f"--{role}:{dark_value}" for role, (_, dark_value) in PALETTE.items())
    # s-<role> sets the stroke colour, f-<role> the fill colour.
    classes = "".join(f".s-{role}{{stroke:var(--{role})}}.f-{role}{{fill:var(--{role})}}" for role in PALETTE)
    return (
        f"svg{{{light_vars}}}"
        f"@media (prefers-color-scheme:dark){{svg{{{dark_vars}}}}}"
        f"{classes}"
        f"text{{font-family:{FONT_FAMILY};stroke:none}}"
    )
