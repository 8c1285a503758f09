"""The last few results of a costly computation on a file's content, kept by key.

A batch works on one ward after another, and two threads of ``nq57`` on two wards at once
(the next ward is prepared while this one's reports are laid out): a cache of one entry
would have each thread throw away what the other is about to read again. The key holds
the content's hash, so an edited file is computed again; callers get the stored value
and copy it before they change it.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Generic, TypeVar

from nq57lib.core import config
from nq57lib.core.errors import InputFileError
from nq57lib.core.files import read_regular

V = TypeVar("V")


class Recent(Generic[V]):
    """At most ``size`` values by key, the least recently used let go first."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[object, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: object) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: object, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def content_digest(path: Path, limit: int = config.MAX_PLAN_FILE_BYTES) -> str | None:
    """A hash of the file's bytes (None if it cannot be read: parsing it will say why). A
    FIFO, a device or a file over ``limit`` is not read here either (it blocked, or read
    /dev/zero until the memory ran out)."""
    try:
        return hashlib.sha256(read_regular(path, limit)).hexdigest()
    except InputFileError:
        return None
