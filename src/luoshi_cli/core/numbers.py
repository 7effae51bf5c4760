"""The one rounding there is: half-up (四舍五入) at publication, over exact Decimals."""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

#: significant digits of intermediate values: far beyond any published figure, so a
#: renormalised weight such as 25/70 cannot move a half-up rounding
PRECISION = 50

#: significant digits a value keeps when it is settled before publication: the last
#: `PRECISION - SETTLED_DIGITS` digits of a 50-digit intermediate are where the noise of
#: a repeating value (a weight renormalised to 25/70, a mean of three quarters, the mean
#: of 100,000 task scores) lives; a number written with up to this many significant
#: digits is never moved by settling (SPEC §4: numbers are read as written)
SETTLED_DIGITS = 38


def fixed_context(prec: int = 28) -> Context:
    """A decimal context of luoshi's own, whatever the caller's (a program that set
    `getcontext().prec = 3` or trapped Inexact for its own sums): Python's default
    (28 digits, half-even, InvalidOperation, DivisionByZero and Overflow trapped),
    with `prec` digits.  `api` runs every call under it; the arithmetic that keeps its
    results (`ops.progress._expected`, cached) and scoring set it themselves."""
    return Context(prec=prec, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999,
                   capitals=1, clamp=0, flags=[],
                   traps=[InvalidOperation, DivisionByZero, Overflow])


#: `publish`'s context at the usual precision, made once: passed to each operation
#: (its flags are set and never read; its traps are `fixed_context`'s)
_PUBLISHING = fixed_context(PRECISION)


def publish(x: Decimal, places: int) -> Decimal:
    """Round half-up (四舍五入) to `places` decimals: the only rounding there is.

    The value is first settled at `SETTLED_DIGITS` significant digits: a figure whose
    exact value is 89.995 but was reached through 1/3-like intermediates (89.99499…9 at
    the 50th digit) must still publish 90.00, while 89.9949999999999999999999999999999
    as a record writes it (33 digits) stays below 89.995 and publishes 89.99.  Rounding
    noise of the 50-digit arithmetic stays 12 digits below the settled ones: a score is
    a ratio of small numbers or a mean of at most millions of them.
    """
    # a figure can be as large as a ledger's numbers (a floor or a media multiplier of
    # 1e308 passes validation): quantizing it needs all its integer digits
    prec = max(PRECISION, x.adjusted() + places + 2)
    # the context is passed to each operation, not entered: a scoring publishes every
    # component of every unit (70,000 figures for a province's 10,000 units), and
    # making and entering a context for each was most of it
    ctx = _PUBLISHING if prec == PRECISION else fixed_context(prec)
    settled = x.quantize(Decimal(1).scaleb(x.adjusted() - SETTLED_DIGITS + 1, ctx),
                         context=ctx) if x.is_finite() and x else x
    return settled.quantize(Decimal(1).scaleb(-places, ctx), rounding=ROUND_HALF_UP,
                            context=ctx)


def trimmed(d: Decimal) -> Decimal:
    """`d` without trailing zeros (35.50 → 35.5), every other digit kept: `normalize()`
    under the default context would round to 28 digits (89.994999…9 with 29 digits
    becomes 89.995, contradicting the 89.99 it publishes)."""
    digits = len(d.as_tuple().digits)
    return d.normalize(fixed_context(max(digits, 28)))


#: ints up to this many bits are turned into text by `str` (Python refuses more than
#: 4,300 digits, about 14,284 bits: `sys.get_int_max_str_digits`)
_STR_BITS = 14_000
#: up to this many bits (about 200,000 digits) exactly, through `Decimal` (quadratic:
#: 0.2 s at that size); beyond, by the leading digits and the power of ten
_EXACT_BITS = 660_000


def int_text(value: int) -> str:
    """An integer as the digits written in the ledger — also one too long for
    `str(value)`, which raises beyond 4,300 digits (a 5,000-digit `warn_days` must
    become a finding quoting it, not an internal error).  Findings quote long runs of
    digits by their ends and their length (`core.codes`); past about 200,000 digits
    the text is the leading digits and the power of ten (`9.99999e+1000000`), since
    exact conversion takes time that grows with the square of the length."""
    bits = value.bit_length()
    if bits <= _STR_BITS:
        return str(value)
    if bits <= _EXACT_BITS:
        return str(Decimal(value))
    from math import log10

    top = abs(value) >> (bits - 64)
    power = log10(top) + (bits - 64) * log10(2)
    exponent = int(power)
    mantissa = 10 ** (power - exponent)
    return f"{'-' if value < 0 else ''}{mantissa:.5f}e+{exponent}"


#: the full-width forms a Chinese input method types (U+FF01–U+FF5E: ８０．５, －３,
#: ９５％) as their ASCII characters (U+0021–U+007E, shifted by 0xFEE0).  Only these:
#: NFKC would also read a superscript (10²) as a digit (102).  `str.translate` table
ASCII_FORMS = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
#: and the ideographic space as a space
_FULL_WIDTH = {**ASCII_FORMS, 0x3000: 0x20}


def half_width(text: str) -> str:
    """`text` with the full-width forms an input method types as their ASCII
    characters (`_FULL_WIDTH`): what every importer reads a typed figure or date in."""
    return text.translate(_FULL_WIDTH)


def typed_decimal(text: str) -> Decimal:
    """A number a person typed into a cell, exactly (`InvalidOperation` when it is
    not one), full-width forms too (８８．５ is 88.5: Python's `Decimal` takes
    full-width digits, not the full-width point, and `import scores` refused what
    `import updates` read).  Python's `Decimal` also takes `4_5` as 45 (the digit
    grouping of Python source): in a cell that is no number, and reading it as 45
    would import a figure nobody typed.  The one reading of a typed number every
    importer uses (`typed_percent`)."""
    text = half_width(text).strip()
    if "_" in text:
        raise InvalidOperation(text)
    return Decimal(text)


def typed_percent(text: str) -> tuple[Decimal, bool]:
    """A number typed into a cell that may end in a percent sign (45%, 45 %, ４５％,
    ８０．５％): the number, and whether the sign was there (`typed_decimal`)."""
    text = text.translate(_FULL_WIDTH).strip()
    percent = text.endswith("%")
    return typed_decimal(text[:-1] if percent else text), percent
