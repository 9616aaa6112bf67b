"""Indonesian publish-date parsing: "Kamis, 20 Juni 2024 | 13:40 WIB", "19/09/2019 09:48 WIB", "Mei
28, 2019".

A small table-driven parser instead of dateparser: publish dates come in a handful of shapes, and a
regex over an isolated date string is much faster than dateparser's search. Local times are
converted to UTC using the zone named in the string (WIB +7, WITA +8, WIT +9); a time with no zone
is taken as WIB, the zone of most Indonesian newsrooms.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from functools import lru_cache

MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}
DAYS = ("senin", "selasa", "rabu", "kamis", "jumat", "jum'at", "sabtu", "minggu", "ahad",
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ZONES = {"WIB": 7, "WITA": 8, "WIT": 9, "GMT": 0, "UTC": 0, "Z": 0}
DEFAULT_OFFSET_HOURS = 7

_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})|(?P<y2>\d{4})/(?P<m2>\d{1,2})/(?P<d2>\d{1,2})(?!\d)"
)
_DMY_NUM = re.compile(r"(?<!\d)(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4}|\d{2})(?!\d)")
_DMY_TXT = re.compile(
    rf"(?<!\d)(?P<d>\d{{1,2}})[\s-]+(?P<mon>{_MONTH_RE})\.?[\s,-]+(?P<y>\d{{4}}|\d{{2}})(?!\d)",
    re.I,
)
_MDY_TXT = re.compile(
    rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}}),?\s+(?P<y>\d{{4}})(?!\d)", re.I
)
_TIME = re.compile(
    r"(?<![\d/.-])(?P<H>[01]?\d|2[0-3])[:.](?P<M>[0-5]\d)(?:[:.](?P<S>[0-5]\d))?(?![\d/])"
)
_ZONE = re.compile(
    r"\b(?P<z>WIB|WITA|WIT|GMT|UTC)\b(?:\s*(?P<sign>[+-])\s*(?P<h>\d{1,2}))?|(?P<off>[+-]\d{2}:?\d{2})$|(?<=\d)(?P<zulu>Z)$"
)
_LEFTOVER_OK = re.compile(
    rf"(?i)\b(?:{'|'.join(DAYS)}|pukul|jam|wib|wita|wit|gmt|utc|diterbitkan|dipublikasikan|publikasi|terbit|"
    r"diperbarui|update|updated|published|posted|tanggal|tgl|on|at|am|pm)\b"
    # "Kompas.com - 10/09/2019, 20:57 WIB"
    r"|(?<![\w.-])[A-Za-z0-9-]+\.(?:com|co\.id|co|id|net|tv)\b"
)
_MERIDIEM = re.compile(r"(?i)\b(am|pm)\b")


def _year(y: str) -> int:
    n = int(y)
    return n + 2000 if n < 100 else n


def find_date(text: str) -> tuple[re.Match[str], int, int, int] | None:
    """The first calendar date in text as (match, year, month, day), or None."""
    for rx in (_ISO, _DMY_TXT, _MDY_TXT, _DMY_NUM):
        m = rx.search(text)
        if not m:
            continue
        g = m.groupdict()
        if g.get("y2"):  # "2015/08/25": year first with slashes
            g = {"y": g["y2"], "m": g["m2"], "d": g["d2"]}
        month = MONTHS[g["mon"].lower()] if g.get("mon") else int(g["m"])
        y, d = _year(g["y"]), int(g["d"])
        # "08/25/2015": month first (US order) when the day cannot be
        if rx is _DMY_NUM and month > 12 >= d:
            month, d = d, month
        if 1 <= month <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100:
            return m, y, month, d
    return None


@lru_cache(maxsize=1 << 16)
def parse_datetime(text: str | None) -> datetime | None:
    """Parse a publish date/time string to an aware UTC datetime; None when no full date is found.
    Cached: exports repeat the same date strings (and dedup and extract both parse every
    article's)."""
    if not text:
        return None
    s = " ".join(str(text).replace("\u00a0", " ").split())
    if s.isdigit() and len(s) in (10, 13):  # a Unix timestamp in seconds or milliseconds
        stamp = datetime.fromtimestamp(int(s) / (1000 if len(s) == 13 else 1), UTC)
        return stamp if 1990 <= stamp.year <= 2100 else None
    found = find_date(s)
    if not found:
        return None
    m, y, mo, d = found
    rest = s[: m.start()] + " " + s[m.end():]
    times = [(int(t["H"]), int(t["M"]), int(t["S"] or 0)) for t in _TIME.finditer(rest)]
    # "2019-09-18 00:00:00 13:08 WIB": a midnight placeholder followed by the real time.
    real = [t for t in times if t != (0, 0, 0)]
    hh, mm, ss = (real or times or [(0, 0, 0)])[0]
    mer = _MERIDIEM.search(rest) if times else None  # "Sep 10, 2019 10:05 PM"
    if mer:
        hh = hh % 12 + (12 if mer.group(1).lower() == "pm" else 0)
    offset = timedelta(hours=DEFAULT_OFFSET_HOURS)
    zm = _ZONE.search(rest.strip())
    if zm:
        if zm["z"]:
            hours = ZONES[zm["z"]] + (
                int(zm["h"]) * (1 if zm["sign"] == "+" else -1) if zm["h"] else 0
            )
            offset = timedelta(hours=hours)
        elif zm["off"]:
            o = zm["off"].replace(":", "")
            offset = timedelta(hours=int(o[1:3]), minutes=int(o[3:5])) * (1 if o[0] == "+" else -1)
        elif zm["zulu"]:
            offset = timedelta(0)
    try:
        local = datetime(y, mo, d, hh, mm, ss, tzinfo=timezone(offset))
    except ValueError:
        return None
    return local.astimezone(UTC)


def is_date_line(text: str) -> bool:
    """True when a short line is only a publish date/time (with day names, 'pukul', zones,
    separators)."""
    s = " ".join(text.split())
    if len(s) > 80:
        return False
    found = find_date(s)
    if not found:
        return False
    m = found[0]
    rest = s[: m.start()] + " " + s[m.end():]
    rest = _TIME.sub(" ", rest)
    rest = _LEFTOVER_OK.sub(" ", rest)
    return not re.search(r"[A-Za-z]{2,}", rest)


# Dates in article URLs: "/read/2019/09/10/", "/2015/08/25/", republika's "/15/08/25/",
# "20190910123456-".
_URL_DATES = (
    re.compile(
        r"/(?P<y>(?:19|20)\d{2})[/-](?P<m>0?[1-9]|1[0-2])[/-](?P<d>0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"
    ),
    re.compile(r"/(?P<y>\d{2})/(?P<m>0[1-9]|1[0-2])/(?P<d>0[1-9]|[12]\d|3[01])/"),
    re.compile(
        r"(?<![\d.])(?P<y>20\d{2})(?P<m>0[1-9]|1[0-2])(?P<d>0[1-9]|[12]\d|3[01])(?:\d{4,6})?(?![\d.])"
    ),
)
WIB = timezone(timedelta(hours=DEFAULT_OFFSET_HOURS))
# a publish date this close to the URL's agrees with it (late-night posts, time zones)
URL_NEAR_DAYS = 1


def url_date(url: str | None) -> tuple[int, int, int] | None:
    """(year, month, day) a news URL's path carries, or None ("/read/2019/09/10/" -> (2019, 9,
    10))."""
    if not url:
        return None
    path = url.split("?", 1)[0]
    i = path.find("//")
    path = path[path.find("/", i + 2) if i >= 0 else 0:]
    for rx in _URL_DATES:
        m = rx.search(path)
        if m:
            y, mo, d = _year(m["y"]), int(m["m"]), int(m["d"])
            try:
                datetime(y, mo, d)
            except ValueError:
                continue
            return y, mo, d
    return None


def check_with_url(
    published: datetime | None, url: str | None
) -> tuple[datetime | None, str | None]:
    """Cross-check a publish time with the date in the article's URL.

    Returns (time, check): check is None without a URL date; "url_agrees" (the same Jakarta day, or
    within URL_NEAR_DAYS); "day_month_swapped" when swapping the day and month of the time gives the
    URL's date (the time is corrected); "url_conflict" otherwise (the time is kept, flagged);
    "from_url" when there was no time and the URL's date (midnight WIB) is used."""
    ud = url_date(url)
    if ud is None:
        return published, None
    y, mo, d = ud
    if published is None:
        return datetime(y, mo, d, tzinfo=WIB).astimezone(UTC), "from_url"
    local = published.astimezone(WIB)
    day = datetime(y, mo, d, tzinfo=WIB)
    if abs((local.date() - day.date()).days) <= URL_NEAR_DAYS:
        return published, "url_agrees"
    if (local.year, local.day, local.month) == ud:
        return local.replace(month=local.day, day=local.month).astimezone(UTC), "day_month_swapped"
    return published, "url_conflict"
