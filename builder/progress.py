"""Progress bars for long runs (tqdm), shown only when stderr is a terminal, so CI logs
and redirected output stay clean."""

from __future__ import annotations

import sys
from typing import Iterable, Iterator, TypeVar

T = TypeVar("T")
MIN_ITEMS = 20  # below this a run is short enough not to need a bar


def progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    if total is None:
        total = len(items) if hasattr(items, "__len__") else None  # type: ignore[arg-type]
    if not sys.stderr.isatty() or (total is not None and total < MIN_ITEMS):
        yield from items
        return
    from tqdm import tqdm

    yield from tqdm(items, desc=label, total=total, unit="", leave=False, file=sys.stderr, mininterval=0.3)
