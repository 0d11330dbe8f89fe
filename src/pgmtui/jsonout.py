"""Strict JSON for every `--json` output and the JSON report.

Python's json module writes NaN and Infinity, which are not JSON: `jq`, browsers and most
languages refuse the whole document. Absurd inputs (a benefit measured at 1e308) can make a figure
non-finite, so every JSON output goes through :func:`dumps`: a non-finite number becomes null, and
the object that held it gains ``"null_reasons": {"key": "why"}`` so a reader knows the null is not
"no data".
"""

from __future__ import annotations

import json
import math
from typing import Any

NULL_REASONS = "null_reasons"
WHY_NAN = "not computable: the figure is undefined for these inputs (NaN)"
WHY_INFINITE = "not computable: the numbers are too large (overflow)"


def _why(value: float) -> str:
    return WHY_NAN if math.isnan(value) else WHY_INFINITE


def _is_bad(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


def _clean_list(items: list[Any] | tuple[Any, ...], key: str, reasons: dict[str, str]) -> list[Any]:
    out: list[Any] = []
    for i, item in enumerate(items):
        if _is_bad(item):
            reasons[f"{key}[{i}]"] = _why(item)
            out.append(None)
        elif isinstance(item, (list, tuple)):
            out.append(_clean_list(item, f"{key}[{i}]", reasons))
        else:
            out.append(strict(item))
    return out


def strict(data: Any) -> Any:
    """A copy of `data` with non-finite floats replaced by None and their reasons recorded in the
    innermost enclosing object (see the module docstring)."""
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        reasons: dict[str, str] = {}
        for key, value in data.items():
            if _is_bad(value):
                out[key] = None
                reasons[str(key)] = _why(value)
            elif isinstance(value, (list, tuple)):
                out[key] = _clean_list(value, str(key), reasons)
            else:
                out[key] = strict(value)
        if reasons:
            out[NULL_REASONS] = {**(out.get(NULL_REASONS) or {}), **reasons}
        return out
    if isinstance(data, (list, tuple)):
        return _clean_list(data, "", {})  # no object to hold the reasons: null alone
    if _is_bad(data):
        return None
    return data


def dumps(data: Any, *, indent: int | None = 2) -> str:
    """Strict JSON text (never NaN or Infinity), UTF-8 characters kept as they are."""
    return json.dumps(strict(data), indent=indent, ensure_ascii=False, allow_nan=False)
