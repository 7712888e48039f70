"""Look: how one copy looks, as one frozen value: its edition, its variant and its paper.

Takes the build's choices, gives the key a build session lays out and caches by, and what a
kind's view and layout check receive (`builder.look`, `check_layout(document, look, part)`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Look:
    edition: str = "complete"          # complete, worksheet or answers
    variant: str = "standard"          # standard, large-print or dyslexia-friendly
    paper: str = "a4"                  # a key of the paper table (a4, letter, a3, a5, …)
