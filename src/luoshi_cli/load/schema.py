"""Ledger format v1 as data: one description of every file kind.

The same `SPECS` drive two things, so they cannot disagree: `Reader.read()`, which
checks raw YAML data (unknown keys with a "did you mean", missing keys, types, id
forms, YAML 1.1 traps) and converts it, and `json_schema()`, which editors use for
completion (`luoshi schema`).

Conversion is strict where YAML is lenient: text must be text (`id: no` or
`id: 0571` is a finding, never a silent boolean or octal), dates must be real,
numbers become `Decimal` through `str()` so that 86.5 stays exactly 86.5.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from ..core.codes import L
from ..core.finding import Finding, KeyPath, finding
from ..core.labels import SHEET_FIELDS, VALUE_WORDS
from ..core.numbers import int_text
from ..core.periods import MONTH_RE, PERIOD_RE
from ..core.slips import (
    TASK_ID_RULE,
    UNIT_ID_RULE,
    amount_fix,
    bool_fix,
    date_fix,
    id_fix,
    month_fix,
    number_fix,
    period_fix,
    reference_slip,
    target_fix,
)
from .key_labels import key_words
from .source import MAX_FINDINGS_PER_FILE
from .traps import QUOTED_IS_TEXT, TEXT_CANDIDATE
from .yaml_values import as_value

UNIT_ID = r"[a-z0-9][a-z0-9_-]*"
TASK_ID = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
_UNIT_RE = re.compile(UNIT_ID + r"\Z")
_TASK_RE = re.compile(TASK_ID + r"\Z")


def valid_task_id(text: str) -> bool:
    """Whether `text` is a task id as LS104 checks it."""
    return _TASK_RE.match(text) is not None


_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})\Z")
# plain scalars that YAML 1.1 (PyYAML, most converters) reads as non-text, while the
# YAML 1.2 fast reader keeps them as text: booleans, base-60 numbers, 1_000, 0b101
_YAML11_TRAP = re.compile(
    r"(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?"
    r"|[-+]?(?:0|[1-9][0-9_]*)_[0-9_]*(?:\.[0-9_]*)?|[-+]?0b[01_]+)\Z"
)
#: the fast reader's pre-tests: a YAML 1.1 trap is ASCII, and either one of these
#: words or a number-like text starting with one of `_TRAP_NUMBER_START` (then the
#: regex decides): an id like T002673 or a short Chinese text costs no regex call
_TRAP_WORDS = frozenset(w for word in ("yes", "no", "true", "false", "on", "off")
                        for w in (word, word.capitalize(), word.upper()))
_TRAP_NUMBER_START = frozenset("+-0123456789")
_INVALID = object()


class Type:
    """A field type: converts a raw YAML value, or reports why it cannot."""

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        raise NotImplementedError


def _kind_of(value: Any) -> L:
    if isinstance(value, bool):
        return L(f"布尔值 {str(value).lower()}", f"the boolean {str(value).lower()}")
    if isinstance(value, int):
        return L(f"数字 {int_text(value)}", f"the number {int_text(value)}")
    if isinstance(value, float):
        return L(f"数字 {value}", f"the number {value}")
    if isinstance(value, datetime):
        return L(f"时间 {value.isoformat()}", f"the timestamp {value.isoformat()}")
    if isinstance(value, date):
        return L(f"日期 {value.isoformat()}", f"the date {value.isoformat()}")
    if value is None:
        return L("空值", "an empty value")
    if isinstance(value, list):
        return L("列表", "a list")
    if isinstance(value, dict):
        return L("映射", "a mapping")
    return L("文本", "text")


def _text_shown(text: str) -> L:
    """Text written where another kind of value belongs, quoted as an LS103 shows it
    (文本“55　”: the quotes show a blank at its end), its first 30 characters of a
    longer one; the finding escapes what a terminal would run (`safetext.terminal`)."""
    cut = text if len(text) <= 30 else text[:30] + "…"
    return L(f"文本“{cut}”", f'the text "{cut}"')


#: LS016/LS017 say whether the trap is a field's value or a key of a mapping of ids
VALUE_OF = L(" 的值", "")
KEY_OF = L(" 中的键", "a key under ")


def _trap_kind(text: str) -> L:
    if ":" in text:
        return L("六十进制数字", "a base-60 number")
    if text[:1].isdigit() or text[:1] in "+-":
        return L("数字", "a number")
    return L("布尔值", "a boolean")


@dataclass(frozen=True)
class Text(Type):
    """Text.  `strict` (ids and references): a non-text value is an error, else a warning."""

    strict: bool = False

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, str):
            if len(value) < 16 and _YAML11_TRAP.match(value):
                r.trap_candidate(path, key, value, _trap_kind(value), self.strict)
            return value
        if value is None or isinstance(value, (list, dict)):
            r.wrong_type(path, key, value, L("文本", "text"))
            return _INVALID
        code = "LS016" if self.strict else "LS017"
        if isinstance(value, date):
            # yaml_rs reads a quoted "2021-01-01" as a date as well: the text stays (a
            # date's ISO form is what was written) and positions.resolve() drops the
            # finding when the node was quoted, as the author meant text
            r.add(code, path, key=key, of=VALUE_OF, value=_plain(value), kind=_kind_of(value),
                  candidate=QUOTED_IS_TEXT)
            return _plain(value)
        r.add(code, path, key=key, of=VALUE_OF, value=_plain(value), kind=_kind_of(value))
        return _INVALID if self.strict else _plain(value)

    def schema(self) -> dict[str, Any]:
        # free text written as a number or a boolean (`note: 2026`) is only a warning
        # here (LS017): the editor, which has no warnings, takes it rather than mark an
        # error validate does not give; its description says to quote (load.editor)
        return {"type": "string"} if self.strict else {"type": list(FREE_TEXT_TYPES)}


#: the JSON types a free-text field (`Text(strict=False)`) takes in the editor's schema
FREE_TEXT_TYPES = ("string", "number", "boolean")


def _outside(number: int | Decimal, low: Decimal | None, high: Decimal | None) -> bool:
    """Whether `number` is below `low` or above `high` (None: no bound).  A whole
    number far beyond any bound is answered by its sign: comparing a 300,000-digit
    int with a Decimal converts it, in time that grows with the square of its length."""
    if type(number) is int and number.bit_length() > 256:
        return (high is not None) if number > 0 else (low is not None)
    return (low is not None and number < low) or (high is not None and number > high)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, int):
        return int_text(value)
    if isinstance(value, frozenset):  # a mapping written as a key (`? a: 1`): not its repr
        return "{…}"
    if isinstance(value, tuple):  # a sequence written as a key (`? - a`)
        return "[…]"
    return str(value)


def _fix(fix: L | None) -> dict[str, Any]:
    """The `fix` parameter of a finding where one is known (the code's default else)."""
    return {} if fix is None else {"fix": fix}


def _shown(value: Any) -> str | L:
    """A value as a message about its form quotes it: what was written, or, where the
    YAML reader's value is not what a clerk wrote, what it was — empty (`date:` or
    `date: null`), a number too large to hold (`1e400` reads as infinity), `.nan`."""
    if value is None:
        return L("（空，未填写）", "(empty: nothing written)")
    if isinstance(value, float) and math.isinf(value):
        return L("（超出范围的数，读作无穷大）", "(a number too large, read as infinity)")
    if isinstance(value, float) and math.isnan(value):
        return L("（.nan，不是数）", "(.nan: not a number)")
    return _plain(value)


@dataclass(frozen=True)
class Id(Type):
    pattern: str = TASK_ID

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        text = Text(strict=True).convert(r, value, path, key)
        if text is _INVALID:
            return _INVALID
        rx = _UNIT_RE if self.pattern == UNIT_ID else _TASK_RE
        if not rx.match(text):
            unit = self.pattern == UNIT_ID
            r.add("LS104", path, key=key, value=text,
                  pattern=UNIT_ID_RULE if unit else TASK_ID_RULE, fix=id_fix(text, rx.match))
            return _INVALID
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": f"^{self.pattern}$"}


@dataclass(frozen=True)
class Date(Type):
    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, datetime):
            r.add("LS106", path, key=r.where(path, key), value=value.isoformat())
            return _INVALID
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            m = _DATE_RE.match(value.strip())
            if m:
                try:
                    return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
                except ValueError:
                    r.add("LS204", path, what=r.where(path, key), value=value)
                    return _INVALID
        fix = date_fix(value) if isinstance(value, str) else None  # 2024/02/29
        r.add("LS106", path, key=r.where(path, key), value=_shown(value),
              **_fix(fix))
        return _INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclass(frozen=True)
