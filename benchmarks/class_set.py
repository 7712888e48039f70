"""Class-set benchmark: a 30-name class set against one render of the same pack, in one run.

    python benchmarks/class_set.py [PACK_DIR]

Prints the two times and their ratio. The target is a ratio of at most 2: a class set is
rendered once and the names are stamped, not rendered 30 times. Both builds run in this one
process, after a warm-up build, so imports and font loading are not counted against either.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import revpack
from revpack.resources import bundled_pack

NAMES = [
    "Amélie Dupont", "Seán O'Brien", "Zoë Smith", "Oluwaseun Adeyemi", "Li Wei", "Ana-María López",
    "Jörg Müller", "Priya Patel", "Mohammed Al-Farsi", "Chloé Martin", "Dmitri Ivanov",
    "Siobhán Kelly", "Kwame Mensah", "Fatima Zahra", "Tomás Novák", "Hannah Schmidt",
    "Yusuf Demir", "Grace O'Connor", "Mateo García", "Aoife Byrne", "Ravi Kumar", "Élodie Bernard",
    "Nikolai Petrov", "Sophie Williams", "Ahmed Hassan", "Isla MacDonald", "Björn Larsson",
    "Maya Cohen", "Chidi Okafor", "Lucía Fernández",
]


def timed(**kwargs) -> float:
    start = time.perf_counter()
    revpack.build(**kwargs)
    return time.perf_counter() - start


def main() -> None:
    pack = Path(sys.argv[1]) if len(sys.argv) > 1 else bundled_pack()
    with tempfile.TemporaryDirectory() as tmp:
        roster = Path(tmp) / "class.csv"
        roster.write_text("name,class\n" + "".join(f"{n},12B\n" for n in NAMES), encoding="utf-8")
        timed(pack_dir=pack, out=Path(tmp) / "warm", editions=("complete",))
        single = timed(pack_dir=pack, out=Path(tmp) / "single", editions=("complete",))
        klass = timed(pack_dir=pack, out=Path(tmp) / "class", editions=("complete",),
                      class_list=roster)
    print(f"one pack (complete edition):       {single:6.2f} s")
    print(f"pack + class set of {len(NAMES)} names:     {klass:6.2f} s")
    print(f"ratio: {klass / single:.2f} (target: at most 2.00)")


if __name__ == "__main__":
    main()
