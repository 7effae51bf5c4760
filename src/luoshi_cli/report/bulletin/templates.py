"""Template lookup and rendering: the built-in templates, a ledger's own, Jinja."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import islice, pairwise
from pathlib import Path
from types import TracebackType
from typing import Any

from ...core.codes import L
from ...core.errors import TemplateProblem, UsageError
from ...core.finding import Finding
from ...core.labels import counted, quoted
from ...core.safetext import document_lines, document_text, terminal
from .markdown import md_escape
from .sandbox import TooLarge
from .words import cn_number, pct


def builtin_templates() -> Path:
    """The default templates: inside the wheel, or in the source checkout."""
    here = Path(__file__).resolve().parent.parent.parent  # luoshi_cli/
    packaged = here / "_data" / "templates"
    if packaged.is_dir():
        return packaged
    return here.parent.parent / "templates"


def template_name(fmt: str, lang: str) -> str:
    """bulletin.html.j2 (Chinese) or bulletin.en.html.j2 (English)."""
    return f"bulletin.{fmt}.j2" if lang == "zh" else f"bulletin.en.{fmt}.j2"

def _md_finalize(value: Any) -> Any:
    if isinstance(value, _markup()):
        return str(value)
    return md_escape(value)


def _md_finalizer() -> Callable[[Any], Any]:
    """`_md_finalize` for one rendering, escaping each distinct text once: a bulletin
    prints a million values at 100,000 tasks, and most repeat (lights, statuses,
    units, leaders, rates).  Only exact `str` is remembered (a `Markup` is a str
    subclass and keeps its own rule); a whole number has nothing to escape."""
    seen: dict[str, str] = {}

    def finalize(value: Any) -> Any:
        kind = type(value)
        if kind is str:
            out = seen.get(value)
            if out is None:
                out = seen[value] = md_escape(value)
            return out
        if kind is int:
            return str(value)
        return _md_finalize(value)

    return finalize


#: the attributes of a loop (`loop.index`) a template reads: plain properties, safe
_LOOP_PROPERTIES = frozenset(("index", "index0", "revindex", "revindex0", "first", "last",
                              "length", "depth", "depth0", "previtem", "nextitem"))


@functools.cache
def _environment() -> type:
    """The sandboxed environment, bounded (`sandbox`: no expression, macro or block
    builds a value too large to hold), with attribute lookups on the context's
    plain values made cheap — the answer is the sandbox's own, without its detours:

    - `row.title` on a dict: Jinja tries the attribute first (a dict has none by that
      name unless it is one of dict's own, like `items`), then the key.  For a name
      that is not an attribute of dict, that is the key or undefined — looked up
      directly instead of raising and catching an AttributeError per cell;
    - `loop.index` and the other read-only properties of a loop: the sandbox checks
      each access for safety; they are always safe."""
    from functools import update_wrapper

    from jinja2.compiler import CodeGenerator, Frame, optimizeconst
    from jinja2.nodes import And, Call, Concat, EnvironmentAttribute, Filter, For, Node, Output
    from jinja2.runtime import LoopContext
    from jinja2.sandbox import ImmutableSandboxedEnvironment
    from jinja2.utils import generate_lorem_ipsum
    from markupsafe import Markup

    from . import sandbox

    dict_attrs = frozenset(dir(dict))

    class Generator(CodeGenerator):
        """Jinja's compiler, with three checks written into the template's code: the
        texts of `a ~ b` measured before they are joined; a macro's or block's
        buffer (`t_1.append(…)` in a loop) held to an eighth of the output bound in
        entries (its references then take as many bytes as the output may have
        characters) — a macro's loop grew its buffer by 100 MB a second, faster than
        the CPU budget stops it, and the join at its end was never reached; and a
        tick at the start of every block and output statement, at every filter and
        call and in every filtered loop's test, which holds the CPU budget in any
        thread (`Environment.tick`)."""

        @optimizeconst
        def visit_Concat(self, node: Concat, frame: Frame) -> None:
            # as Jinja's own (3.1), the parts passed through `check_concat` first
            if frame.eval_ctx.volatile:
                func_name = "(markup_join if context.eval_ctx.volatile else str_join)"
            elif frame.eval_ctx.autoescape:
                func_name = "markup_join"
            else:
                func_name = "str_join"
            self.write(f"{func_name}(environment.check_concat((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write(")))")

        def blockvisit(self, body: Iterable[Node], frame: Frame) -> None:
            # every loop step, macro call and branch taken counts (`Environment.tick`)
            self.writeline("environment.tick()")
            super().blockvisit(body, frame)

        def visit_For(self, node: For, frame: Frame) -> None:
            # a filtered loop's items that fail the test run no body: they count here
            if node.test is not None:
                node.test = And(Call(EnvironmentAttribute("ticked"), [], [], None, None),
                                node.test)
            super().visit_For(node, frame)

        def visit_Filter(self, node: Filter, frame: Frame) -> None:
            # a filter runs over a whole value (`range(100000)|map(…)|join`): each call
            # counts, so a long chain or a statement repeated 2,000 times is timed too
            # (`None or f(x)` is f(x), whatever it is)
            self.write("(environment.tick() or ")
            super().visit_Filter(node, frame)
            self.write(")")

        def visit_Output(self, node: Output, frame: Frame) -> None:
            self.writeline("environment.tick()")  # a top-level `{{ … }}` counts too
            super().visit_Output(node, frame)
            if frame.buffer is not None:
                limit = self.environment.output_limit // 8  # type: ignore[attr-defined]
                self.writeline(f"if len({frame.buffer}) > {limit}: "
                               "environment.buffer_full()")

    class Environment(ImmutableSandboxedEnvironment):
        #: `'x' * 10**9`, `9 ** 10**9`, `'%10000000000s' % 'x'`, `s + s`: checked
        #: before they are computed (`sandbox.check_binop`)
        intercepted_binops = frozenset(("*", "**", "%", "+"))
        code_generator_class = Generator
        #: what a macro or block may output, in characters and in entries: the
        #: rendering's output bound (`render` sets it)
        output_limit = MAX_OUTPUT

        #: the thread CPU time (`time.thread_time`) at which rendering stops
        #: (`render` sets it), and the ticks left before the clock is read again
        deadline = float("inf")
        budget = MAX_SECONDS  # the seconds `deadline` stands for: what an error says
        _ticks = 0

        def __init__(self, **options: Any) -> None:
            super().__init__(**options)
            sandbox.bound_filters(self.filters)
            self.globals["lipsum"] = sandbox.bounded_lipsum(generate_lorem_ipsum)

        def tick(self) -> None:
            """One step of the template's code: a block entered (a loop's item, a
            branch taken, a macro's body), an output statement, a filter, a call.
            Every 64th reads this thread's CPU clock (0.6 µs) and stops the
            rendering past `deadline`.  The main thread's timer (`_cpu_budget`)
            stops a template between any two steps, but a signal timer can only be
            set there: a template rendered by a server's worker thread
            (`luoshi_cli.api.bulletin`) is held to the same budget by these ticks.
            Between two ticks runs at most one filter or call over a bounded value
            (`sandbox`: no C-level call is worse than linear in it — `sum` of lists
            is joined, not added up) — so a rendering stops within about 64 such
            steps of its budget."""
            self._ticks -= 1
            if self._ticks < 0:
                self._ticks = 64
                if time.thread_time() > self.deadline:
                    raise _OverBudget(_too_long(self.budget))

        def ticked(self) -> bool:
            self.tick()
            return True

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            sandbox.check_binop(operator, left, right)
            return super().call_binop(context, operator, left, right)

        def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            self.tick()  # a macro, a method, range(): every call counts
            args = sandbox.check_method(obj, args, kwargs)
            return super().call(context, obj, *args, **kwargs)

        def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
            """Jinja's own (3.1), with formatters that check each field's spec and
            bound the fields' total (`sandbox.formatters`)."""
            if super().wrap_str_format(value) is None:
                return None
            f_self: str = value.__self__
            str_type = type(f_self)
            is_format_map = value.__name__ == "format_map"
            plain, escaping = sandbox.formatters()
            env = self

            def wrapper(*args: Any, **kwargs: Any) -> str:
                if is_format_map:
                    if kwargs:
                        raise TypeError("format_map() takes no keyword arguments")
                    if len(args) != 1:
                        raise TypeError("format_map() takes exactly one argument "
                                        f"({len(args)} given)")
                    kwargs = args[0]
                    args = ()
                formatter = (escaping(env, escape=f_self.escape)
                             if isinstance(f_self, Markup) else plain(env))
                return str_type(formatter.vformat(f_self, args, kwargs))

            return update_wrapper(wrapper, value)

        def concat(self, parts: Iterable[str]) -> str:
            """A macro's or block's output joined: measured first."""
            parts = parts if isinstance(parts, list) else list(parts)
            if sum(map(len, parts)) > self.output_limit:
                raise sandbox.TooLarge(_BLOCK)
            return "".join(parts)

        def check_concat(self, parts: tuple[Any, ...]) -> tuple[Any, ...]:
            return sandbox.check_concat(parts)

        def buffer_full(self) -> None:
            raise sandbox.TooLarge(_BLOCK)

        def getattr(self, obj: Any, attribute: str) -> Any:
            kind = type(obj)
            if kind is dict and attribute not in dict_attrs:
                try:
                    return obj[attribute]
                except (TypeError, LookupError):
                    return self.undefined(obj=obj, name=attribute)
            if kind is LoopContext and attribute in _LOOP_PROPERTIES:
                return getattr(obj, attribute)
            return super().getattr(obj, attribute)

    return Environment


#: what `sandbox.TooLarge` names when a macro's or block's output is refused
_BLOCK = L("宏或 {% set %}、{% filter %} 块的输出", "the output of a macro or a {% set %} or "
           "{% filter %} block")


def _html_finalize(value: Any) -> Any:
    """Ledger text in HTML: autoescaping makes `<` text, but a control character, a
    bidi override or a `::` workflow command would still reach a terminal or a CI log
    when the page goes to stdout: escaped visibly by `terminal()` first.  An `=` is
    written `&#61;` (the same text to a reader): no value holds `action=` or
    `rel=` that `_inert_attributes`, which reads the whole page, would take for an
    attribute and rename.  A line break is a `<br>` (`document_lines`)."""
    if isinstance(value, str) and not isinstance(value, _markup()):
        lines = document_lines(value)
        if lines is not None:  # a note over several lines: a <br> at each break
            return _markup()("<br>").join(map(_html_line, lines))
        if "=" in value:
            return _html_line(value)
        return terminal(value)
    return value


def one_line(value: Any) -> Any:
    """Ledger text where a line break cannot be one (an HTML page's `<title>`, which
    shows tags as text): its lines (`document_lines`) joined by single spaces.  What
    comes out is still plain text, escaped by the finalizer as any value is; anything
    but a string is left as it is."""
    if isinstance(value, str) and not isinstance(value, _markup()):
        lines = document_lines(value)
        if lines is not None:
            return " ".join(line for line in lines if line)
    return value


def _html_line(text: str) -> Any:
    """One line of ledger text, made safe (`terminal`) and escaped, `=` as `&#61;`."""
    from markupsafe import escape

    return _markup()(str(escape(terminal(text))).replace("=", "&#61;"))


@functools.cache
def _markup() -> type:
    from markupsafe import Markup  # jinja2's dependency: imported only when rendering

    return Markup


#: the page's policy: nothing loads but inline styles and data: images and fonts, no
#: script runs, and — which `default-src` does not cover — no form submits anywhere
#: (`form-action`) and no `<base href>` moves where the page's relative addresses lead
#: (`base-uri`)
CSP = ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
       'style-src \'unsafe-inline\'; img-src data:; font-src data:; '
       'form-action \'none\'; base-uri \'none\'">')