class Month(Type):
    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, str) and MONTH_RE.fullmatch(value.strip()):
            return value.strip()
        fix = month_fix(value) if isinstance(value, str) else None  # 2024年3月
        r.add("LS107", path, key=r.where(path, key), value=_shown(value),
              **_fix(fix))
        return _INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}


@dataclass(frozen=True)
class Num(Type):
    """A number as `Decimal`; `low`/`high` bound it (LS109) when given."""

    low: Decimal | None = None
    high: Decimal | None = None
    integer: bool = False
    #: the advice of the LS109 finding (default: "correct it")
    fix: L | None = None
    #: the LS109 advice for a value below `low` (default: `fix`): a negative target is
    #: not told to use a larger unit
    low_fix: L | None = None
    #: the LS103 advice for text that is no number slipped (`number_fix`): a target's
    #: `value: 10个` is told the v2 form with its unit apart; given the reader, which
    #: knows the target of the task being read (`Reader.task_target`)
    text_fix: Callable[[str, Reader], L | None] | None = None
    #: at most this many decimal places (LS109): a target or an actual, which the
    #: Parquet export writes as DECIMAL(18,6) — 0.0000001 was exported as 0
    places: int | None = None

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            expected = L("整数", "a whole number") if self.integer else L("数字", "a number")
            if isinstance(value, str):  # the text shown, and the number it means (`５５`)
                fix = number_fix(value)
                if fix is None and self.text_fix is not None:
                    fix = self.text_fix(value, r)
                r.wrong_type(path, key, value, expected, fix, actual=_text_shown(value))
            else:
                r.wrong_type(path, key, value, expected)
            return _INVALID
        if isinstance(value, float) and (value != value or value in (float("inf"), -float("inf"))):
            r.wrong_type(path, key, value, L("有限的数字", "a finite number"))
            return _INVALID
        if self.integer and not isinstance(value, int):
            r.wrong_type(path, key, value, L("整数", "a whole number"))
            return _INVALID
        # a long number keeps its written text (load.written.WrittenFloat): read as written
        number = value if isinstance(value, int) else Decimal(
            getattr(value, "text", None) or repr(value))
        if _outside(number, self.low, self.high):
            fix = self.fix
            if self.low_fix is not None and _outside(number, self.low, None):
                fix = self.low_fix
            advice: dict[str, Any] = {} if fix is None else {"fix": fix}
            r.add("LS109", path, key=key, value=_plain(value),
                  outside=out_of_range(_dec(self.low), _dec(self.high)), **advice)
            return _INVALID
        if self.places is not None and isinstance(number, Decimal):
            places = decimal_places(number)
            if places > self.places:
                r.add("LS109", path, key=key, value=format(number, "f"),
                      outside=L(f"有 {places} 位小数，超过 {self.places} 位",
                                f"has {places} decimal places, more than {self.places}"),
                      fix=_PLACES_FIX)
                return _INVALID
        return value if self.integer else Decimal(number)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "integer" if self.integer else "number"}
        if self.low is not None:
            out["minimum"] = int(self.low) if self.low == int(self.low) else float(self.low)
        if self.high is not None:
            out["maximum"] = int(self.high) if self.high == int(self.high) else \
                _float_at_most(self.high)
        return out


#: what a record writes for "this leaf does not apply to this unit this period"
#: (SPEC §10): `n/a` (any case) or 不适用; read as the one value `NA`
NA = "n/a"
NA_TOKENS = frozenset({"n/a", "不适用"})


def is_na(value: Any) -> bool:
    return type(value) is str and value.strip().lower() in NA_TOKENS


#: `is_na` as a JSON Schema pattern, for the editor: the tokens in any case (`N/A`,
#: `n/A`; nothing else lowercases to n, a or /, and 不适用 has no case) between any of
#: the characters `str.strip()` removes — those for which `str.isspace()` holds, written
#: out because JavaScript's `\s` (the editor's) is another set (it has U+FEFF, not
#: U+001C–U+001F or U+0085).  An enum of the two lowercase tokens made `{daily: N/A}`,
#: which validate reads as n/a, an error in the editor.
_SPACE = r"[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
NA_PATTERN = rf"^{_SPACE}*(?:[Nn]/[Aa]|不适用){_SPACE}*$"


@dataclass(frozen=True)
class NumOrNA(Num):
    """A leaf score, or the token `n/a` / `不适用` (not applicable: renormalised)."""

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if is_na(value):
            return NA
        return super().convert(r, value, path, key)

    def schema(self) -> dict[str, Any]:
        # `examples`: the editor still offers the two tokens as it did from the enum
        return {"oneOf": [super().schema(), {"type": "string", "pattern": NA_PATTERN,
                                             "examples": ["n/a", "不适用"]}]}


@dataclass(frozen=True)
class NumOrMap(Num):
    """A task's quality: one number for every credited unit, or one per unit
    (`T-001: {zjj: 85, wenyi: 90}`, SPEC §10)."""

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, dict):
            return Map(Num(self.low, self.high)).convert(r, value, path, key)
        return super().convert(r, value, path, key)

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [super().schema(),
                          {"type": "object", "additionalProperties": super().schema()}]}


def _float_at_most(x: Decimal) -> float:
    """The largest float not above `x`: a schema's maximum never lets through what the
    reader refuses (999999999999.999999 as a float is 1e12)."""
    f = float(x)
    return f if Decimal(f) <= x else math.nextafter(f, -math.inf)


def _dec(x: Decimal | None) -> str:
    return "" if x is None else str(x)


def out_of_range(low: object, high: object) -> L:
    """LS109's `outside` for a number beyond its bounds."""
    return L(f"超出范围 {low}–{high}", f"is outside {low}–{high}")


def decimal_places(d: Decimal) -> int:
    """The places `d` needs, its trailing zeros aside (0.1000000 needs 1), counted on
    its digits, not in a decimal context (which would round a long number first)."""
    _, digits, exponent = d.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    zeros = 0
    for digit in reversed(digits):
        if digit or zeros >= -exponent:
            break
        zeros += 1
    return -exponent - zeros


_PLACES_FIX = L("请四舍五入到 6 位小数，或改用更小的单位书写（并相应修改任务 target 的 unit）；"
                "导出的表（Parquet DECIMAL(18,6)）只保留 6 位小数",
                "round it to 6 places, or write it in a smaller unit (changing the task's "
                "target unit to match): the exported tables (Parquet DECIMAL(18,6)) keep 6 "
                "places")


def Int(low: int | None = None, high: int | None = None) -> Num:
    return Num(None if low is None else Decimal(low), None if high is None else Decimal(high),
               integer=True)


@dataclass(frozen=True)
class Bool(Type):
    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, bool):
            return value
        fix = bool_fix(value) if isinstance(value, str) else None  # `是` → true
        # the text itself where a fix is shown (文本“是”), its kind alone otherwise
        r.wrong_type(path, key, value, L(" true 或 false", "true or false"), fix,
                     actual=None if fix is None else _text_shown(value))
        return _INVALID

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


