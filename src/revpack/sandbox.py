"""Sandbox: takes templates from strangers, gives Jinja2's sandbox with bounded growth.

Jinja2's `SandboxedEnvironment` keeps a template away from Python's internals, but lets it build
a string or list of any size: `'x'|center(10**9)` asks for a gigabyte in one call, and `~` or
`list.append` in a loop grow without end. Here every way a template can grow something is checked
*before* it is built, so the error names the template line: no string may pass MAX_STRING
characters, no list, dict or set MAX_ITEMS items, no integer MAX_INT_BITS bits. The checks sit at
the operators (`*`, `**`, `+`, `%`, `~`), at every call through the sandbox (str.center,
list.append, …), in str.format, and in the filters and globals that take a size (center, indent,
wordwrap, format, join, replace, batch, slice, round, sum, lipsum).

What these checks cannot see (a `{% set %}` block that doubles itself, a million large pieces)
meets the render's memory cap (`timer.memory_limit`, applied in html.py).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sized

from jinja2.compiler import CodeGenerator
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import SandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.sandbox import SecurityError
from markupsafe import Markup

#: The longest string, and the longest list, dict or set, one template operation may build.
#: A whole handout's HTML is a few hundred thousand characters.
MAX_STRING = 1_000_000
MAX_ITEMS = 100_000
#: The largest integer a template may compute (about 3,000 digits).
MAX_INT_BITS = 10_000
#: The most characters a template may output in one render (the HTML of one handout).
MAX_OUTPUT = 20_000_000


def refuse_over(size: int, limit: int, what: str, unit: str = "") -> None:
    """The one size check: raise SecurityError when `size` passes `limit`."""
    if size > limit:
        unit = unit or {MAX_STRING: "characters", MAX_ITEMS: "items",
                        MAX_INT_BITS: "bits"}.get(limit, "")
        raise SecurityError(f"{what} would make {size:,} {unit}, over the limit of {limit:,}")


def _length(value) -> int:
    return len(value) if isinstance(value, (str, bytes, bytearray)) else 1


def _number(value, default: int = 0) -> int:
    """An argument used as a size (ints only; anything else fails in the call itself)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# --- printf-style and str.format widths ----------------------------------------------------------

_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)


def _percent_size(fmt, values) -> int:
    """An upper bound for `fmt % values`: its text, each field's width, precision and value."""
    if isinstance(values, dict):
        pieces = list(values.values())
    else:
        pieces = list(values) if isinstance(values, tuple) else [values]
    widest = max((_length(p) for p in pieces), default=0)
    star = max((_number(p) for p in pieces), default=0)
    size = len(fmt)
    for m in _PERCENT.finditer(fmt):
        if m.group(3) == "%":
            continue
        for number in m.group(1, 2):
            size += star if number == "*" else _width(number)
        size += widest
    return size


def _width(digits: str | None) -> int:
    if not digits:
        return 0
    return int(digits) if len(digits) < 10 else 10 ** 10


def _spec_width(spec: str) -> int:
    """The largest number in a str.format field's spec (its width or precision)."""
    return max((_width(d) for d in re.findall(r"\d+", spec)), default=0)


class _BoundedFormatting:
    """str.format: each field's width, and the text made so far, stay under MAX_STRING."""

    def vformat(self, format_string, args, kwargs):
        self._made = len(format_string)
        return super().vformat(format_string, args, kwargs)

    def format_field(self, value, format_spec):
        refuse_over(_spec_width(format_spec), MAX_STRING, "a format width")
        text = super().format_field(value, format_spec)
        self._made += len(text)
        refuse_over(self._made, MAX_STRING, "format()")
        return text


class _Formatter(_BoundedFormatting, SandboxedFormatter):
    pass


class _EscapeFormatter(_BoundedFormatting, SandboxedEscapeFormatter):
    pass


# --- what a call would build -----------------------------------------------------------------------

def _arg(args, kwargs, index: int, name: str, default=None):
    if len(args) > index:
        return args[index]
    return kwargs.get(name, default)


def _replace_size(s, old, new, count) -> int:
    if not isinstance(old, (str, bytes)) or not isinstance(new, (str, bytes)):
        return len(s)
    found = len(s) + 1 if not old else s.count(old)
    count = _number(count, -1)
    if count >= 0:
        found = min(found, count)
    return len(s) + found * len(new)