_DOCTYPE = re.compile(r"\s*<!doctype[^>]*>", re.IGNORECASE)
#: the attributes read (lower case, as found in the page's lower-cased UTF-8): their
#: names are plain ASCII, never character references (a browser reads names raw)
_NAMES = (b"http-equiv", b"rel", b"href", b"srcdoc", b"formaction", b"action")
#: the ones renamed whatever their value: a frame's document written into an
#: attribute, where the names themselves may be character references
#: (`&#114;el=preconnect` is `rel=preconnect` there), and where a form would send
#: itself (the policy's `form-action` stops the sending, but Chromium opened a
#: connection to the address when the button was pressed all the same)
_ALWAYS = frozenset((b"srcdoc", b"formaction", b"action"))
_INERT = b"data-inert-"
_BLANKS = re.compile(rb"[\t\n\f\r ]*=[\t\n\f\r ]*")
_UNQUOTED = re.compile(rb"[^\t\n\f\r >]*")
#: the `http-equiv` values a template may keep (luoshi's own policy among them);
#: every other one — `refresh` above all, however it is spelled — is made inert
_KEEP_EQUIV = frozenset({"content-type", "content-language", "content-security-policy",
                         "default-style", "x-ua-compatible"})
#: the link types a `rel` may name: what only describes a link or is loaded under the
#: policy (`stylesheet`, `icon`); every other one is made inert — `preconnect` and
#: `dns-prefetch` above all, which no policy governs (Chromium opened a connection to
#: the address, or looked its host name up, when the page was opened), and the
#: prefetch, prerender, preload and whatever hints come next
_KEEP_REL = frozenset({"alternate", "author", "bookmark", "canonical", "external", "help",
                       "icon", "license", "me", "next", "nofollow", "noopener", "noreferrer",
                       "opener", "prev", "privacy-policy", "search", "shortcut",
                       "stylesheet", "tag", "terms-of-service",
                       ""})  # (what a split leaves at a value's blank ends)