@dataclass(frozen=True)
class Enum(Type):
    values: tuple[str, ...] = ()

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        text = Text(strict=True).convert(r, value, path, key)
        if text is _INVALID:
            return _INVALID
        if text not in self.values:
            allowed: str | L = " | ".join(self.values)
            # `status: 进行中`, `source: 约谈`, `field: 牵头单位`: the value the word means
            words = _LABEL_KEYS if key == "field" else VALUE_WORDS.get(key, {})
            meant = words.get(text.strip())
            slip = reference_slip(text, self.values)  # `in_progress　`: a full-width space
            near = None if slip is not None else closest_key(text, list(self.values))
            if meant in self.values:
                allowed = L(f"{allowed}（{text.strip()} → {meant}：请写 {meant}）",
                            f"{allowed} ({text.strip()} → {meant}: write {meant})")
            elif slip is not None:
                allowed = L(f"{allowed}（{slip.zh}）", f"{allowed} ({slip.en})")
            elif near is not None:  # `status: inprogress`, `Done`
                allowed = L(f"{allowed}（是不是 {near}？）", f"{allowed} (did you mean {near}?)")
            r.add("LS105", path, key=key, value=text, allowed=allowed)
            return _INVALID
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.values)}


@dataclass(frozen=True)
class Period(Type):
    """`YYYY-Qn` for a quarter, `YYYY` (a plain YAML number is fine) for a year."""

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2200:
            return str(value)
        if isinstance(value, str) and (PERIOD_RE.fullmatch(value.strip())
                                       or MONTH_RE.fullmatch(value.strip())):
            return value.strip()  # a month: a monthly record (SPEC §10)
        fix = period_fix(value) if isinstance(value, str) else None  # 2024年一季度
        r.add("LS401", path, value=_plain(value), **_fix(fix))
        return _INVALID

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "string", "pattern": r"^\d{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"},
                          {"type": "integer", "minimum": 1900, "maximum": 2200}]}


@dataclass(frozen=True)
class List(Type):
    item: Type = field(default_factory=Text)
    #: a list of unit or leader ids ("unit", "leader"): text written where the list
    #: belongs (`leaders: 甲某某`) is kept on the LS103 as `given` and `refs`, for the
    #: checks, which know units.yaml, to say what to write (`checks.refs.list_hints`)
    refs: str | None = None

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if not isinstance(value, list):
            if self.refs is not None and isinstance(value, str):
                r.add("LS103", path, key=key, expected=_A_LIST, actual=_kind_of(value),
                      given=value, refs=self.refs)
            else:
                r.wrong_type(path, key, value, _A_LIST, _empty_list_form(key) if value is None
                             else None)
            return _INVALID
        out = []
        kept: list[int] = []
        for i, v in enumerate(value):
            c = self.item.convert(r, v, (*path, i), key)
            if c is not _INVALID:
                out.append(c)
                kept.append(i)
        if len(kept) != len(value):
            r.kept[path] = tuple(kept)
        return out

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": self.item.schema()}


@dataclass(frozen=True)
class Map(Type):
    """A mapping from ids (`key`) to values, e.g. unit → leaf → score."""

    value: Type = field(default_factory=Text)

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        if not isinstance(value, dict):
            r.wrong_type(path, key, value, L("映射（键: 值）", "a mapping (key: value)"))
            return _INVALID
        out = {}
        for k, v in value.items():
            # an id used as a key is as much an id as one written as a value: `0571:`,
            # `1.10:` and `no:` are traps; the finding sits on the key and quotes it as
            # written (positions finds the key node by its YAML 1.2 value)
            if isinstance(k, date):  # a quoted "2024-01-01" key is text (see Text)
                text = _plain(k)
                r.add("LS016", (*path, text), on_key=True, key=key, of=KEY_OF, value=text,
                      kind=_kind_of(k), candidate=QUOTED_IS_TEXT)
                k = text
            elif not isinstance(k, str):
                r.add("LS016", (*path, k), on_key=True, key=key, of=KEY_OF, value=_plain(k),
                      kind=_kind_of(k))
                continue
            elif len(k) < 16 and _YAML11_TRAP.match(k):
                r.add("LS016", (*path, k), on_key=True, key=key, of=KEY_OF, value=k,
                      kind=_trap_kind(k), candidate=TEXT_CANDIDATE)
            slip = _id_key_slip(k, v, self.value)
            if slip is not None:
                r.add("LS101", (*path, k), on_key=True, what=L(f"{key} ", key), key=k,
                      hint=L(f"（{slip.zh}）", f" ({slip.en})"))
                continue
            c = self.value.convert(r, v, (*path, k), k)
            if c is not _INVALID:
                out[k] = c
        return out

    def schema(self) -> dict[str, Any]:
        return {"type": "object", "additionalProperties": self.value.schema()}


@dataclass(frozen=True)
class Obj(Type):
    """A mapping with known keys; the kind names a `SPECS` entry."""

    kind: str = ""

    def convert(self, r: Reader, value: Any, path: KeyPath, key: str) -> Any:
        return r.read(self.kind, value, path, key) or _INVALID

    def schema(self) -> dict[str, Any]:
        return {"$ref": f"#/definitions/{self.kind}"}


@dataclass(frozen=True)
class Spec:
    label: L
    required: dict[str, Type]
    optional: dict[str, Type] = field(default_factory=dict)
    #: optional keys of which at least one must be written (a supervision file holds
    #: interviews, rectifications or both): the loader says LS002 without any
    one_of: tuple[str, ...] = ()
    #: optional keys here that a later check requires (scheme.yaml's `grades`: LS102
    #: from `checks.scheme`, beside the rules naming them): required in the JSON
    #: Schema an editor reads, so it flags the gap as validate does
    checked: tuple[str, ...] = ()

    @property
    def keys(self) -> dict[str, Type]:
        return {**self.required, **self.optional}


_TEXT = Text()
_REF = Text(strict=True)
_A_LIST = L("列表（如 [a, b]）", "a list (like [a, b])")
_PCT = Num(Decimal(0), Decimal(100))
# upper bounds where none is meaningful beyond them: a figure computed from these
# (a score, 100 × actual / target) must fit the published places and the Parquet
# DECIMAL(18,6) — a floor or a multiplier of 1e308 passed, then crashed scoring
_POINTS = Num(Decimal(0), Decimal(1000))
_SCORE_BOUND = Num(Decimal(-1000), Decimal(1000))
#: a target or an actual (元, 个, ...): the Parquet export writes it as DECIMAL(18,6),
#: which holds 12 whole digits — 10**12 元 or more is written in 万元 or 亿元
#: (the largest value keeps 6 places, so nothing rounds half-up to 10**12)
AMOUNT_MAX = Decimal("999999999999.999999")
#: (and has at most 6 decimal places, the `places` of DECIMAL(18,6): `AMOUNT_PLACES`)
AMOUNT_PLACES = 6
_AMOUNT = Num(Decimal(0), AMOUNT_MAX, places=AMOUNT_PLACES, fix=L(
    "请改用更大的单位书写（如万元、亿元，并相应修改任务 target 的 unit）；导出的表"
    "（Parquet DECIMAL(18,6)）只容纳小于 10^12 的数",
    "write it in a larger unit (万元 or 亿元, changing the task's target unit to match): "
    "the exported tables (Parquet DECIMAL(18,6)) hold numbers below 10^12"), low_fix=L(
    "目标值和完成值不能为负数，请写正数（减少、下降的量按其大小写正数，并在完成标准中写明“减少”）",
    "a target or an actual must not be negative; write a positive number (a decrease as "
    "its size, with the standard saying it is a reduction)"))

#: a task's target value: `value: 10个` is told `target: {value: 10, unit: 个}`
_TARGET_VALUE = replace(_AMOUNT, text_fix=lambda text, _r: target_fix(text))
#: a milestone's target, an update's actual: `120个` is told to write 120 where the
#: task's target is in 个 (its unit is the task's), and no figure where it is in
#: another unit (`1.2亿元` under a target in 万元 is not 1.2)
_FIGURE = replace(_AMOUNT, text_fix=lambda text, r: amount_fix(text, r.task_target))

TASK_FIELDS = ("milestones", "standard", "lead", "units", "leaders", "cooperating",
               "title", "category", "start", "status", "progress", "target")

