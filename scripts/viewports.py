"""The screens the site is checked on: one definition for the browser tests and the
contact sheet (scripts/contact_sheet.py).

Most readers arrive on a phone, so two phone sizes come first; both emulate touch.
Each viewport is checked in both palettes (material's ``default`` and ``slate``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    touch: bool

    def context_options(self, scheme: str) -> dict[str, Any]:
        """Playwright ``new_context`` options; ``scheme`` is ``light`` or ``dark``."""
        options: dict[str, Any] = {
            "viewport": {"width": self.width, "height": self.height},
            "color_scheme": scheme,
        }
        if self.touch:
            options.update(is_mobile=True, has_touch=True, device_scale_factor=2)
        return options


VIEWPORTS = (
    Viewport("phone-360", 360, 740, touch=True),
    Viewport("phone-390", 390, 844, touch=True),
    Viewport("tablet-768", 768, 1024, touch=False),
    Viewport("desktop-1280", 1280, 900, touch=False),
)
# The first visit follows the system's light/dark setting (overrides/partials/palette.html).
SCHEMES = ("light", "dark")
