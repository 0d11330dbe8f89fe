"""Demo programmes: the hand-authored "Digital Workplace" (small) and a generated one for
benchmarks (large). See base.py for how they are written (through the store, deterministic)."""

from pgmtui.demo.base import (
    DATA_FILE,
    SIZES,
    build_demo,
    demo_data_path,
    load_small_spec,
    previous_working_day,
    working_day,
)

__all__ = [
    "DATA_FILE",
    "SIZES",
    "build_demo",
    "demo_data_path",
    "load_small_spec",
    "previous_working_day",
    "working_day",
]