SPECS: dict[str, Spec] = {
    "config": Spec(
        L("luoshi.yaml", "luoshi.yaml"),
        {"title": _TEXT, "year": Int(1900, 2200)},
        {"issuer": _TEXT, "doc_no": _TEXT, "language": Enum(("zh", "en")),
         "warn_days": Int(0, 366), "progress_tolerance": Num(Decimal(0), Decimal(100)),
         "categories": List(Obj("category")), "files": Obj("files"),
         "max_file_mb": Num(Decimal("0.001"), Decimal(4096)), "description": _TEXT,
         "cc": _TEXT, "printed_by": _TEXT,
         "tags": List(Obj("tag")), "reporting": Obj("reporting"), "lint": Obj("lint")},
    ),
    "lint": Spec(L("lint", "lint"), {}, {"select": List(_TEXT), "ignore": List(_TEXT)}),
    "category": Spec(L("类别", "a category"), {"id": Id(), "name": _TEXT},
                     {"group": _TEXT, "description": _TEXT, "planned": Int(0, 10_000_000)}),
    "tag": Spec(L("清单标签", "a tag"), {"id": Id(), "name": _TEXT}, {"description": _TEXT}),
    "reporting": Spec(L("报送节奏", "reporting"), {},
                      {"cadence": Enum(("monthly", "dekad", "weekly")), "day": Int(1, 31)}),
    "files": Spec(L("files", "files"), {},
                  {"units": _TEXT, "tasks": _TEXT, "scheme": _TEXT, "records": _TEXT,
                   "supervision": _TEXT}),
    "units_file": Spec(L("units.yaml", "units.yaml"), {"units": List(Obj("unit"))},
                       {"leaders": List(Obj("leader"))}),
    "unit": Spec(L("单位", "a unit"), {"id": Id(UNIT_ID), "name": _TEXT},
                 {"kind": _TEXT, "short": _TEXT, "assessed": Bool()}),
    "leader": Spec(L("领导", "a leader"), {"id": Id(UNIT_ID), "name": _TEXT},
                   {"title": _TEXT}),
    "task": Spec(
        L("任务", "a task"),
        {"id": Id(), "title": _TEXT, "category": _REF, "lead": _REF, "leaders": List(_REF, refs="leader"),
         "start": Date(), "standard": _TEXT, "milestones": List(Obj("milestone")),
         "status": Enum(("planned", "in_progress", "done", "closing", "closed", "suspended")),
         "progress": Num()},
        {"units": List(_REF, refs="unit"), "cooperating": List(_REF, refs="unit"), "updates": List(Obj("update")),
         "closed": Obj("closed"), "flags": List(Obj("flag")), "locked": Bool(),
         "adjustments": List(Obj("adjustment")), "note": _TEXT,
         "target": Obj("target"), "parent": _REF, "owners": List(_TEXT),
         "unit_leaders": List(_TEXT), "tags": List(_REF)},
    ),
    "target": Spec(L("目标值", "a target"), {"value": _TARGET_VALUE}, {"unit": _TEXT}),
    "milestone": Spec(L("序时节点", "a milestone"), {"due": Date(), "standard": _TEXT},
                      {"done": Date(), "note": _TEXT, "target": _FIGURE}),
    "update": Spec(L("月度进展", "a monthly update"), {"month": Month()},
                   {"progress": Num(), "note": _TEXT, "problems": _TEXT,
                    "actual": _FIGURE}),
    "closed": Spec(L("销号记录", "the closed block"), {"date": Date()},
                   {"approved_by": _REF, "evidence": _TEXT}),
    "flag": Spec(L("红旗/黄牌", "a flag"), {"kind": Enum(("red_flag", "yellow_card"))},
                 {"date": Date(), "by": _TEXT, "note": _TEXT}),
    "adjustment": Spec(L("调整记录", "an adjustment"),
                       {"date": Date(), "field": Enum(TASK_FIELDS), "approved_by": _REF},
                       {"reason": _TEXT}),
    "scheme": Spec(
        L("scheme.yaml", "scheme.yaml"),
        {"id": Id(), "title": _TEXT, "components": List(Obj("component"))},
        {"doc_no": _TEXT, "cadence": Enum(("quarterly", "annual", "monthly")),
         "rounding": Obj("rounding"),
         "deductions": Obj("deductions"), "grades": List(Obj("grade")),
         "rules": List(Obj("rule")), "interview_bottom": Int(0, 10000), "description": _TEXT,
         "month_interview_bottom": Int(0, 10000), "quarter_interview_bottom": Int(0, 10000),
         "ranking_groups": List(Obj("ranking_group")), "bonuses": Obj("bonuses")},
        checked=("grades",),
    ),
    "bonuses": Spec(L("加分项", "bonuses"), {},
                    {"cap": _POINTS, "ceiling": _SCORE_BOUND,
                     "categories": List(Obj("bonus_category"))}),
    "bonus_category": Spec(L("加分类别", "a bonus category"),
                           {"id": Id(), "name": _TEXT, "min": _POINTS, "max": _POINTS}, {}),
    "ranking_group": Spec(L("排名分组", "a ranking group"), {"id": Id(), "name": _TEXT},
                          {"kinds": List(_TEXT), "units": List(_REF, refs="unit"),
                           "interview_bottom": Int(0, 10000), "note": _TEXT}),
    "rounding": Spec(L("rounding", "rounding"), {}, {"places": Int(0, 6)}),
    "component": Spec(
        L("考核指标", "a component"),
        {"id": Id(), "name": _TEXT, "weight": Num(Decimal(0), Decimal(100))},
        {"cadence": Enum(("quarterly", "annual", "monthly")), "scored_by": _TEXT,
         "children": List(Obj("component")), "items": List(Obj("item")),
         "source": Enum(("tasks",)), "timeliness": _PCT, "quality": _PCT, "note": _TEXT,
         "credit": Enum(("lead", "responsible", "all")), "late_per_day": Num(Decimal(0),
                                                                             Decimal(100)),
         "applies_to": Obj("applies_to")},
    ),
    "applies_to": Spec(L("适用范围", "applies_to"), {},
                       {"kinds": List(_TEXT), "units": List(_REF, refs="unit")}),
    "item": Spec(L("评分细项", "a checklist item"),
                 {"id": Id(), "name": _TEXT, "points": Num(Decimal(0))},
                 {"items": List(Obj("item")), "note": _TEXT}),
    "deductions": Spec(L("负面清单", "deductions"), {},
                       {"media_multiplier": _PCT, "floor": _SCORE_BOUND,
                        "categories": List(Obj("deduction_category"))}),
    "deduction_category": Spec(L("负面清单类别", "a deduction category"),
                               {"id": Id(), "name": _TEXT, "min": _POINTS, "max": _POINTS}, {}),
    "grade": Spec(L("等次", "a grade"), {"name": _TEXT, "min": _PCT}, {"max_share": _PCT}),
    "rule": Spec(L("规则", "a rule"), {"id": Id(), "when": Obj("when")},
                 {"max_grade": _TEXT, "downgrade": Int(1, 100), "note": _TEXT,
                  "min_grade": _TEXT, "upgrade": Int(1, 100), "interview": Bool()}),
    "when": Spec(L("规则条件", "a rule condition"), {},
                 {"deductions_in": List(_REF), "flag": _REF,
                  "deductions_count": Obj("deductions_count"),
                  "overdue_tasks": Obj("overdue_tasks"), "bonuses_in": List(_REF),
                  "rectifications_overdue": Obj("rectifications_overdue"),
                  "rectifications_closed_late": Obj("rectifications_closed_late"),
                  "late_milestones": Obj("late_milestones")}),
    "deductions_count": Spec(L("扣分次数条件", "deductions_count"), {"min": Int(1, 10000)},
                             {"in": List(_REF)}),
    "overdue_tasks": Spec(L("逾期任务条件", "overdue_tasks"), {}, {"min": Int(1, 100000)}),
    "rectifications_overdue": Spec(L("整改逾期条件", "rectifications_overdue"), {},
                                   {"min": Int(1, 100000)}),
    "late_milestones": Spec(L("节点延期条件", "late_milestones"), {}, {"min": Int(1, 100000)}),
    "rectifications_closed_late": Spec(L("整改超期完成条件", "rectifications_closed_late"), {},
                                       {"min": Int(1, 100000)}),
    "record": Spec(
        L("考核记录", "a record"),
        {"period": Period()},
        {"scores": Map(Map(NumOrNA())), "items": Map(Map(Map(Num()))),
         "quality": Map(NumOrMap()),
         "deductions": List(Obj("deduction")), "flags": List(Obj("record_flag")),
         "note": _TEXT, "bonuses": List(Obj("bonus"))},
    ),
    "deduction": Spec(L("扣分", "a deduction"),
                      {"unit": _REF, "category": _REF, "date": Date(), "points": Num()},
                      {"media": Bool(), "reason": _TEXT, "provisional": Bool(),
                       "restored": Obj("restored")}),
    "restored": Spec(L("返还记录", "the restored block"), {"date": Date()},
                     {"approved_by": _TEXT, "reason": _TEXT}),
    "bonus": Spec(L("加分", "a bonus"),
                  {"unit": _REF, "category": _REF, "date": Date(), "points": Num()},
                  {"reason": _TEXT}),
    "supervision": Spec(
        L("督办文件", "a supervision file"), {},
        {"interviews": List(Obj("interview")), "rectifications": List(Obj("rectification")),
         "note": _TEXT},
        ("interviews", "rectifications"),
    ),
    "interview": Spec(L("约谈", "an interview"), {"unit": _REF, "date": Date()},
                      {"kind": _TEXT, "by": _TEXT, "reason": _TEXT, "tasks": List(_REF),
                       "note": _TEXT, "period": Period()}),
    "rectification": Spec(
        L("整改", "a rectification"),
        {"id": Id(), "unit": _REF, "opened": Date(), "due": Date()},
        {"tasks": List(_REF), "source": Enum(("red_light", "interview", "inspection", "ranking",
                                              "other")),
         "report": Obj("written_report"), "closed": Obj("closed"), "reason": _TEXT,
         "note": _TEXT}),
    "written_report": Spec(L("书面报告", "a written report"), {"date": Date()}, {"note": _TEXT}),
    "record_flag": Spec(L("标记", "a flag"), {"unit": _REF, "kind": _REF},
                        {"reason": _TEXT, "date": Date()}),
}


