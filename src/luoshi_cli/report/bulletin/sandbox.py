"""What a ledger's template may build: Jinja's sandbox, bounded.

A ledger's templates/ come from whoever can commit to the ledger, and rendering
one (in CI, on a pull request) must neither run code — the sandbox — nor take the
machine's memory.  Jinja's sandbox bounds `range()` only, and one expression could
ask for gigabytes at once: `'x' * 10**10`, `'x'.ljust(10**10)`,
`'{:>10000000000}'.format(1)`, `'%10000000000s' % 'x'`, `'x'|center(10**10)` —
a single allocation in C, which the CPU budget (`templates._cpu_budget`) cannot
interrupt; or double a value in a few steps (`s ~ s`, `s + s`, `s|forceescape`).

Every operation that can build a value larger than what it is given is checked
before it builds: no one value over `MAX_VALUE` characters (items, for a list) is
made, and no macro's or block's output over the rendering's output bound.  What is
refused raises `TooLarge` (one line, exit 2, at the template's line).

Checked: the operators `*`, `**`, `%`, `+` and `~`; the str methods that pad, repeat
or replace (`ljust`, `rjust`, `center`, `zfill`, `expandtabs`, `replace`, `join`,
`translate`, and `format`/`format_map` — every width and precision in a spec, and
the fields' total); the filters `center`, `indent`, `wordwrap`, `format`, `join`,
`replace`, `slice`, `batch`, `sum`, `urlize`, `escape`/`e`, `forceescape`,
`urlencode`, `tojson`; `lipsum()`; the buffers macros, `{% set %}` and
`{% filter %}` blocks and `caller()` fill.  The rest cannot grow a value more than
threefold (`upper` of `ﬃ`), and does not compound.  `truncate` never grows one.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from itertools import chain
from typing import Any

from ...core.codes import L

#: the most characters (or items) one expression may build: as many as a bulletin
#: may have (`templates.MAX_OUTPUT`) — no real template builds a value near it
MAX_VALUE = 64 * 1024 * 1024
#: the largest whole number (in bits) `*` and `**` may make: 2 ** 1048576 has
#: 315,653 digits, beyond what Python prints (4,300)
MAX_BITS = 1 << 20
#: the most groups `slice` and `batch` make (Jinja's own bound on range())
MAX_GROUPS = 100_000


class TooLarge(Exception):
    """An operation of a template that would build a value over the bound."""

    def __init__(self, op: str | L) -> None:
        what = op if isinstance(op, L) else L(op, op)
        self.why = L(f"{what.zh}：结果会过大，拒绝计算", f"{what.en}: the result would be too large")
        super().__init__(self.why.en)


def _limit(size: int, op: str | L, bound: int | None = None) -> None:
    if size > (MAX_VALUE if bound is None else bound):
        raise TooLarge(op)


def _size(value: object) -> int:
    """The length of a text or a sequence; 0 for anything else."""
    return len(value) if isinstance(value, _SIZED) else 0


def _number(value: object) -> int:
    """A width or precision, given as digits or as an int (`*`); 0 for anything else."""
    if isinstance(value, str):
        return MAX_VALUE + 1 if len(value) > 18 else int(value) if value.isdigit() else 0
    return abs(value) if isinstance(value, int) else 0


#: what has a length a template can multiply, pad or join: bytes too (`'x'.encode()`
#: gives them; `* 1500000000` built 1.5 GB unchecked, review)
_SIZED = (str, bytes, bytearray, list, tuple)


# ---- operators --------------------------------------------------------------------

def check_binop(operator: str, left: Any, right: Any) -> None:
    """`TooLarge` when `left operator right` would be too large to build."""
    if operator == "*":
        for a, b in ((left, right), (right, left)):
            if isinstance(a, _SIZED) and isinstance(b, int):
                _limit(len(a) * b, "*")
        if isinstance(left, int) and isinstance(right, int) \
                and left.bit_length() + right.bit_length() > MAX_BITS:
            raise TooLarge("*")
    elif operator == "**":
        if isinstance(right, int) and (abs(right) > 1000 or (isinstance(left, int)
                                       and left.bit_length() * abs(right) > MAX_BITS)):
            raise TooLarge("**")
    elif operator == "+":
        if isinstance(left, _SIZED) and isinstance(right, _SIZED):
            _limit(len(left) + len(right), "+")
    elif operator == "%" and isinstance(left, (str, bytes)):
        fmt = left if isinstance(left, str) else left.decode("latin-1")  # one char a byte
        _limit(printf_size(fmt, right), "%")


#: one conversion of printf-style formatting: (key, width, precision, conversion)
_PRINTF = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)", re.DOTALL)


def printf_size(fmt: str, values: Any) -> int:
    """At most how long `fmt % values` is: the format's text, and per conversion its
    width, its precision and the text it prints (a `%(key)s` may print one value
    many times)."""
    args = values if isinstance(values, tuple) else (values,)
    mapping = values if isinstance(values, Mapping) else None
    at = 0

    def take() -> Any:
        nonlocal at
        at += 1
        return args[at - 1] if at <= len(args) else None

    size = len(fmt)
    for key, width, precision, conversion in _PRINTF.findall(fmt):
        if conversion == "%":
            continue
        w = _number(take() if width == "*" else width)
        p = _number(take() if precision == "*" else precision)
        value = (mapping.get(key) if mapping is not None else None) if key else take()
        size += w + p + _size(value) * (10 if conversion in "ra" else 1)
    return size


def check_concat(parts: tuple[Any, ...]) -> tuple[Any, ...]:
    """`a ~ b ~ …`: its texts' lengths summed first."""
    _limit(sum(len(p) for p in parts if isinstance(p, str)), "~")
    return parts


