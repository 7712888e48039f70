"""Resources: where the built-in theme, the built-in exam themes and the bundled pack live.

Installed from a wheel they sit inside the package (`revpack/templates`, …); in a source checkout
they are the repository's top-level folders.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def resource_dir() -> Path:
    if (_PACKAGE / "templates").is_dir():
        return _PACKAGE
    repo = _PACKAGE.parent.parent
    if (repo / "templates").is_dir():
        return repo
    raise RuntimeError("revpack's built-in templates are missing from this installation")


def bundled_pack() -> Path:
    return resource_dir() / "content" / "soviet-foreign-policy"


def builtin_theme_dirs() -> dict[str, Path]:
    root = resource_dir() / "themes"
    if not root.is_dir():
        return {}
    return {d.name: d for d in sorted(root.iterdir()) if (d / "theme.yaml").is_file()}
