"""The city's roster (``city.yaml``): who issues the consolidated report, and which wards
are expected to send their export every period.

A ward is named as its own profile names it, with its level (``phường Hồng Bàng``); its
code is what its export carries (:func:`nq57lib.report.export.code_of`), so the roster and
the exports meet without a table of codes kept by hand.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from nq57lib.core.errors import ValidationError
from nq57lib.core.textnorm import nfc
from nq57lib.report.export import code_of

LEVELS = ("phường", "xã", "đặc khu")


@dataclass(frozen=True)
class City:
    """The body that consolidates, and its wards (name with level, in the roster's order)."""

    name: str
    issuer: tuple[str, ...]
    place: str
    number_line: str
    wards: tuple[str, ...] = ()

    @property
    def codes(self) -> dict[str, str]:
        """Ward code -> name, for the wards on the roster."""
        return {code_of(w): w for w in self.wards}


# Without a roster: a neutral letterhead, and nobody can be listed as not having sent.
NO_ROSTER = City(name="", issuer=(), place="", number_line="Số: …/BC-UBND")


def load_city(path: Path | str) -> City:
    """Read and check ``city.yaml``: every problem at once, one :class:`ValidationError`."""
    path = Path(path)
    subject = f"danh sách phường, xã {path}"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValidationError(subject, ["không tìm thấy tệp"]) from None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise ValidationError(subject, [f"tệp không đọc được: {error}"]) from None
    if not isinstance(raw, dict):
        raise ValidationError(subject, ["tệp phải có các mục city, letterhead, wards"])
    problems: list[str] = []
    name = raw.get("city")
    if not isinstance(name, str) or not name.strip():
        problems.append("“city”: thiếu tên thành phố, tỉnh (ví dụ “thành phố Hải Phòng”)")
    head = raw.get("letterhead") if isinstance(raw.get("letterhead"), dict) else {}
    if not head:
        problems.append("“letterhead”: thiếu mục (issuer, place, number)")
    issuer = head.get("issuer")
    lines = isinstance(issuer, list) and issuer and all(isinstance(x, str) for x in issuer)
    if head and not lines:
        problems.append("“letterhead.issuer”: các dòng tên cơ quan ban hành, mỗi dòng một mục")
    for key in ("place", "number"):
        if head and not isinstance(head.get(key), str):
            problems.append(f"“letterhead.{key}”: thiếu")
    wards = raw.get("wards")
    if not isinstance(wards, list) or not wards:
        problems.append("“wards”: danh sách tên phường, xã kèm cấp (ví dụ “phường Hồng Bàng”)")
        wards = []
    seen: dict[str, str] = {}
    for number, ward in enumerate(wards, 1):
        if not isinstance(ward, str) or not ward.strip():
            problems.append(f"“wards” mục {number}: phải là tên phường, xã")
            continue
        ward = " ".join(nfc(ward).split())
        if not ward.lower().startswith(LEVELS):
            problems.append(
                f"“wards” mục {number}: “{ward}” phải bắt đầu bằng phường, xã hoặc đặc khu"
            )
        code = code_of(ward)
        if code in seen:
            problems.append(f"“wards” mục {number}: “{ward}” đã có ở trên (“{seen[code]}”)")
        seen[code] = ward
    if problems:
        raise ValidationError(subject, problems)
    return City(
        name=nfc(name.strip()),
        issuer=tuple(nfc(x.strip()) for x in issuer),
        place=nfc(head["place"].strip()),
        number_line=nfc(head["number"].strip()),
        wards=tuple(seen.values()),
    )