# ---- str methods ------------------------------------------------------------------

_PAD = frozenset(("ljust", "rjust", "center", "zfill"))


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """`TooLarge` when a str method called from a template would build too much; the
    arguments to call it with (an iterable given to `join` is read once, here)."""
    text = getattr(obj, "__self__", None)
    if not isinstance(text, (str, bytes, bytearray)):
        return args
    name = getattr(obj, "__name__", "")
    if name in _PAD:
        _limit(_number(args[0] if args else kwargs.get("width")), name)
    elif name == "expandtabs":
        tab = args[0] if args else kwargs.get("tabsize", 8)
        tab_char: Any = "\t" if isinstance(text, str) else b"\t"
        _limit(len(text) + text.count(tab_char) * _number(tab), name)
    elif name == "replace" and len(args) >= 2:
        count = args[2] if len(args) > 2 else kwargs.get("count", -1)
        _limit(replaced_size(text, args[0], args[1], count), name)
    elif name == "join" and len(args) == 1:
        items = list(args[0])
        _limit(joined_size(text, items), name)
        return (items,)
    elif name == "translate" and args:
        table = args[0]
        values = (table.values() if isinstance(table, Mapping)
                  else table if isinstance(table, (list, tuple)) else ())
        longest = max((len(v) for v in values if isinstance(v, str)), default=1)
        _limit(len(text) * max(longest, 1), name)
    return args


def replaced_size(text: Any, old: Any, new: Any, count: Any = -1) -> int:
    """How long `text.replace(old, new, count)` is (text or bytes)."""
    kind = str if isinstance(text, str) else (bytes, bytearray)
    if not isinstance(old, kind) or not isinstance(new, kind):
        return len(text)
    n = text.count(old)  # (len + 1 for an empty `old`)
    if isinstance(count, int) and count >= 0:
        n = min(n, count)
    return int(len(text) + n * (len(new) - len(old)))


def joined_size(sep: Any, items: list[Any]) -> int:
    return sum(map(_size, items)) + len(str(sep)) * max(len(items) - 1, 0)


def check_spec(spec: str, op: str = "format") -> None:
    """A format spec's width and precision (`>10000000000`, `.10000000000f`): every
    number in it, whatever it means for the value's type."""
    for digits in re.findall(r"\d+", spec):
        _limit(_number(digits), op)


@functools.cache
def formatters() -> tuple[type, type]:
    """Jinja's sandboxed formatters for `str.format` (plain, and escaping for
    Markup), with each field's spec checked and the fields' total bounded."""
    from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter

    class Bounded:
        size = 0

        def format_field(self, value: Any, format_spec: str) -> Any:
            check_spec(format_spec)
            out = super().format_field(value, format_spec)  # type: ignore[misc]
            self.size += len(out)
            _limit(self.size, "format")
            return out

    class Plain(Bounded, SandboxedFormatter):
        pass

    class Escaping(Bounded, SandboxedEscapeFormatter):
        pass

    return Plain, Escaping


# ---- filters and globals ----------------------------------------------------------

def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