def _string_method_size(s, name: str, args, kwargs) -> int | None:
    """What str/bytes method `name` would make of `s`, if it can grow it."""
    if name in ("center", "ljust", "rjust", "zfill"):
        return max(len(s), _number(_arg(args, kwargs, 0, "width")))
    if name == "expandtabs":
        return len(s) + s.count("\t" if isinstance(s, str) else b"\t") * \
            max(0, _number(_arg(args, kwargs, 0, "tabsize", 8)))
    if name == "replace":
        return _replace_size(s, _arg(args, kwargs, 0, "old"), _arg(args, kwargs, 1, "new"),
                             _arg(args, kwargs, 2, "count", -1))
    if name == "join" and args and isinstance(args[0], list):
        return sum(_length(x) for x in args[0]) + len(s) * max(0, len(args[0]) - 1)
    if name == "translate" and args and isinstance(args[0], dict):
        return len(s) * max((_length(v) for v in args[0].values()), default=1)
    return None


_GROWERS = {"append": 1, "insert": 1, "add": 1, "setdefault": 1, "extend": None,
            "update": None}


def _container_method_size(c, name: str, args, kwargs) -> int | None:
    """The length list/dict/set method `name` would give `c`, if it can grow it."""
    if name not in _GROWERS:
        return None
    added = _GROWERS[name]
    if added is None:
        added = sum(len(a) if isinstance(a, Sized) else 0 for a in args) + len(kwargs)
    return len(c) + added


def _materialised(args: tuple, name: str) -> tuple:
    """Arguments with a one-shot iterator made a list, so that it can be measured and used."""
    if not args or not hasattr(args[0], "__iter__") or isinstance(args[0], list):
        return args
    if name == "join" or name in ("extend", "update") and not isinstance(args[0], Sized):
        return (list(args[0]),) + args[1:]
    return args


def check_call(obj, args: tuple, kwargs: dict) -> tuple:
    """Refuse a method call that would build something too large; returns the arguments to
    use (an iterator is read into a list first, to be measured)."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, (str, bytes, bytearray)):
        args = _materialised(args, name)
        size = _string_method_size(owner, name, args, kwargs)
        if size is not None:
            refuse_over(size, MAX_STRING, f"{name}()")
    if isinstance(owner, (list, dict, set, bytearray)):
        args = _materialised(args, name)
        size = _container_method_size(owner, name, args, kwargs)
        if size is not None:
            refuse_over(size, MAX_ITEMS if not isinstance(owner, bytearray) else MAX_STRING,
                        f"{name}()")
    if isinstance(owner, int) and name == "to_bytes":
        refuse_over(_number(_arg(args, kwargs, 0, "length", 1)), MAX_STRING, "to_bytes()")
    return args


# --- filters and globals that take a size ----------------------------------------------------------

def _text(value) -> str:
    return value if isinstance(value, str) else str(value)


def _indent_size(s, width=4, *args, **kwargs) -> int:
    s = _text(s)
    per_line = len(width) if isinstance(width, str) else _number(width)
    return len(s) + (s.count("\n") + 1) * per_line


def _wordwrap_size(s, width=79, break_long_words=True, wrapstring=None, *args, **kwargs) -> int:
    s = _text(s)
    lines = len(s) // max(1, _number(width, 1)) + s.count("\n") + 1
    return len(s) + lines * (len(wrapstring) if isinstance(wrapstring, str) else 1)


def _join_size(value, d="", attribute=None, *args, **kwargs) -> int:
    items = list(value) if hasattr(value, "__iter__") and attribute is None else []
    return sum(_length(x) for x in items) + len(_text(d)) * max(0, len(items) - 1)


def _sum_size(iterable, attribute=None, start=0, *args, **kwargs) -> int:
    if not isinstance(start, (list, tuple, str)) or attribute is not None:
        return 0
    return len(start) + sum(len(x) if isinstance(x, Sized) else 0 for x in iterable)


def _round_digits(value, precision=0, *args, **kwargs) -> int:
    return abs(_number(precision))


#: filter name → (what it would build, its limit, a name for the message).
_FILTER_SIZES = {
    "center": (lambda value, width=80, *a, **k: max(len(_text(value)), _number(width)),
               MAX_STRING, "center"),
    "indent": (_indent_size, MAX_STRING, "indent"),
    "wordwrap": (_wordwrap_size, MAX_STRING, "wordwrap"),
    "format": (lambda value, *args, **kwargs: _percent_size(_text(value), kwargs or args),
               MAX_STRING, "format"),
    "join": (_join_size, MAX_STRING, "join"),
    "replace": (lambda s, old="", new="", count=None, *a, **k:
                _replace_size(_text(s), _text(old), _text(new), count), MAX_STRING, "replace"),
    "batch": (lambda value, linecount=1, *a, **k: _number(linecount), MAX_ITEMS, "batch"),
    "slice": (lambda value, slices=1, *a, **k: _number(slices), MAX_ITEMS, "slice"),
    "sum": (_sum_size, MAX_ITEMS, "sum"),
    "round": (_round_digits, 100, "round"),
    # truncate, the other filter with a length, only ever shortens.
}


def _bounded(func, measure, limit: int, what: str, materialise: bool = False):
    """`func` (a filter or global), refusing arguments that would build more than `limit`."""
    passes_first = getattr(func, "jinja_pass_arg", None) is not None

    @functools.wraps(func)
    def bounded(*args, **kwargs):
        own = args[1:] if passes_first else args
        if materialise and own and not isinstance(own[0], (Sized, str)) \
                and hasattr(own[0], "__iter__"):
            own = (list(own[0]),) + own[1:]
            args = args[:1] + own if passes_first else own
        refuse_over(measure(*own, **kwargs), limit, f"the {what} filter",
                    "digits" if what == "round" else "")
        return func(*args, **kwargs)

    return bounded


def _bounded_lipsum(lipsum):
    @functools.wraps(lipsum)
    def bounded(n=5, html=True, min=20, max=100):
        refuse_over(_number(n) * _number(max), MAX_ITEMS, "lipsum()", "words")
        return lipsum(n, html, min, max)
    return bounded


# --- the environment ---------------------------------------------------------------------------

class _CodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a checked join, so that concatenation cannot double without end."""

    def visit_Concat(self, node, frame) -> None:
        if frame.eval_ctx.volatile:
            markup = "context.eval_ctx.volatile"     # what Jinja itself tests here
        else:
            markup = repr(bool(frame.eval_ctx.autoescape))
        self.write("environment.concatenate((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write(f"), {markup})")


