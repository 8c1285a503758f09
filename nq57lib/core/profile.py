"""The ward profile: one ``ward.yaml`` per project folder says whose plan nq57 tracks.

Everything that names the ward or commune — the letterhead, the dateline, the plan's
number, date and subject, the signer, the recipients, the plan's areas — and where the
project keeps its plan, its reporting units and its data, is read from this file, so the
same code serves every phường, xã and đặc khu. :func:`load_profile` checks every field
and raises one :class:`~nq57lib.core.errors.ProfileError` listing all that is wrong, in
the words of the analyst who edits the file. The schema, with an example, is documented
in the shipped ``ward.yaml`` at the repository root and in README.md.

Paths in the file are relative to the folder that holds it. ``paths.units`` and
``paths.registry`` may be left out (nq57's shipped files are used; the caller,
:mod:`nq57lib.core.config`, knows where those are), and so may ``paths.raw``,
``paths.processed`` and ``paths.reports`` (the usual ``data/raw``, ``data/processed``,
``reports``).
"""

from __future__ import annotations

import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from types import MappingProxyType

from nq57lib.core import files
from nq57lib.core.calendar import CUTOFF_MODES, ReportingCalendar
from nq57lib.core.errors import InputFileError, ProfileError
from nq57lib.core.textnorm import fold, nfc

PROFILE_FILE = "ward.yaml"
# The package's own data (nq57lib.core.config.PACKAGE_DATA, which imports this module): a
# profile may name the shipped registry or units file there.
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"
_PACKAGE_FILES = ("paths.units", "paths.registry")
# A ward profile larger than this is refused unread (the shipped one: 3 kB). Here, not in
# nq57lib.core.config, which loads profiles and re-exports it.
MAX_PROFILE_BYTES = 256 * 1024
LEVELS = ("phường", "xã", "đặc khu")
# What `nq57 init` writes where it could not read a value from the plan; a profile that
# still holds one does not load, so nothing is printed with a blank to fill.
PLACEHOLDER = re.compile(r"<<[^<>\n]*>>")
_AREA_KEY = re.compile(r"^[a-zđ]$")
_PLAN_NUMBER = re.compile(r"^[0-9A-Za-zĐđ.\-]+/[0-9A-Za-zĐđ.\-/]+$")
_SUBJECT_LEAD = re.compile(r"^về\s+", re.IGNORECASE)