def _filter_checks() -> dict[str, Callable[..., None]]:
    """Per filter: a check of its arguments (after the one Jinja passes, if any),
    with the filter's own parameters and defaults."""

    def center(value: Any, width: Any = 80, *_: Any, **__: Any) -> None:
        _limit(_number(width), "center")

    def indent(s: Any, width: Any = 4, *_: Any, **__: Any) -> None:
        unit = len(width) if isinstance(width, str) else _number(width)
        text = _text(s)
        _limit(len(text) + (text.count("\n") + 2) * unit, "indent")

    def wordwrap(s: Any, width: Any = 79, break_long_words: Any = True,
                 wrapstring: Any = None, *_: Any, **__: Any) -> None:
        unit = len(wrapstring) if isinstance(wrapstring, str) else 1
        _limit(len(_text(s)) * (1 + unit) + unit, "wordwrap")

    def format_(value: Any, *args: Any, **kwargs: Any) -> None:
        _limit(printf_size(_text(value), kwargs or args), "format")

    def replace(s: Any, old: Any = "", new: Any = "", count: Any = None) -> None:
        _limit(replaced_size(_text(s), _text(old), _text(new),
                             -1 if count is None else count), "replace")

    def slice_(value: Any, slices: Any = 1, *_: Any, **__: Any) -> None:
        _limit(_number(slices), "slice", MAX_GROUPS)

    def batch(value: Any, linecount: Any = 1, *_: Any, **__: Any) -> None:
        _limit(_number(linecount), "batch", MAX_GROUPS)

    def urlize(value: Any, *args: Any, **kwargs: Any) -> None:
        extra = sum(len(v) for v in (*args, *kwargs.values()) if isinstance(v, str))
        _limit(len(_text(value)) * (3 + extra), "urlize")

    def growing(name: str, factor: int) -> Callable[..., None]:
        def check(value: Any, *_: Any, **__: Any) -> None:
            if isinstance(value, str) and not (name in ("escape", "e")
                                               and hasattr(value, "__html__")):
                _limit(len(value) * factor, name)
        return check

    return {
        "center": center, "indent": indent, "wordwrap": wordwrap, "format": format_,
        "replace": replace, "slice": slice_, "batch": batch, "urlize": urlize,
        # `&` → `&amp;` (an escaped Markup is not escaped again, but forced it is);
        # `%` → `%25` and a character's UTF-8 bytes each `%XX`; `"` → `\u0022`
        # (an astral character: two of those)
        "escape": growing("escape", 5), "e": growing("e", 5),
        "forceescape": growing("forceescape", 5), "urlencode": growing("urlencode", 12),
        "tojson": growing("tojson", 12),
    }


def bound_filters(filters: dict[str, Any]) -> None:
    """Replace, in an environment's `filters`, each filter that can grow a value by
    one that checks its arguments first (`_filter_checks`; `join` and `sum` read
    their input once, to measure it)."""
    from jinja2.filters import make_attrgetter

    def wrap(name: str, check: Callable[..., None]) -> None:
        inner = filters[name]
        passes = getattr(inner, "jinja_pass_arg", None)

        def run(*args: Any, **kwargs: Any) -> Any:
            check(*(args if passes is None else args[1:]), **kwargs)
            return inner(*args, **kwargs)

        if passes is not None:
            run.jinja_pass_arg = passes  # type: ignore[attr-defined]
        filters[name] = run

    for name, check in _filter_checks().items():
        if name in filters:
            wrap(name, check)

    plain_join, plain_sum = filters["join"], filters["sum"]

    def join(eval_ctx: Any, value: Iterable[Any], d: Any = "", attribute: Any = None) -> Any:
        items = list(value)
        if attribute is not None:
            items = list(map(make_attrgetter(eval_ctx.environment, attribute), items))
        _limit(joined_size(d, items), "join")
        return plain_join(eval_ctx, items, d)

    def sum_(environment: Any, iterable: Iterable[Any], attribute: Any = None,
             start: Any = 0) -> Any:
        items = list(iterable)
        if attribute is not None:
            items = list(map(make_attrgetter(environment, attribute), items))
        if isinstance(start, _SIZED):
            _limit(_size(start) + sum(map(_size, items)), "sum")
            kind = list if isinstance(start, list) else tuple if isinstance(start, tuple) \
                else None
            if kind is not None and all(isinstance(i, kind) for i in items):
                # what `start + a + b + …` gives, joined once: Python's sum() copies the
                # growing list at every item — quadratic, inside one C call that no
                # timer or tick can stop (200,000 one-item lists: 75 s)
                return kind(chain(start, *items))
        return plain_sum(environment, items, start=start)

    join.jinja_pass_arg = plain_join.jinja_pass_arg  # type: ignore[attr-defined]
    sum_.jinja_pass_arg = plain_sum.jinja_pass_arg  # type: ignore[attr-defined]
    filters["join"], filters["sum"] = join, sum_


def bounded_lipsum(plain: Callable[..., str]) -> Callable[..., str]:
    """`lipsum(n, html, min, max)`: n paragraphs of up to `max` words."""

    def lipsum(n: Any = 5, html: Any = True, min: Any = 20, max: Any = 100) -> str:
        _limit(_number(n) * _number(max) * 16, "lipsum")
        return plain(n, html, min, max)

    return lipsum