class RevpackSandbox(SandboxedEnvironment):
    """Jinja2's sandbox, with everything a template builds bounded in size."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset(["*", "**", "+", "%"])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (measure, limit, what) in _FILTER_SIZES.items():
            self.filters[name] = _bounded(self.filters[name], measure, limit, what,
                                          materialise=name in ("join", "sum"))
        self.globals["lipsum"] = _bounded_lipsum(self.globals["lipsum"])
        self.render_seconds = 0.0       # html.render_template's time and runaway bookkeeping
        self.stopped = None

    def concat(self, chunks) -> str:
        """What a template, a macro or a `{% set %}` block writes, stopped at the line that takes
        it past MAX_OUTPUT characters."""
        parts, size = [], 0
        for chunk in chunks:
            size += len(chunk)
            if size > MAX_OUTPUT:
                parts.clear()
                error = SecurityError(f"the template's output would be over {MAX_OUTPUT:,} "
                                      "characters long")
                if hasattr(chunks, "throw"):
                    chunks.throw(error)           # raised inside the template, at its line
                raise error
            parts.append(chunk)
        return "".join(parts)

    def call_binop(self, context, op, left, right):
        if op == "**":
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                refuse_over(max(1, abs(left).bit_length()) * right, MAX_INT_BITS,
                            "'**'")
            elif isinstance(right, (int, float)) and abs(right) > MAX_INT_BITS:
                raise SecurityError("exponent too large")
        elif op == "*":
            for a, b in ((left, right), (right, left)):
                if isinstance(a, (str, bytes, list, tuple)) and isinstance(b, int):
                    refuse_over(len(a) * b, MAX_STRING if isinstance(a, (str, bytes))
                                else MAX_ITEMS, "'*'")
            if isinstance(left, int) and isinstance(right, int):
                refuse_over(left.bit_length() + right.bit_length(), MAX_INT_BITS,
                            "'*'")
        elif op == "+":
            if isinstance(left, (str, bytes, list, tuple)) and isinstance(right, Sized):
                refuse_over(len(left) + len(right), MAX_STRING if isinstance(left, (str, bytes))
                            else MAX_ITEMS, "'+'")
        elif op == "%" and isinstance(left, str):
            refuse_over(_percent_size(left, right), MAX_STRING, "'%'")
        return self.binop_table[op](left, right)

    def concatenate(self, parts: tuple, markup) -> str:
        """`a ~ b ~ …`, refused before it is joined if it would be too long."""
        refuse_over(sum(len(p) if isinstance(p, str) else 0 for p in parts), MAX_STRING,
                    "'~'")
        return markup_join(parts) if markup else str_join(parts)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 (Jinja's own spelling)
        args = check_call(__obj, args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value):
        """str.format and format_map, through formatters that bound each width and the result.
        (Jinja's own version, with those formatters.)"""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        f_self = value.__self__
        formatter = (_EscapeFormatter(self, escape=f_self.escape) if isinstance(f_self, Markup)
                     else _Formatter(self))
        is_map = value.__name__ == "format_map"

        @functools.wraps(value)
        def wrapper(*args, **kwargs):
            if is_map:
                if kwargs or len(args) != 1:
                    raise TypeError("format_map() takes exactly one argument")
                args, kwargs = (), args[0]
            return type(f_self)(formatter.vformat(f_self, args, kwargs))

        return wrapper