# Every key of ward.yaml and what it holds, in the words the error messages use.
SCHEMA: dict[str, dict[str, str] | str] = {
    "ward": {
        "name": "tên phường, xã (không kèm cấp), ví dụ Hồng Bàng",
        "level": "cấp: " + ", ".join(LEVELS),
        "province": "tỉnh, thành phố trực thuộc, ví dụ thành phố Hải Phòng",
    },
    "letterhead": {
        "issuer": "các dòng tên cơ quan ban hành, ví dụ [ỦY BAN NHÂN DÂN, PHƯỜNG HỒNG BÀNG]",
        "place": "địa danh ở dòng ngày tháng, ví dụ Hồng Bàng",
        "number": "dòng số hiệu của báo cáo, ví dụ “Số: …/BC-UBND”",
    },
    "plan": {
        "number": "số hiệu kế hoạch, ví dụ 106/KH-UBND",
        "date": "ngày ban hành kế hoạch, ví dụ 2025-10-03",
        "subject": "trích yếu kế hoạch: phần sau chữ “về” trong câu mở đầu báo cáo",
    },
    "signer": {
        "on_behalf": "dòng thẩm quyền ký, ví dụ TM. ỦY BAN NHÂN DÂN",
        "title": "chức vụ người ký, ví dụ CHỦ TỊCH",
        "name": "họ tên người ký (để trống nếu chưa ghi)",
    },
    "recipients": "danh sách nơi nhận báo cáo",
    "areas": "các lĩnh vực của kế hoạch, ví dụ a: Phát triển hạ tầng",
    "indicators": {
        "also_track": "mã các chỉ số của danh mục theo dõi thêm dù kế hoạch không nêu",
    },
    "steering": {
        "name": "tên Ban Chỉ đạo như câu mở đầu báo cáo gọi, ví dụ Ban Chỉ đạo phát triển khoa "
        "học, công nghệ, đổi mới sáng tạo và chuyển đổi số phường",
        "issuer": "các dòng tên cơ quan ban hành báo cáo của Ban Chỉ đạo",
        "number": "dòng số hiệu, ví dụ “Số: …/BC-BCĐ”",
        "party": "true nếu Ban Chỉ đạo thuộc cấp ủy (quốc hiệu “ĐẢNG CỘNG SẢN VIỆT NAM”)",
        "on_behalf": "dòng thẩm quyền ký, ví dụ TM. BAN CHỈ ĐẠO",
        "title": "chức vụ người ký, ví dụ TRƯỞNG BAN",
        "signer_name": "họ tên người ký (để trống nếu chưa ghi)",
        "recipients": "danh sách nơi nhận báo cáo của Ban Chỉ đạo",
    },
    "reporting": {
        "cutoff": "cách chốt số liệu: calendar (hết ngày cuối kỳ) hoặc regime (ngày 15 tháng "
        "trước kỳ đến ngày 14 tháng cuối kỳ, Nghị định 09/2019/NĐ-CP)",
        "report_due_days": "số ngày làm việc sau ngày chốt số liệu phải gửi báo cáo, ví dụ 2",
        "units_due_days": "số ngày làm việc sau ngày chốt số liệu các đơn vị phải gửi tệp",
    },
    "paths": {
        "plan": "tệp kế hoạch",
        "units": "tệp đơn vị báo cáo (reporting_units.yaml)",
        "registry": "danh mục chỉ số (indicators.yaml)",
        "raw": "thư mục số liệu gốc",
        "processed": "thư mục số liệu đã xử lý",
        "reports": "thư mục báo cáo",
    },
}
OPTIONAL = frozenset(
    {"signer.name", "indicators.also_track", "paths.units", "paths.registry", "paths.raw",
     "paths.processed", "paths.reports", "reporting.cutoff", "reporting.report_due_days",
     "reporting.units_due_days", *(f"steering.{k}" for k in (
         "name", "issuer", "number", "party", "on_behalf", "title", "signer_name",
         "recipients"))}
)  # fmt: skip
# The ``issuer`` of the steering committee's report (BC-BCĐ) of a run.
STEERING = "bcd"
# Needed when the profile has a steering section at all.
_STEERING_NEEDS = ("name", "issuer", "number", "on_behalf", "title", "recipients")


@dataclass(frozen=True)
class Steering:
    """The steering committee's own report of the same run (BC-BCĐ): who issues and signs it."""

    name: str
    issuer: tuple[str, ...]
    number_line: str
    on_behalf: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    party: bool = False  # under the Party committee: the Party's motto, not the State's