_PARENT_LABELS = {
    "milestones": ("序时节点 ", "milestone"),
    "updates": ("月度进展 ", "update"),
    "closed": ("销号记录 ", "closed"),
    "flags": ("标记 ", "flag"),
    "adjustments": ("调整记录 ", "adjustment"),
    "deductions": ("扣分记录 ", "deduction"),
}


def _empty_list_form(key: str) -> L:
    """The LS103 fix of a list key written with nothing after it (`interviews:`)."""
    return L(f"请在其下逐项写出（每项以“- ”开头）；暂无内容时写 {key}: []",
             f"list the entries under it (each starting with '- '), or write {key}: [] "
             "for none yet")


def _mapping_form(spec: Spec, key: str, value: Any) -> L | None:
    """The LS103 fix of a dated block written as its date alone (`closed: 2024-04-30`,
    `report: 2024-04-28`): the mapping to write, with that date and, for a closing, its
    approver.  Or a mapping written as one line of text because of a full-width
    colon (`- month："2024-03"`, `_written_as_label`): the line to write."""
    if isinstance(value, str):
        m = _KEY_SLIP.fullmatch(value)
        if m is None or m["key"] not in spec.keys or not m["value"].strip(" \u3000"):
            return None
        return _slip_hint(m, spec.keys[m["key"]], as_key=False)
    if not key or "date" not in spec.required or not isinstance(value, date) \
            or isinstance(value, datetime):
        return None
    day = value.isoformat()
    if "approved_by" in spec.keys:
        return L(f"请写成 {key}: {{date: {day}, approved_by: 审批领导的标识}}",
                 f"write it as {key}: {{date: {day}, approved_by: LEADER-ID}}")
    return L(f"请写成 {key}: {{date: {day}}}", f"write it as {key}: {{date: {day}}}")


