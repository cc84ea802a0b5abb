"""The screens the site is checked on, by the browser tests and the contact sheet. Most
readers arrive on a phone, so two phone sizes (with touch) come first; each viewport is
checked in both palettes."""

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
        touch = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2} if self.touch else {}
        return {"viewport": {"width": self.width, "height": self.height}, "color_scheme": scheme, **touch}


VIEWPORTS = (
    Viewport("phone-360", 360, 740, touch=True),
    Viewport("phone-390", 390, 844, touch=True),
    Viewport("tablet-768", 768, 1024, touch=False),
    Viewport("desktop-1280", 1280, 900, touch=False),
)
# The first visit follows the system's light/dark setting (overrides/partials/palette.html).
SCHEMES = ("light", "dark")