@dataclass(frozen=True)
class Profile:
    """One ward's or commune's identity and its project's files, as ``ward.yaml`` gives them.

    Paths are absolute. ``units_path``, ``registry_path``, ``raw_dir``, ``processed_dir``
    and ``reports_dir`` are None when the file leaves them out (the defaults apply).
    """

    path: Path
    name: str
    level: str
    province: str
    issuer: tuple[str, ...]
    place: str
    number_line: str
    plan_number: str
    plan_date: date
    plan_subject: str
    on_behalf: str
    signer_title: str
    signer_name: str
    recipients: tuple[str, ...]
    areas: Mapping[str, str]
    plan_path: Path
    # Registry indicators the ward tracks although its plan sets them no target (the plan's
    # own targets decide the rest: nq57lib.plan.tracked).
    also_track: tuple[str, ...] = ()
    # How periods are cut off and when reports are due (nq57lib.core.calendar).
    calendar: ReportingCalendar = field(default_factory=ReportingCalendar)
    # The steering committee's report, when the ward makes one (as_steering).
    steering: Steering | None = None
    # Who "báo cáo" in the first sentence ("" : the People's Committee); the motto's kind.
    reporter: str = ""
    party: bool = False
    units_path: Path | None = None
    registry_path: Path | None = None
    raw_dir: Path | None = None
    processed_dir: Path | None = None
    reports_dir: Path | None = None

    def as_steering(self) -> Profile:
        """This profile as the steering committee's report prints it (same ward, same plan)."""
        if self.steering is None:
            raise ProfileError(self.path, ["không có mục “steering” (Ban Chỉ đạo) trong hồ sơ"])
        s = self.steering
        return replace(
            self, issuer=s.issuer, number_line=s.number_line, on_behalf=s.on_behalf,
            signer_title=s.signer_title, signer_name=s.signer_name, recipients=s.recipients,
            reporter=s.name, party=s.party,
        )  # fmt: skip

    @property
    def root(self) -> Path:
        """The project folder: the one that holds ``ward.yaml``."""
        return self.path.parent

    @property
    def ward(self) -> str:
        """``phường Hồng Bàng``, ``xã Tân Lập``."""
        return f"{self.level} {self.name}"

    @property
    def province_kind(self) -> str:
        """The kind of the level above, as running text names it: ``thành phố`` (thành phố
        Hải Phòng), ``tỉnh`` (tỉnh Tuyên Quang)."""
        return "thành phố" if fold(self.province).startswith("thanh pho") else "tỉnh"

    @property
    def plan_date_text(self) -> str:
        """The plan's date as a document cites it: ``03/10/2025``, ``12/8/2025``."""
        return citation_date(self.plan_date)

    @property
    def plan_title(self) -> str:
        """``Kết quả thực hiện Kế hoạch số 106/KH-UBND``."""
        return f"Kết quả thực hiện Kế hoạch số {self.plan_number}"

    def report_title(self, period_label: str) -> str:
        """``Báo cáo quý III năm 2026 — Kết quả thực hiện Kế hoạch số 106/KH-UBND`` for
        ``period_label`` = :attr:`Period.report_label <nq57lib.core.periods.Period.report_label>`.
        """
        return f"Báo cáo {period_label} — {self.plan_title}"