class Reader:
    """Checks raw data of one file against `SPECS`, collecting findings."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []
        #: MAX_FINDINGS_PER_FILE reached: later findings are dropped, one LS019 says so
        self.full = False
        #: the id of the task being read: "task T-017: " goes before field names in
        #: messages (kept as the bare id: the label is made only for a finding)
        self.task: str | None = None
        #: the task's target as written: None for none, else its unit ("" for none) —
        #: a milestone's `target: 5个` is told the figure only in the task's unit
        self.task_target: str | None = None
        #: a list that dropped entries (reported) -> the written index of each entry
        #: kept: a finding on the i-th kept entry points at it as written
        #: (`Task.at_entry`), not at whatever entry happens to be i-th in the file
        self.kept: dict[KeyPath, tuple[int, ...]] = {}

    def where(self, path: KeyPath, key: str) -> L:
        """A field named for a human: "task T-017: milestone due"."""
        parent = next((p for p in reversed(path[:-1]) if isinstance(p, str)), None)
        zh, en = _PARENT_LABELS.get(parent or "", ("", ""))
        tz, te = (f"任务 {self.task}：", f"task {self.task}: ") if self.task is not None else ("", "")
        return L(f"{tz}{zh}{key}", f"{te}{en + ' ' if en else ''}{key}")

    def add(self, code: str, path: KeyPath, *, on_key: bool = False, **params: Any) -> None:
        self.keep(finding(code, self.file, path=path, on_key=on_key, **params))

    def keep(self, f: Finding) -> None:
        """Record a finding, up to MAX_FINDINGS_PER_FILE: a file that repeats one
        mistake a million times must not exhaust the memory."""
        if len(self.findings) < MAX_FINDINGS_PER_FILE:
            self.findings.append(f)
        elif not self.full:
            self.full = True
            self.findings.append(finding("LS019", self.file, line=1, col=1,
                                         limit=f"{MAX_FINDINGS_PER_FILE:,}"))

    def wrong_type(self, path: KeyPath, key: str, value: Any, expected: L,
                   fix: L | None = None, actual: L | None = None) -> None:
        """LS103; `fix`: the right form to write, where one can be shown (the code's
        default says only "correct it"); `actual`: what was written, when the kind of
        value alone does not show it (文本“５５”)."""
        got = _kind_of(value) if actual is None else actual
        self.add("LS103", path, key=key, expected=expected, actual=got, **_fix(fix))

    def trap_candidate(self, path: KeyPath, key: str, text: str, kind: L, strict: bool) -> None:
        # settled in positions.resolve(): only a plain (unquoted) scalar that a YAML 1.1
        # reader turns into a non-string is a trap; the marker parameter says "maybe"
        self.add("LS016" if strict else "LS017", path, key=key, of=VALUE_OF, value=text, kind=kind,
                 candidate=TEXT_CANDIDATE)

    def read(self, kind: str, value: Any, path: KeyPath = (), key: str = "") -> dict[str, Any] | None:
        """Convert a mapping of `kind`; invalid fields are left out of the result."""
        if FAST:
            try:
                fast: dict[str, Any] = _fast_read(kind, value)
                return fast
            except _Bail:
                pass  # something to report: the full path below finds it
        spec = SPECS[kind]
        if not isinstance(value, dict):
            # a task's `target: 10个` (a figure with its unit glued on): the v2 form
            form = (target_fix(value) if kind == "target" else None) or \
                _mapping_form(spec, key, value)
            self.wrong_type(path, key or kind, value, L("映射（键: 值）", "a mapping (key: value)"),
                            form)
            return None
        keys = spec.keys
        out: dict[str, Any] = {}
        for k, v in value.items():
            t = keys.get(k) if isinstance(k, str) else None
            if t is None:
                self._unknown(kind, spec, k, path, keys, value)
                continue
            c = t.convert(self, v, (*path, k), k)
            if c is not _INVALID:
                out[k] = c
        for k in spec.required:
            if k not in value:
                self.add("LS102", path, what=self.label(spec, value), key=k)
        return out

    def label(self, spec: Spec, value: dict[str, Any]) -> L:
        ident = value.get("id")
        if isinstance(ident, str):
            en = spec.label.en.removeprefix("a ").removeprefix("an ")
            return L(f"{spec.label.zh} {ident} ", f"{en} {ident}")
        return L(f"{spec.label.zh}", spec.label.en)

    def _unknown(self, kind: str, spec: Spec, k: Any, path: KeyPath, keys: dict[str, Type],
                 value: dict[str, Any]) -> None:
        name = k if isinstance(k, str) else _plain(k)
        stripped = name.strip("\u3000 \t") if isinstance(k, str) else name
        if stripped != name:
            # the key stands where its siblings do: the full-width spaces go, nothing
            # takes their place
            self.add("LS014", (*path, k), on_key=True, key=name.strip(),
                     fix=L("请删去键前的全角空格（不要换成半角空格）",
                           "delete the ideographic space before the key (do not replace it)"))
            return
        hint = _written_as_label(kind, name, keys, value) if not name.isascii() else None
        if hint is None:
            near = closest_key(name, list(keys))
            hint = L(f"（是不是 {near}？）", f" (did you mean {near}?)") if near else L("", "")
        self.add("LS101", (*path, k), on_key=True, what=self.label(spec, value), key=name,
                 hint=hint)


#: the sheet fields (`SHEET_FIELDS`) whose key in the ledger has another name
_SHEET_KEY = {"node": "milestones", "node_standard": "standard", "task_note": "note",
              "closed_date": "closed", "target_value": "target", "remark": "note"}
#: a key written as a task sheet's column head or a block's name (进度, 牵头单位, 序时节点)
#: -> the key it names; offered only where that key is allowed (`_written_as_label`)
_LABEL_KEYS: dict[str, str] = {}
for _field, (_zh_names, _en_names) in SHEET_FIELDS.items():
    for _name in _zh_names:
        _LABEL_KEYS.setdefault(_name, _SHEET_KEY.get(_field, _field))
for _key, (_zh, _en) in _PARENT_LABELS.items():
    _LABEL_KEYS.setdefault(_zh.strip(), _key)
#: `key：value` or `key:\u3000value` read as one key (in a flow mapping `{…}`, where a
#: colon needs no blank after it to stay in the text)
_KEY_SLIP = re.compile(r"(?P<key>[^\s:：]+)(?:(?P<full>：)|:\u3000)[ \u3000]*(?P<value>.*)")


def _slip_hint(m: re.Match[str], kind: Type, as_key: bool) -> L:
    """What a full-width colon or space after a colon (`_KEY_SLIP`, matched as `m`)
    did — made one key of it all (`as_key`, in `{…}`) or one text — with the key and
    value to write (a value of the key's `kind`)."""
    read = (L("YAML 把整段读成了一个键", "YAML reads it all as one key") if as_key
            else L("YAML 把整段读成了一段文字", "YAML reads it all as one text"))
    value = m["value"].strip(" \u3000")
    fixed = f"{m['key']}: {as_value(value, _holds_collection(kind))}" if value else f"{m['key']}:"
    if m["full"]:
        return L(f"用了全角冒号“：”，{read.zh}：请写成 {fixed}",
                 f"a full-width colon '：': {read.en}; write {fixed}")
    return L(f"冒号后面是全角空格（U+3000），{read.zh}：请写成 {fixed}",
             f"a full-width space (U+3000) after the colon: {read.en}; write {fixed}")


def _id_key_slip(k: str, v: Any, kind: Type) -> L | None:
    """A key of ids (`scores: {fgw：…}`) that is a key and its value run together by
    a full-width colon or a U+3000 after the colon: `fgw：         {inspection: 92}`
    (YAML reads the key `fgw：         {inspection` and the value `92}`), or
    `{inspection：92}` (the key `inspection：92`, no value).  What it did and the key
    and value to write (a value of the map's `kind`); None for any other key."""
    if "：" not in k and ":\u3000" not in k:
        return None
    if v is None:
        written = k
    elif isinstance(v, (str, int, float)) and not isinstance(v, bool):
        written = f"{k}: {_plain(v)}"
    else:
        return None
    m = _KEY_SLIP.fullmatch(written)
    return _slip_hint(m, kind, as_key=True) if m is not None else None


def _written_as_label(kind: str, name: str, keys: dict[str, Type],
                      written: dict[str, Any]) -> L | None:
    """The hint of an unknown key written in Chinese in a `kind` mapping: a word the
    editor's descriptions (`key_labels.key_words`), a task sheet's column heads or a
    block's name give the key (`进度` → progress), where that key is allowed here; or
    a key and its value read as one key because of a full-width colon
    (`standard：开工5个` in `{…}`)."""

    m = _KEY_SLIP.fullmatch(name)
    if m is not None and m["key"] in keys:
        said = _slip_hint(m, keys[m["key"]], as_key=True)
        return L(f"（{said.zh}）", f" ({said.en})")
    word = name.strip(" \u3000")
    key = key_words(kind).get(word)
    if key is None or key not in keys:
        key = _LABEL_KEYS.get(word)
    if key is None or key not in keys or key in written:
        return None  # (a key already written beside it: the hint would make a duplicate)
    return L(f"（是不是 {key}？键名要用英文写）", f" (did you mean {key}? keys are written in "
             f"English)")


@lru_cache(maxsize=256)
def takes_collection(key: str) -> bool:
    """Whether `key` holds a list or a mapping in some file of a ledger, or is no key
    luoshi knows: a slip's fix writes a value in brackets as it stands there
    (`units: [a, b]`), and quotes it for a key that only ever holds a text or a
    number (`title: '[重点]'`)."""
    types = [spec.keys[key] for spec in SPECS.values() if key in spec.keys]
    return not types or any(_holds_collection(t) for t in types)


def _holds_collection(kind: Type) -> bool:
    """Whether a value of `kind` may be a list or a mapping."""
    return isinstance(kind, (List, Map, Obj, NumOrMap))


def closest_key(name: str, keys: list[str]) -> str | None:
    """The allowed key `name` most likely misspells: the fewest edits, where swapping
    two neighbouring letters is one edit (`dnoe` is `done`, not `note`, which difflib
    picked: following that hint kept a completion date as a note); difflib's
    similarity breaks ties and finds the rest.  Remembered per name and keys: a
    ledger repeats its misspelling in every task (100,000 `bogus:` keys cost 15 s
    of edit distances without it)."""
    return _closest_key(name, tuple(keys))


@lru_cache(maxsize=1024)
def _closest_key(name: str, keys: tuple[str, ...]) -> str | None:
    if len(name) <= 40:
        limit = 1 if len(name) <= 3 else 2
        scored = [(d, k) for k in keys if (d := _edits(name, k, limit)) <= limit]
        if scored:
            best = min(d for d, _ in scored)
            tied = [k for d, k in scored if d == best]
            if len(tied) == 1:
                return tied[0]
            return max(tied, key=lambda k: difflib.SequenceMatcher(None, name, k).ratio())
    near = difflib.get_close_matches(name, list(keys), n=1, cutoff=0.6)
    return near[0] if near else None


def _edits(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (optimal string alignment) of `a` and `b`;
    anything over `limit` is `limit + 1`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def json_schema(kind: str) -> dict[str, Any]:
    """A draft-07 JSON Schema for one file kind, from the same specs as the reader."""
    root = {"config": "config", "units": "units_file", "tasks": "task",
            "scheme": "scheme", "record": "record", "supervision": "supervision"}[kind]
    needed: dict[str, Spec] = {}

    def collect(name: str) -> None:
        if name in needed:
            return
        needed[name] = SPECS[name]
        for t in SPECS[name].keys.values():
            for sub in _obj_kinds(t):
                collect(sub)

    collect(root)
    definitions = {name: _spec_schema(spec) for name, spec in needed.items()}
    top: dict[str, Any] = {"$ref": f"#/definitions/{root}"}
    if kind == "tasks":
        top = {"oneOf": [{"$ref": "#/definitions/task"},
                         {"type": "array", "items": {"$ref": "#/definitions/task"}}]}
    return {"$schema": "http://json-schema.org/draft-07/schema#",
            "title": f"luoshi ledger format v1: {kind}", **top, "definitions": definitions}


def _obj_kinds(t: Type) -> list[str]:
    if isinstance(t, Obj):
        return [t.kind]
    if isinstance(t, List):
        return _obj_kinds(t.item)
    if isinstance(t, Map):
        return _obj_kinds(t.value)
    return []


def _spec_schema(spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "description": spec.label.en,
        "properties": {k: t.schema() for k, t in spec.keys.items()},
        "required": [*spec.required, *spec.checked],
        "additionalProperties": False,
    }
    if spec.one_of:
        out["anyOf"] = [{"required": [k]} for k in spec.one_of]
    return out


# --- the fast path ------------------------------------------------------------------
# Reading 100,000 tasks field by field through `Type.convert` costs seconds, and nearly
# every task is clean.  `_fast_read` converts a mapping with a function generated once
# per spec, doing only the tests `convert` does on a clean value, and gives up (`_Bail`)
# at the first value that would make a finding — or that it does not know — so `read`
# then takes the full path from the start: findings, messages and positions cannot
# differ (tests/test_fast_schema.py compares both paths on generated data).
#
# Why generated source: a reader written with one closure per field spends most of its
# time calling them (30 fields in a task with its milestones and updates).  The
# generated function tests each field inline — `type(v) is date`, a regex for an id —
# and calls out only for numbers, maps and nested records: half the time of the
# closures on the benchmark ledger.  `_reader_source(kind)` shows what is run.
# A `Type` subclass unknown here simply has no fast path.

FAST = True  # tests turn it off to compare both paths


class _Bail(Exception):
    pass  # raised fresh each time: a shared instance would pile up tracebacks

_FastFn = Callable[[Any], Any]
_READERS: dict[str, _FastFn] = {}
_MISSING = object()


def _fast_read(kind: str, value: Any) -> Any:
    fn = _READERS.get(kind)
    if fn is None:
        _READERS.update(_generate_readers(kind))
        fn = _READERS[kind]
    return fn(value)


def _bail(value: Any) -> Any:
    raise _Bail


def _namespace() -> dict[str, Any]:
    """What the generated readers and builders name besides their own constants."""
    return {"_Bail": _Bail, "_MISSING": _MISSING, "date": date, "trap": _YAML11_TRAP.match,
            "trap_words": _TRAP_WORDS, "trap_number_start": _TRAP_NUMBER_START,
            "new": object.__new__, "intern": sys.intern}


def _generate_readers(kind: str | None = None) -> dict[str, _FastFn]:
    """The readers of `kind` and of every kind nested in it (None: every spec kind),
    all in one namespace: nested records call each other by name (`read_milestone`
    from `read_task`), recursive ones (components) too.  A kind's readers are made
    when a file of it is first read: luoshi.yaml's before the parse worker starts,
    the task files' in each process that reads one (12 ms for all 41 kinds)."""
    kinds = list(SPECS) if kind is None else _nested_kinds(kind)
    ns = _namespace()
    for k in kinds:
        source = _reader_source(k, ns)
        if source is None:
            ns[f"read_{k}"] = _bail
        else:
            exec(compile(source, f"<luoshi fast reader: {k}>", "exec"), ns)
    return {k: ns[f"read_{k}"] for k in kinds}


def _nested_kinds(kind: str) -> list[str]:
    """`kind` and every kind its fields hold, at any depth (the kinds its reader may call)."""
    found = [kind]
    for k in found:  # grows while walked
        for t in SPECS[k].keys.values():
            found.extend(sub for sub in _obj_kinds(t) if sub not in found)
    return found


def _reader_source(kind: str, ns: dict[str, Any] | None = None) -> str | None:
    """The Python source of `kind`'s reader; the constants it names go into `ns`."""
    ns = {} if ns is None else ns
    spec = SPECS[kind]
    lines = [f"def read_{kind}(value):",
             "    if type(value) is not dict:",
             "        raise _Bail",
             "    out = {}",
             f"    known = {len(spec.required)}"]
    for i, (key, t) in enumerate(spec.keys.items()):
        test = _test_source(t, "v", f"{kind}_{i}", ns)
        if test is None:
            return None
        lines.append(f"    v = value.get({key!r}, _MISSING)")
        if key in spec.required:
            lines += ["    if v is _MISSING:", "        raise _Bail  # a required key is missing"]
            pad = "    "
        else:
            lines += ["    if v is not _MISSING:", "        known += 1"]
            pad = "        "
        lines += [pad + line for line in test]
        if isinstance(t, Obj):  # an empty mapping is dropped without a finding (`Obj.convert`)
            lines += [pad + "if v:", pad + f"    out[{key!r}] = v"]
        else:
            lines.append(pad + f"out[{key!r}] = v")
    lines += ["    if len(value) != known:",
              "        raise _Bail  # a key the spec does not know",
              "    return out"]
    return "\n".join(lines) + "\n"


def record_builder(kind: str, classes: dict[str, type]) -> Callable[..., Any]:
    """A function that makes the record of `kind` straight from a clean raw mapping —
    `classes[kind]`, its nested records `classes[...]` — or returns None where
    `Reader.read` would report something (the caller then takes the full path).

    Why: reading a task into a dict of converted values and then building the
    records from that dict walked every field twice; and a frozen dataclass's
    `__init__` sets each field through `object.__setattr__` (a task with its
    milestones and updates: 50 of them).  The generated builder tests each field as
    the generated reader does and stores it with the field's slot descriptor.  A
    record class with a `src` field that the spec does not have takes it as the
    second argument.  The record is the very one the full path builds (the same
    values, defaults for what is not written, lists as tuples, keys the record has
    no field for tested and dropped): tests/test_fast_schema.py compares both."""
    ns = _namespace()
    for k in classes:
        source = _builder_source(k, classes[k], classes, ns)
        exec(compile(source, f"<luoshi fast builder: {k}>", "exec"), ns)
    top = ns[f"build_{kind}"]

    def build(*args: Any) -> Any:
        try:
            return top(*args)
        except _Bail:
            return None
    return build


def _builder_source(kind: str, cls: type, classes: dict[str, type],
                    ns: dict[str, Any]) -> str:
    from dataclasses import MISSING, Field, fields

    spec = SPECS[kind]
    slots = {f.name: f for f in fields(cls)}
    has_src = "src" in slots and "src" not in spec.keys
    ns[f"cls_{kind}"] = cls
    lines = [f"def build_{kind}(value{', src' if has_src else ''}):",
             "    if type(value) is not dict:",
             "        raise _Bail",
             f"    o = new(cls_{kind})",
             f"    known = {len(spec.required)}"]
    if not spec.required:  # an empty mapping of such a kind is dropped, not built
        lines += ["    if not value:", "        raise _Bail"]

    def store(name: str, pad: str, value: str = "v") -> list[str]:
        if name not in slots:
            return []  # tested, not kept (a milestone's note)
        ns[f"set_{kind}_{name}"] = getattr(cls, name).__set__
        return [f"{pad}set_{kind}_{name}(o, {value})"]

    def default(f: Field[Any], pad: str, none: bool) -> list[str]:
        """Store field `f`'s default; one shared object for every record, so it must
        be immutable (hashable).  `none`: a field without a default takes None."""
        if f.default is not MISSING:
            value = f.default
        elif f.default_factory is not MISSING:
            value = f.default_factory()
        elif none:
            value = None
        else:
            raise ValueError(f"{cls.__name__}.{f.name}: not in the spec, no default")
        hash(value)  # a list or dict default would be shared by every record: refused
        ns[f"default_{kind}_{f.name}"] = value
        return store(f.name, pad, f"default_{kind}_{f.name}")

    for i, (key, t) in enumerate(spec.keys.items()):
        tag = f"b{kind}_{i}"
        if isinstance(t, List) and type(t.item) is Obj and isinstance(t.item, Obj):
            if t.item.kind not in classes:
                raise ValueError(f"no record class for {t.item.kind}")
            test = ["if type(v) is not list:", "    raise _Bail",
                    f"v = tuple(map(build_{t.item.kind}, v))"]
            if key in spec.required:  # an empty required list is a finding (LS201)
                test += ["if not v:", "    raise _Bail"]
        elif type(t) is Obj and isinstance(t, Obj):
            if t.kind not in classes:
                raise ValueError(f"no record class for {t.kind}")
            test = [f"v = build_{t.kind}(v)"]
        elif isinstance(t, List):
            item = _test_source(t.item, "x", f"{tag}_item", ns)
            if item is None or any(line.startswith("x =") for line in item):
                raise ValueError(f"no fast test for {kind}.{key}")
            test = ["if type(v) is not list:", "    raise _Bail", "for x in v:",
                    *("    " + line for line in item),
                    "v = tuple(map(intern, v))" if _names(t.item) else "v = tuple(v)"]
        else:
            scalar = _test_source(t, "v", tag, ns)
            if scalar is None:
                raise ValueError(f"no fast test for {kind}.{key}")
            test = [*scalar, "v = intern(v)"] if _names(t) else scalar
        lines.append(f"    v = value.get({key!r}, _MISSING)")
        if key in spec.required:
            lines += ["    if v is _MISSING:", "        raise _Bail"]
            lines += ["    " + line for line in test] + store(key, "    ")
        else:
            lines += ["    if v is not _MISSING:", "        known += 1"]
            lines += ["        " + line for line in test] + store(key, "        ")
            if key in slots:  # not written: the field's default (a value field: None)
                lines += ["    else:", *default(slots[key], "        ", none=True)]
    lines += ["    if len(value) != known:", "        raise _Bail"]
    for name, f in slots.items():  # fields the spec does not name: their defaults
        if name == "src" and has_src:
            ns[f"set_{kind}_src"] = getattr(cls, name).__set__
            lines.append(f"    set_{kind}_src(o, src)")
        elif name not in spec.keys:
            lines += default(f, "    ", none=False)
    lines.append("    return o")
    return "\n".join(lines) + "\n"


def _names(t: Type) -> bool:
    """Whether `t` names something (an id, a reference, a status, a month): the builder
    interns such text — a few hundred unit ids and months repeated over 100,000 tasks
    are then one string each, in memory and in a pickle (the parse worker's pipe, the
    cache), which writes a repeated string as a reference to the first."""
    if isinstance(t, Id):
        return t.pattern == UNIT_ID  # a task's own id is written once
    return isinstance(t, (Enum, Month)) or (type(t) is Text and t.strict)


def _test_source(t: Type, var: str, tag: str, ns: dict[str, Any]) -> list[str] | None:
    """Lines that raise `_Bail` unless `var` holds a clean value of `t`, and leave the
    converted value in `var`; None when `t` has no fast path."""
    cls = type(t)
    bail = ["    raise _Bail"]
    # a YAML 1.1 trap (no, on, 1:30, 0b1, 1_000) is short and starts like one
    text = (f"type({var}) is not str or "
            f"(len({var}) < 16 and {var}.isascii() and ({var} in trap_words or "
            f"({var}[:1] in trap_number_start and trap({var}))))")
    if cls is Text:
        return [f"if {text}:", *bail]
    if cls is Id:
        pattern = t.pattern if isinstance(t, Id) else TASK_ID
        ns[f"id_{tag}"] = (_UNIT_RE if pattern == UNIT_ID else _TASK_RE).match
        return [f"if {text} or not id_{tag}({var}):", *bail]
    if isinstance(t, Enum) and cls is Enum:
        ns[f"values_{tag}"] = frozenset(t.values)
        return [f"if {text} or {var} not in values_{tag}:", *bail]
    if cls is Date:
        return [f"if type({var}) is not date:", *bail]
    if cls is Bool:
        return [f"if type({var}) is not bool:", *bail]
    if cls is Obj and isinstance(t, Obj):
        return [f"{var} = read_{t.kind}({var})"]
    if cls is List and isinstance(t, List):
        if isinstance(t.item, Obj) and type(t.item) is Obj:
            return [f"if type({var}) is not list:", *bail,
                    f"{var} = [x for x in map(read_{t.item.kind}, {var}) if x]"]
        item = _test_source(t.item, "x", f"{tag}_item", ns)
        if item is None:
            return None
        if any(line.startswith("x =") for line in item):  # converts: keep each result
            conv = _compile(t.item)
            if conv is None:
                return None
            ns[f"conv_{tag}"] = conv
            return [f"if type({var}) is not list:", *bail, f"{var} = list(map(conv_{tag}, {var}))"]
        return [f"if type({var}) is not list:", *bail, f"for x in {var}:",
                *("    " + line for line in item), f"{var} = list({var})"]
    conv = _compile(t)  # numbers, months, periods, maps: one call each
    if conv is None:
        return None
    ns[f"conv_{tag}"] = conv
    return [f"{var} = conv_{tag}({var})"]


def _compile(t: Type) -> _FastFn | None:
    """A closure for the values the generated readers convert by a call: numbers,
    months, periods, and maps of them (record scores).  Every other type is tested
    inline by `_test_source`; here it has no fast path (None), which is always
    correct — the kind is then read by the full reader."""
    cls = type(t)
    if cls is Month:
        def month(v: Any) -> Any:
            if type(v) is str:
                s = v.strip()
                if MONTH_RE.fullmatch(s):
                    return s
            raise _Bail
        return month
    if isinstance(t, NumOrNA):
        plain = _compile(Num(t.low, t.high, t.integer))
        assert plain is not None

        def num_or_na(v: Any) -> Any:
            if type(v) is str:
                return NA if v.strip().lower() in NA_TOKENS else plain(v)  # (the str bails)
            return plain(v)
        return num_or_na
    if isinstance(t, NumOrMap):
        one = _compile(Num(t.low, t.high, t.integer))
        assert one is not None

        def num_or_map(v: Any) -> Any:
            if type(v) is dict:
                out = {}
                for k, x in v.items():
                    if type(k) is not str:
                        raise _Bail
                    out[k] = one(x)
                return out
            return one(v)
        return num_or_map
    if isinstance(t, Num) and cls is Num:
        low, high, integer, places = t.low, t.high, t.integer, t.places

        def num(v: Any) -> Any:
            tv = type(v)
            if tv is int:
                if _outside(v, low, high):
                    raise _Bail
                return v if integer else Decimal(v)
            if tv is float and not integer and v == v and v not in (_INF, -_INF):
                n = Decimal(repr(v))  # a new Decimal: returned as it is
                if (low is not None and n < low) or (high is not None and n > high):
                    raise _Bail
                if places is not None and decimal_places(n) > places:
                    raise _Bail
                return n
            raise _Bail
        return num
    if cls is Period:
        def period(v: Any) -> Any:
            if type(v) is int and 1900 <= v <= 2200:
                return str(v)
            if type(v) is str and (PERIOD_RE.fullmatch(v.strip())
                                   or MONTH_RE.fullmatch(v.strip())):
                return v.strip()
            raise _Bail
        return period
    if isinstance(t, Map) and cls is Map:
        val = _compile(t.value)
        if val is None:
            return None

        def mapping(v: Any) -> Any:
            if type(v) is not dict:
                raise _Bail
            out = {}
            for k, x in v.items():
                if type(k) is not str or k in _TRAP_WORDS or (
                        k[:1] in _TRAP_NUMBER_START and _YAML11_TRAP.match(k)):
                    raise _Bail  # a key that may be a YAML 1.1 trap: `Map.convert` decides
                out[k] = val(x)
            return out
        return mapping
    return None


_INF = float("inf")