#: the schemes a link (`href`) may keep: a page on the web or an e-mail address.  A
#: `javascript:`, `file:` or `data:` link — or a relative one, which from a file on
#: disk leads to a file beside it (`//host/x`: a Windows share) — was a live link in
#: the HTML and a link annotation in the PDF
_KEEP_SCHEMES = frozenset({"http", "https", "mailto"})
_REL_SPLIT = re.compile(r"[\t\n\f\r ]+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
#: what a URL parser strips from a link's ends, and takes out anywhere (tab, line feed,
#: CR): `java\tscript:` is `javascript:`
_URL_ENDS = "".join(map(chr, range(0x21)))
_URL_DROPPED = str.maketrans("", "", "\t\n\r")
#: longest quoted value read: a keyword above is shorter, and a longer value (say
#: `refresh` spelled with zero-padded character references) is made inert unread
_VALUE_MAX = 256
_HREF_MAX = 8192  # a link: longer, and made inert unread


def _kept(name: bytes, value: str) -> bool:
    """Whether an attribute `name` with `value` (character references decoded) is
    harmless: kept as it is."""
    if name == b"http-equiv":
        return value.isascii() and value.lower() in _KEEP_EQUIV
    if name == b"rel":  # a set of link types, split at ASCII blanks
        return value.isascii() and _KEEP_REL.issuperset(_REL_SPLIT.split(value.lower()))
    url = value.strip(_URL_ENDS).translate(_URL_DROPPED)
    if url.startswith("#"):  # a place in the page itself
        return True
    m = _SCHEME.match(url)
    return m is not None and m.group(1).lower() in _KEEP_SCHEMES


def _inert_attributes(html: str) -> str:
    """Every attribute that would make the page navigate, connect or open something
    other than a web page renamed `data-inert-…`: an `http-equiv` whose value is not a
    harmless keyword (a `refresh` navigates whatever the policy says, to file:///…
    too), a `rel` naming a link type outside `_KEEP_REL` (`preconnect`,
    `dns-prefetch`: connections no policy governs), an `href` whose scheme is not
    http, https or mailto (nor a `#place` in the page), and every `srcdoc`, `action`
    and `formaction` (`_ALWAYS`).

    Each value is read as a browser reads it, character references decoded
    (`&#x72;efresh` is `refresh`), from each occurrence of the name on — wherever it
    stands: renaming one in text or in another attribute's value does no harm, and no
    tag boundaries are guessed (RCDATA, a stray quote) that a template could use to
    hide a real tag inside a fake one.  The names are found in the page's lower-cased
    UTF-8 (`bytes.find`: 25 MB in some 30 ms, where a case-blind regex took 0.5 s)."""
    from html import unescape

    data = html.encode("utf-8", "surrogatepass")
    low = data.lower()  # ASCII letters only: every offset stays
    hits: list[tuple[int, bytes]] = []
    for name in _NAMES:
        i = low.find(name)
        while i >= 0:
            hits.append((i, name))
            i = low.find(name, i + len(name))
    if not hits:
        return html
    hits.sort()
    out: list[bytes] = []
    at = covered = 0
    for start, name in hits:
        if start < covered:  # `action` inside `formaction`
            continue
        end = covered = start + len(name)
        eq = _BLANKS.match(low, end)
        if eq is None or low[max(start - len(_INERT), 0):start] == _INERT:
            continue
        if name not in _ALWAYS:
            i = eq.end()
            limit = _HREF_MAX if name == b"href" else _VALUE_MAX
            quote = data[i:i + 1]
            raw: bytes | None = None
            if quote in (b"\"", b"'"):
                j = data.find(quote, i + 1, i + 1 + limit)
                raw = data[i + 1:j] if j >= 0 else None
            else:
                # read no further than the limit: an unbounded match ran to the next
                # blank for every name, and 99,999 `rel=` took hours (quadratic)
                u = _UNQUOTED.match(data, i, i + limit + 1)
                raw = u.group() if u is not None and u.end() - i <= limit else None
            if raw is not None and _kept(name, unescape(
                    raw.decode("utf-8", "surrogatepass"))):
                continue
        out.append(data[at:start])
        out.append(_INERT)
        at = start
    if not out:
        return html
    out.append(data[at:])
    return b"".join(out).decode("utf-8", "surrogatepass")


def locked_page(html: str) -> str:
    """`html` with the policy as the first element (before anything a template put
    first, so it lands in <head>, where a policy counts), and no attribute left that
    the policy does not govern and that would navigate, connect or open a file
    (`_inert_attributes`).

    Every HTML page luoshi renders gets it, not only the one Chromium prints: a
    ledger's own `templates/` come from whoever can commit to the ledger, and a
    `<script>`, `<iframe src=file:…>` or `<img src=http:…>` written into one must not
    run or load when a leader opens the bulletin.  Idempotent."""
    html = _inert_attributes(html)
    m = _DOCTYPE.match(html)
    at = m.end() if m else 0
    lead = "\n" if at else ""  # on a line of its own after <!DOCTYPE html>
    if html.startswith(lead + CSP, at):
        return html
    return html[:at] + lead + CSP + html[at:]


def render(context: Mapping[str, Any], fmt: str, *, search: Sequence[Path],
           name: str, shown: Callable[[str], str] | None = None, tasks: int = 0) -> str:
    """Render template `name`, found in the first of `search` that has it.

    HTML is autoescaped (a task titled <script> is text); Markdown output is
    escaped by `md_escape`.  Undefined names are errors (StrictUndefined): a typo in
    a template fails loudly instead of printing nothing.  Templates run sandboxed
    (no Python internals), and bounded: an expression that would build a huge value
    is refused, the output may have `MAX_OUTPUT` characters plus `OUTPUT_PER_TASK`
    per task of the ledger (`tasks`), and the rendering may take `MAX_SECONDS` plus
    `SECONDS_PER_TASK` of CPU time (`_cpu_budget`).  Every failure becomes a
    `TemplateProblem` naming the template file and line; `shown` turns a template's
    path into what the user should read.
    """
    import jinja2

    show = shown or (lambda p: p)
    loader = jinja2.ChoiceLoader([_loader()(str(p)) for p in search])
    # sandboxed: a ledger's templates come from whoever can commit to the ledger, and
    # rendering one (say in CI) must not be a way to run code
    env = _environment()(
        loader=loader,
        autoescape=fmt == "html",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_md_finalizer() if fmt == "md" else _html_finalize if fmt == "html" else None,
    )
    env.filters["cn"] = cn_number
    env.filters["pct"] = pct
    env.filters["md"] = md_escape
    env.filters["quoted"] = quoted
    env.filters["counted"] = counted
    env.filters["one_line"] = one_line
    env.globals["cn"] = cn_number
    limit = MAX_OUTPUT + OUTPUT_PER_TASK * tasks
    env.output_limit = limit  # a macro's or block's too (read as the template compiles)
    origin = name  # the template's file, once found: what an error names
    budget = MAX_SECONDS + SECONDS_PER_TASK * tasks
    env.budget = budget
    env.deadline = time.thread_time() + budget
    try:
        with _cpu_budget(budget):
            template = env.get_template(name)
            origin = template.filename or name
            _lost_text(env, template.name or name, show)
            out = _bounded(template.generate(dict(context)), limit)
        # the template's own text is ledger text too: no control character, bidi
        # override or workflow command reaches stdout, a CI log or a file from it
        out = document_text(out)
        return locked_page(out) if fmt == "html" else out
    except TemplateProblem:
        raise  # already one line, naming its file (`_lost_text`)
    except jinja2.TemplateSyntaxError as exc:
        where = show(exc.filename or exc.name or name)
        raise TemplateProblem(f"{where}:{exc.lineno}: {_one_line(exc.message or str(exc))}"
                              ) from None
    except jinja2.TemplateNotFound as exc:
        loc = _template_frame(exc.__traceback__)
        where = f"{show(loc[0])}:{loc[1]}: " if loc else ""
        raise TemplateProblem(L(f"{where}找不到模板：{exc.name}",
                                f"{where}template not found: {exc.name}")) from None
    except _NotATemplate as exc:
        loc = _template_frame(exc.__traceback__)
        where = f"{show(loc[0])}:{loc[1]}: " if loc else ""
        path = show(exc.path)
        raise TemplateProblem(L(f"{where}{path}：这是{exc.kind.zh}，不是模板文件",
                                f"{where}{path}: this is {exc.kind.en}, not a template file")
                              ) from None
    except Exception as exc:
        loc = _template_frame(exc.__traceback__)
        where = f"{show(loc[0])}:{loc[1]}" if loc else show(origin)
        if isinstance(exc, _Unreadable):  # (not UTF-8, say): the file it is about
            where, exc = show(exc.path), exc.cause
        if isinstance(exc, (_OverBudget, TooLarge)):
            raise TemplateProblem(L(f"{where}：{exc.why.zh}", f"{where}: {exc.why.en}")
                                  ) from None
        raise TemplateProblem(f"{where}: {_one_line(str(exc)) or type(exc).__name__}"
                              ) from None


def _lost_text(env: Any, name: str, show: Callable[[str], str]) -> None:
    """`TemplateProblem` when a template that extends another (`{% extends %}`) holds
    text Jinja never prints: a `{% block %}` the parent (or a template above it) does
    not define, or text after the `{% extends %}` outside every block.  Jinja renders
    the parent alone then: `{% extends "bulletin.md.j2" %}{% block mine %}我的段落{%
    endblock %}` printed the default bulletin, exit 0, the paragraph nowhere (audit) —
    and the built-in templates define no block at all.  Read from the templates' syntax
    trees (`Environment.parse`), never by rendering; a template that extends none, or
    one named by an expression, is left alone."""
    source = env.loader.get_source(env, name)
    if "extends" not in source[0]:
        return  # the built-in templates, and most of a ledger's own: one scan, no parse
    chain = []  # (shown file, tree), from `name` up its parents
    seen: set[str] = set()
    while name not in seen:
        seen.add(name)
        tree = env.parse(source[0], name, source[1])
        chain.append((show(source[1] or name), tree))
        parent = next((n.template.value for n in tree.body if isinstance(n, _nodes().Extends)
                       and isinstance(n.template, _nodes().Const)
                       and isinstance(n.template.value, str)), None)
        if parent is None:
            break
        if parent in seen:
            # a ledger's templates/bulletin.md.j2 that extends "bulletin.md.j2" meaning
            # the built-in one extends itself (the ledger's is found first): Jinja
            # recursed until "maximum recursion depth exceeded"
            raise TemplateProblem(L(
                f"{chain[-1][0]}：{{% extends \"{parent}\" %}} 形成循环（模板继承了自己："
                f"台账 templates/ 中的同名模板会先于内置模板被找到，无法继承内置的同名模板）{_HOW.zh}",
                f"{chain[-1][0]}: {{% extends \"{parent}\" %}} is a loop (the template "
                f"extends itself: a template of the ledger's templates/ is found before the "
                f"built-in one of the same name, which it therefore cannot extend){_HOW.en}"))
        name = parent
        source = env.loader.get_source(env, name)
    for k, ((where, tree), (parent_shown, _)) in enumerate(pairwise(chain)):
        defined = {b.name for _, above in chain[k + 1:] for b in above.find_all(_nodes().Block)}
        at = next(i for i, n in enumerate(tree.body) if isinstance(n, _nodes().Extends))
        for node in tree.body[at + 1:]:
            lost = _printed_outside(node)
            if lost is not None:
                raise TemplateProblem(L(
                    f"{where}:{lost.lineno}：这段内容写在 {{% extends %}} 之后、所有 "
                    f"{{% block %}} 之外，继承父模板 {parent_shown} 时不会输出{_HOW.zh}",
                    f"{where}:{lost.lineno}: this text stands after {{% extends %}} outside "
                    f"every {{% block %}}, and a template that extends another (here "
                    f"{parent_shown}) never prints it{_HOW.en}"))
        for block in _own_blocks(tree.body):
            if block.name not in defined:
                has = (L("它没有定义任何块", "it defines none") if not defined else
                       L("它定义的块：" + "、".join(sorted(defined)),
                         "it defines: " + ", ".join(sorted(defined))))
                raise TemplateProblem(L(
                    f"{where}:{block.lineno}：块 {block.name} 在父模板 {parent_shown} 中没有定义"
                    f"（{has.zh}），其中的内容不会输出：继承时只能改写父模板已有的块{_HOW.zh}",
                    f"{where}:{block.lineno}: block {block.name} is not defined in the parent "
                    f"template {parent_shown} ({has.en}), so its text is never printed: a "
                    f"template that extends another can only replace the parent's blocks"
                    f"{_HOW.en}"))


#: how to change a bulletin instead (`_lost_text`)
_HOW = L("；要改格式，请用 luoshi bulletin --dump-template DIR 导出默认模板，直接修改导出的副本",
         "; to change the layout, write out the default templates with luoshi bulletin "
         "--dump-template DIR and edit the copy")


@functools.cache
def _nodes() -> Any:
    from jinja2 import nodes

    return nodes


def _printed_outside(node: Any) -> Any:
    """The first node under `node` (a statement of a child template, outside its
    blocks) that would print something, or None: text other than blanks, an
    expression, an include, a call or filter block.  Blocks and macros are not
    looked into (their text is printed where they are used)."""
    n = _nodes()
    if isinstance(node, (n.Block, n.Macro)):
        return None
    if isinstance(node, n.Output):
        for part in node.nodes:
            if not (isinstance(part, n.TemplateData) and not part.data.strip()):
                return part
        return None
    if isinstance(node, (n.Include, n.CallBlock, n.FilterBlock)):
        return node
    for child in node.iter_child_nodes():
        found = _printed_outside(child)
        if found is not None:
            return found
    return None


def _own_blocks(body: Sequence[Any]) -> Iterator[Any]:
    """The blocks a child template overrides: those not inside another block (one
    nested in an override is printed with it) nor in a macro."""
    n = _nodes()
    for node in body:
        if isinstance(node, n.Block):
            yield node
        elif not isinstance(node, n.Macro):
            yield from _own_blocks(list(node.iter_child_nodes()))


class _NotATemplate(Exception):
    """A template's name that is no regular file (a directory, a FIFO, a broken
    link) where it is looked up first: refused, not passed over for the next folder —
    a ledger's templates/bulletin.md.j2 that is a directory printed the built-in
    bulletin, exit 0."""

    def __init__(self, path: str, kind: L) -> None:
        super().__init__(path)
        self.path = path
        self.kind = kind


class _Unreadable(Exception):
    """A template file that could not be read (`cause`: not UTF-8, say)."""

    def __init__(self, path: str, cause: Exception) -> None:
        super().__init__(path)
        self.path = path
        self.cause = cause


@functools.cache
def _loader() -> type:
    """Jinja's file loader, but a name that is there and no regular file is refused
    (`_NotATemplate`), and a file that cannot be read names itself (`_Unreadable`)."""
    import os
    import posixpath
    import stat

    from jinja2 import FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    class Loader(FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            pieces = split_template_path(template)
            for searchpath in self.searchpath:
                filename = posixpath.join(searchpath, *pieces)  # as Jinja joins it
                if os.path.isfile(filename):
                    break
                if os.path.lexists(filename):
                    try:
                        mode = os.stat(filename).st_mode
                    except OSError:
                        kind = L("失效的符号链接", "a broken symbolic link")
                    else:
                        kind = (L("目录", "a directory") if stat.S_ISDIR(mode) else
                                L("命名管道（FIFO）", "a named pipe (FIFO)")
                                if stat.S_ISFIFO(mode) else L("特殊文件", "a special file"))
                    raise _NotATemplate(os.path.normpath(filename), kind)
            else:
                return super().get_source(environment, template)  # TemplateNotFound
            try:
                return super().get_source(environment, template)
            except TemplateNotFound:
                raise
            except (OSError, UnicodeError) as exc:
                raise _Unreadable(os.path.normpath(filename), exc) from None

    return Loader


#: characters any bulletin may have, and `OUTPUT_PER_TASK` more per task of the ledger
#: (`render`'s `tasks`): the built-in templates write 100–250 characters per task (a
#: 100,000-task monthly bulletin is 9 million), so a real one stays far below, while a
#: ledger's template that loops to gigabytes (`{% for i in range(10**5) %}{% for j in
#: range(10**5) %}`) is stopped instead of filling the memory of the CI runner
MAX_OUTPUT = 64 * 1024 * 1024
OUTPUT_PER_TASK = 4096
#: chunks counted at a time: Jinja yields a few per printed value, millions per bulletin
_BATCH = 16384


#: seconds of CPU time any rendering may take, and `SECONDS_PER_TASK` more per task of
#: the ledger: the built-in templates take about 25 µs per task (2.5 s at 100,000
#: tasks), so a real bulletin stays far below, while a ledger's template whose loops
#: print nothing (`{% for i in range(10**5) %}{% for j in range(10**5) %}{% endfor
#: %}…`: 10**10 steps, no output to bound) is stopped instead of holding the CI runner
#: until its job's time limit.  CPU time, not wall time: a busy machine does not
#: refuse a bulletin it would have printed.
MAX_SECONDS = 60.0
SECONDS_PER_TASK = 0.001


class _OverBudget(Exception):
    """A rendering that passed its output or time bound (`why`)."""

    def __init__(self, why: L) -> None:
        super().__init__(why.en)
        self.why = why


def _too_long(seconds: float) -> L:
    n = f"{seconds:,.1f}".rstrip("0").rstrip(".")
    return L(f"模板运行超过 {n} 秒（循环没有结束？）",
             f"the template ran over {n} s (a loop that does not end?)")


@contextlib.contextmanager
def _cpu_budget(seconds: float) -> Iterator[None]:
    """Raise `_OverBudget` inside the block once the process has spent `seconds` of
    CPU time in it (a virtual-time timer: Python runs the handler between two steps
    of the template's code, so even a loop that calls nothing is stopped, at its
    line).  Only where a timer can be set and is free: the main thread of a POSIX
    process, with no virtual timer of the host application running; elsewhere (and
    here too) the ticks the template's code makes hold it (`Environment.tick`)."""
    import signal
    import threading

    if (not hasattr(signal, "setitimer") or threading.current_thread()
            is not threading.main_thread() or signal.getitimer(signal.ITIMER_VIRTUAL)[0]):
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise _OverBudget(_too_long(seconds))

    before = signal.signal(signal.SIGVTALRM, stop)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, before)


def _bounded(chunks: Iterable[str], limit: int) -> str:
    """The chunks joined; `_OverBudget` once they pass `limit` characters (counted
    a batch at a time, in C: no Python step per chunk)."""
    parts: list[str] = []
    size = 0
    it = iter(chunks)
    while batch := list(islice(it, _BATCH)):
        size += sum(map(len, batch))
        if size > limit:
            raise _OverBudget(L(f"输出超过 {limit:,} 个字符（循环没有结束？）",
                                f"the output passed {limit:,} characters "
                                "(a loop that does not end?)"))
        parts += batch
    return "".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _template_frame(tb: TracebackType | None) -> tuple[str, int] | None:
    """The innermost traceback frame that is template code (Jinja maps its lines)."""
    found = None
    while tb is not None:
        fn = tb.tb_frame.f_code.co_filename
        if "__jinja_exception__" in tb.tb_frame.f_globals or fn.endswith(".j2"):
            found = (fn, tb.tb_lineno)
        tb = tb.tb_next
    return found


# ---------------------------------------------------------------------------
# a ledger's own templates: checked, staged as of a revision, named for the user
# ---------------------------------------------------------------------------

def refuse_links_out(root: Path) -> None:
    """`UsageError` (exit 2) when the ledger's templates/ is a link, or holds a link
    that leads out of it: a template linked to /etc/passwd, included by another
    (`{% include %}`), would print that file into the bulletin — a pull request's CI
    job must not publish it.  Nor may one lead elsewhere in the ledger: `templates/cfg
    -> ../.git/config` printed the repository's configuration, with the token
    actions/checkout keeps there.  A link out of the root, or into .git or the cache,
    is refused in LS008's words (as a data file would be); any other link that leaves
    templates/ in `_outside_templates`'.  Links within templates/ are fine."""
    import os

    from ...fsio import path_is
    from ...load.assemble import link_out

    real_root = os.path.realpath(root)
    home = os.path.join(real_root, "templates")
    links: list[str] = []
    top = root / "templates"
    # a folder above without search permission (a ledger given as `.` below one): one
    # line naming the path, not is_symlink()'s PermissionError (an internal error)
    path_is(top)
    if top.is_symlink():
        links.append("templates")
    elif top.is_dir():
        # by hand, not following links (each must lead inside templates/, whose real
        # directories are walked anyway): a pull request may nest them thousands deep
        stack = ["templates"]
        while stack:
            rel = stack.pop()
            try:
                with os.scandir(root / rel) as it:
                    entries = list(it)
            except OSError:  # unreadable: rendering says so when it needs one
                continue
            for e in entries:
                r = f"{rel}/{e.name}"
                if e.is_symlink():
                    links.append(r)
                elif e.is_dir(follow_symlinks=False):
                    stack.append(r)
    for rel in sorted(links):
        out = link_out(root, rel, real_root)
        if out is not None:
            raise _refused(rel, out)
        real = os.path.realpath(root / rel)
        if real != home and not real.startswith(home + os.sep):
            try:
                target = os.readlink(root / rel)
            except OSError:
                target = "?"
            raise _outside_templates(rel, target)


def _refused(rel: str, out: Finding) -> UsageError:
    """`rel` refused (exit 2) in the words of `out`, its LS008."""
    return UsageError(L(f"{rel}: {out.message('zh')}", f"{rel}: {out.message('en')}"))


def _outside_templates(rel: str, target: str) -> UsageError:
    """`rel` (templates/ itself, or a link in it) refused: a link inside the ledger
    that leaves templates/, to `target`."""
    if rel == "templates":
        return UsageError(L(
            f"templates: templates 是符号链接（指向 {target}）：台账的 templates/ 须是真实目录，"
            "模板只从其中读取；请把链接换成真实目录",
            f"templates: templates is a symbolic link (to {target}): a ledger's templates/ "
            "must be a real folder, templates are read from nothing else; replace the link "
            "with a real folder"))
    return UsageError(L(
        f"{rel}: {rel} 是指向 templates/ 之外（{target}）的符号链接：台账的模板只从 templates/ "
        "读取；请把链接换成 templates/ 内的真实文件或目录",
        f"{rel}: {rel} is a symbolic link to {target}, outside templates/: a ledger's "
        "templates are read from templates/ only; replace the link with a real file or "
        "folder inside templates/"))


def stage_templates(root: Path, rev: str, dest: Path) -> None:
    """Write the ledger's templates/ as committed at `rev` into `dest` (a fresh
    temporary directory of the caller's): a bulletin reproduced from the tag that
    closed a quarter uses that quarter's templates.  `UsageError` (exit 2) when
    templates/ at `rev` is a link, or holds a link that leads out of it, as in the
    working tree (`refuse_links_out`)."""
    from ...load.gitsrc import open_git

    def refuse_out(rel: str, why: list[Finding]) -> None:
        """As `refuse_links_out` in the working tree: a link out of the ledger (or
        into .git), or out of templates/, as committed, is refused (one line, exit
        2) — never passed over for the built-in template, which would publish a
        bulletin the tag does not name."""
        out = next((f for f in why if f.code == "LS008"), None)
        if out is not None:
            raise _refused(rel, out)
        real = at.real_path(rel)
        if real is not None and real != "templates" and not real.startswith("templates/"):
            raise _outside_templates(rel, at.link_text(rel) or real)

    at = open_git(root, rev)  # a LedgerError (exit 2) when git cannot read it
    try:
        why: list[Finding] = []
        at.read_bytes("templates", why)  # templates/ itself a link
        refuse_out("templates", why)
        for rel in at.glob("templates/**/*"):
            why = []
            data = at.read_bytes(rel, why)
            refuse_out(rel, why)
            if data is not None:
                target = _staged_at(dest, rel)
                try:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(data)
                except (FileExistsError, NotADirectoryError, IsADirectoryError):
                    raise _file_and_folder(rel) from None
    finally:
        at.close()


def _file_and_folder(rel: str) -> UsageError:
    """A commit whose templates/ holds one name twice, as a file and as a folder (git
    accepts such a tree from `git mktree`; only fsck rejects it): refused, exit 2."""
    from ...core.safetext import printable

    shown = printable(rel)
    return UsageError(L(f"{shown}：提交中的 templates/ 里同一个名字既是文件又是目录（git fsck 会拒绝的树），"
                        "拒绝使用",
                        f"{shown}: the committed templates/ holds one name both as a file and "
                        "as a folder (a tree git fsck rejects): refused"))


def _staged_at(dest: Path, rel: str) -> Path:
    """Where committed template `rel` is written under `dest`, or `UsageError`
    (exit 2) when its name is no path inside templates/.  A commit can hold a tree
    entry named `/home/x/.bashrc` (git accepts it unless fsck is on) that the tree
    listing reports as `templates//home/x/.bashrc`: joined to `dest`, an absolute
    name replaced it, and the template was written there."""
    from ...core.codes import L
    from ...core.errors import UsageError
    from ...core.safetext import printable

    sub = rel.removeprefix("templates/")
    parts = sub.split("/")
    target = dest.joinpath(*parts)
    inside = dest.resolve()
    if (not sub or any(p in ("", ".", "..") or "\\" in p or "\x00" in p for p in parts)
            or not target.resolve().is_relative_to(inside)):
        shown = printable(rel)
        raise UsageError(L(f"{shown}：提交中的这个模板文件名不是 templates/ 下的路径，拒绝使用",
                           f"{shown}: this committed template's name is no path inside "
                           "templates/: refused"))
    return target


#: the files of a ledger's templates/ a bulletin looks up by name (`template_name`, and
#: the stylesheet the HTML ones include)
BULLETIN_TEMPLATES = ("bulletin.md.j2", "bulletin.html.j2", "bulletin.en.md.j2",
                      "bulletin.en.html.j2", "_bulletin.css.j2")


def misnamed_templates(directory: Path, shown: str = "templates/", tail: str = ""
                       ) -> list[L]:
    """A note for each file in `directory` (a ledger's templates/) named like a
    bulletin template but not as luoshi looks it up — in another case, without the
    `.j2`, with another Jinja extension or the `.txt` Notepad adds
    (`templates/bulletin.md`, `Bulletin.md.j2`, `bulletin.md.jinja`,
    `bulletin.md.j2.txt`): such a file was passed over for the built-in template in
    silence (audit).  By name only; other files (partials a template includes) are
    not named.  `shown` and `tail` say where the folder is (`@REV`)."""
    try:
        names = sorted(e.name for e in os.scandir(directory))
    except OSError:
        return []
    out = []
    stems = {n.removesuffix(".j2"): n for n in BULLETIN_TEMPLATES}
    for name in names:
        low = name.lower().removesuffix(".txt")
        for ext in (".j2", ".jinja2", ".jinja"):
            if low.endswith(ext):
                low = low.removesuffix(ext)
                break
        meant = stems.get(low)
        if meant is None or name == meant or _same_file(directory, name, meant):
            continue
        out.append(L(f"{shown}{name}{tail} 看起来是通报模板，但 luoshi 只使用名为 {meant} 的文件"
                     f"（区分大小写），这个文件没有使用：要用它，请改名为 {shown}{meant}",
                     f"{shown}{name}{tail} looks like a bulletin template, but luoshi only "
                     f"uses a file named {meant} (case matters), so this one was not used: "
                     f"to use it, rename it to {shown}{meant}"))
    return out


def _same_file(directory: Path, name: str, other: str) -> bool:
    """`name` is the file `other` opens (a file system that ignores case, as macOS's
    and Windows' do, opens `Bulletin.md.j2` as `bulletin.md.j2`: it is used)."""
    try:
        return os.path.samefile(directory / name, directory / other)
    except OSError:
        return False


def template_shower(root: Path, committed: tuple[Path, str] | None = None
                    ) -> Callable[[str], str]:
    """How a template's path is shown in an error: relative to the ledger root,
    `templates/x.j2@REV` when staged from a revision, `(built-in) x.j2`."""
    top = root.resolve()
    builtin = builtin_templates().resolve()

    def shown(path: str) -> str:
        # the folder resolved, not the file: a link is named as it stands in
        # templates/ (a broken one, say), not by where it leads
        p = Path(path)
        p = p.parent.resolve() / p.name
        if committed is not None and p.is_relative_to(committed[0].resolve()):
            rel = p.relative_to(committed[0].resolve()).as_posix()
            return f"templates/{rel}{committed[1]}"  # as committed at --rev
        if p.is_relative_to(top):
            return p.relative_to(top).as_posix()
        if p.is_relative_to(builtin):
            return f"(built-in) {p.relative_to(builtin).as_posix()}"
        return str(path)

    return shown