def citation_date(value: date) -> str:
    """A date cited in running text (Nghị định 30/2020: a zero before a day below 10 and
    before the months 1 and 2 only): ``03/10/2025``, ``12/8/2025``, ``05/02/2026``."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{value.day:02d}/{month}/{value.year}"


def _described(key: str) -> str:
    section, _, field = key.partition(".")
    entry = SCHEMA[section]
    what = entry[field] if isinstance(entry, dict) else entry
    return f"“{key}” ({what})"


class _Reader:
    """Reads one value at a time, noting each problem instead of stopping at the first."""

    def __init__(self, document: dict, root: Path):
        self.document = document
        self.root = root
        self.problems: list[str] = []

    def note(self, key: str, problem: str) -> None:
        self.problems.append(f"{_described(key)}: {problem}")

    def raw(self, key: str) -> object:
        section, _, field = key.partition(".")
        value = self.document.get(section)
        if field:
            if value is not None and not isinstance(value, dict):
                return None  # the section itself is wrong: said once, by _unknown_keys
            value = (value or {}).get(field)
        if value is None or value == "" or value == [] or value == {}:
            if key not in OPTIONAL:
                self.problems.append(f"thiếu {_described(key)}")
            return None
        return value

    def _scalar(self, key: str, value: object) -> str | None:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.note(key, "phải là một dòng chữ")
            return None
        text = nfc(" ".join(str(value).split()))
        if PLACEHOLDER.search(text):
            self.note(key, f"chưa điền (còn “{PLACEHOLDER.search(text).group(0)}”)")
            return None
        return text

    def text(self, key: str) -> str:
        value = self.raw(key)
        if value is None:
            return ""
        return self._scalar(key, value) or ""

    def lines(self, key: str) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            self.note(key, "phải là danh sách, mỗi dòng bắt đầu bằng “- ”")
            return ()
        before = len(self.problems)
        found = tuple(self._scalar(key, item) or "" for item in value)
        if len(self.problems) == before and not all(found):
            self.note(key, "có dòng trống")
        return found

    def count(self, key: str, default: int | None) -> int | None:
        value = self.raw(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 60:
            self.note(key, f"“{value}” không phải một số ngày từ 0 đến 60")
            return default
        return value

    def steering(self) -> Steering | None:
        given = self.document.get("steering")
        if not given:
            return None
        if not isinstance(given, dict):
            return None  # said once, by _unknown_keys
        for key in _STEERING_NEEDS:
            if given.get(key) in (None, "", []):
                self.problems.append(f"thiếu {_described('steering.' + key)}")
        party = given.get("party", False)
        if not isinstance(party, bool):
            self.note("steering.party", "ghi true hoặc false")
            party = False
        return Steering(
            name=self.text("steering.name"),
            issuer=self.lines("steering.issuer"),
            number_line=self.text("steering.number"),
            on_behalf=self.text("steering.on_behalf"),
            signer_title=self.text("steering.title"),
            signer_name=self.text("steering.signer_name"),
            recipients=self.lines("steering.recipients"),
            party=party,
        )

    def calendar(self) -> ReportingCalendar:
        mode = self.text("reporting.cutoff") or "calendar"
        if mode not in CUTOFF_MODES:
            self.note("reporting.cutoff", f"“{mode}” không phải calendar hoặc regime")
            mode = "calendar"
        return ReportingCalendar(
            mode,
            self.count("reporting.report_due_days", 2),
            self.count("reporting.units_due_days", None),
        )

    def day(self, key: str) -> date:
        value = self.raw(key)
        if value is None:
            return date.min
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = self._scalar(key, value)
        if text is None:
            return date.min
        for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return datetime.strptime(text, pattern).date()
            except ValueError:
                continue
        self.note(key, f"“{text}” không phải ngày; ghi YYYY-MM-DD, ví dụ 2025-10-03")
        return date.min

    def path(self, key: str, *, file: bool) -> Path | None:
        text = self.text(key)
        if not text:
            return None
        path = (self.root / Path(text).expanduser()).resolve()
        # Links followed (resolve): a path, or a link on the way, leading out of the project
        # is refused by name, never read; the shipped registry and units stay allowed.
        allowed = [self.root, *(PACKAGE_DATA,) * (key in _PACKAGE_FILES)]
        if files.outside(path, allowed):
            self.note(
                key,
                f"“{text}” dẫn ra ngoài thư mục làm việc (tới {path}); nq57 chỉ đọc tệp và thư "
                f"mục nằm trong {self.root} — chép vào thư mục làm việc thay cho liên kết",
            )
            return None
        if file and not path.is_file():
            self.note(key, f"không có tệp {path}")
        elif not file and path.exists() and not path.is_dir():
            self.note(key, f"{path} là một tệp, không phải thư mục")
        return path

    def areas(self) -> Mapping[str, str]:
        value = self.raw("areas")
        if value is None:
            return MappingProxyType({})
        if not isinstance(value, dict):
            self.note("areas", "phải gồm các dòng “chữ cái: tên lĩnh vực”")
            return MappingProxyType({})
        found: dict[str, str] = {}
        for key, name in value.items():
            letter = nfc(str(key).strip()) if isinstance(key, str) else ""
            if not _AREA_KEY.match(letter):
                self.note("areas", f"“{key}” không phải một chữ cái thường (a, b, c …)")
                continue
            text = self._scalar("areas", name) if name is not None else None
            if not text:
                if name is None:
                    self.note("areas", f"lĩnh vực {letter} chưa có tên")
                continue
            found[letter] = text
        return MappingProxyType(found)


def _unknown_keys(document: dict) -> list[str]:
    problems = []
    for section, value in document.items():
        if section not in SCHEMA:
            known = ", ".join(SCHEMA)
            problems.append(f"mục “{section}” không có trong hồ sơ (các mục: {known})")
        elif isinstance(SCHEMA[section], dict):
            if value is not None and not isinstance(value, dict):
                problems.append(f"“{section}” phải gồm các dòng “tên: giá trị” thụt vào")
                continue
            for field in value or {}:
                if field not in SCHEMA[section]:
                    known = ", ".join(SCHEMA[section])
                    problems.append(
                        f"mục “{section}.{field}” không có trong hồ sơ "
                        f"(trong “{section}” có: {known})"
                    )
    return problems


def _read_document(path: Path) -> dict:
    try:
        # A FIFO or a device (a link to /dev/zero) is refused unread, so even `nq57 --help`
        # inside such a project cannot block or fill the memory; a key written twice and
        # every loader failure (2025-02-30, a 5,000-digit number, nesting 10,000 deep) is
        # one problem.
        document = files.read_yaml(path, MAX_PROFILE_BYTES)
    except InputFileError as error:
        if isinstance(error.error, FileNotFoundError):
            raise ProfileError(
                path,
                [
                    f"không có tệp {PROFILE_FILE}; tạo thư mục làm việc cho phường, xã bằng "
                    "lệnh nq57 init --plan <tệp kế hoạch> <thư mục>"
                ],
            ) from None
        if error.mode is not None and stat.S_ISDIR(error.mode):
            raise ProfileError(path, ["là một thư mục, không phải tệp hồ sơ"]) from None
        raise ProfileError(path, [error.reason]) from None
    if not isinstance(document, dict):
        raise ProfileError(path, ["tệp trống hoặc không gồm các mục “tên: giá trị”"])
    return document


def load_profile(path: Path | str) -> Profile:
    """Read and check ``ward.yaml`` (or the one inside the folder ``path``); all problems
    are reported at once in one :class:`ProfileError`."""
    path = Path(path).expanduser()
    if path.is_dir():
        path = path / PROFILE_FILE
    path = path.resolve()
    document = _read_document(path)
    read = _Reader(document, path.parent)
    read.problems.extend(_unknown_keys(document))
    level = read.text("ward.level")
    if level and nfc(level.lower()) not in LEVELS:
        read.note("ward.level", f"“{level}” không phải một trong: {', '.join(LEVELS)}")
    plan_number = read.text("plan.number").replace(" /", "/").replace("/ ", "/")
    if plan_number and not _PLAN_NUMBER.match(plan_number):
        read.note("plan.number", f"“{plan_number}” không có dạng số/ký hiệu, ví dụ 106/KH-UBND")
    issuer = read.lines("letterhead.issuer")
    if len(issuer) > 4:
        read.note("letterhead.issuer", "nhiều nhất 4 dòng")
    profile = Profile(
        path=path,
        name=read.text("ward.name"),
        level=nfc(level.lower()),
        province=read.text("ward.province"),
        issuer=issuer,
        place=read.text("letterhead.place"),
        number_line=read.text("letterhead.number"),
        plan_number=plan_number,
        plan_date=read.day("plan.date"),
        plan_subject=_SUBJECT_LEAD.sub("", read.text("plan.subject")),
        on_behalf=read.text("signer.on_behalf"),
        signer_title=read.text("signer.title"),
        signer_name=read.text("signer.name"),
        recipients=read.lines("recipients"),
        areas=read.areas(),
        plan_path=read.path("paths.plan", file=True) or path.parent,
        also_track=read.lines("indicators.also_track"),
        calendar=read.calendar(),
        steering=read.steering(),
        units_path=read.path("paths.units", file=True),
        registry_path=read.path("paths.registry", file=True),
        raw_dir=read.path("paths.raw", file=False),
        processed_dir=read.path("paths.processed", file=False),
        reports_dir=read.path("paths.reports", file=False),
    )
    if read.problems:
        raise ProfileError(path, read.problems)
    return profile
