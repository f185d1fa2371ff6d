"""The one way a letter type's file writes a condition or a sentence: Jinja's.

A condition (when a letter is due, when a check refuses it, which variant is
used) is a Jinja expression, `live and open_milestone in completes`; a
sentence or a field name may hold `{{ placeholders }}`; the wording uses the
same `{% if %}` tags. Everything runs in one sandboxed, autoescaping Jinja
environment with strict undefined names, so a misspelt name stops with a
message instead of quietly being false.
"""

from __future__ import annotations

import functools

from jinja2 import StrictUndefined, TemplateError, meta
from jinja2.sandbox import SandboxedEnvironment


def jinja_env() -> SandboxedEnvironment:
    """Sandboxed and autoescaping: register text is data, and a template cannot reach Python."""
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)


ENV = jinja_env()
_PLAIN = SandboxedEnvironment(autoescape=False, undefined=StrictUndefined)  # sentences for the command line, not XML


class ConditionError(ValueError):
    """A condition or sentence in a letter type's file is not written correctly."""


@functools.lru_cache(maxsize=None)
def condition(source: str):
    """A compiled Jinja expression: call it with the facts as keyword arguments."""
    try:
        return _PLAIN.compile_expression(source)
    except TemplateError as err:
        raise ConditionError(f"the condition '{source}' is not written correctly ({err.message})") from None


@functools.lru_cache(maxsize=None)
def names_in(source: str) -> frozenset[str]:
    """The names a condition uses (so only those facts are worked out)."""
    try:
        return frozenset(meta.find_undeclared_variables(_PLAIN.parse("{{ (" + source + ") }}")))
    except TemplateError as err:
        raise ConditionError(f"the condition '{source}' is not written correctly ({err.message})") from None


def holds(source: str, facts: dict) -> bool:
    """Whether a condition holds for these facts (an empty condition always holds)."""
    if not source:
        return True
    try:
        return bool(condition(source)(**facts))
    except TemplateError as err:
        raise ConditionError(f"the condition '{source}' cannot be worked out ({err.message})") from None


@functools.lru_cache(maxsize=None)
def _sentence(source: str):
    return _PLAIN.from_string(source)


def fill(source: str, facts: dict) -> str:
    """A sentence with its {{ placeholders }} filled from the facts."""
    if "{" not in source:
        return source
    try:
        return _sentence(source).render(facts)
    except TemplateError as err:
        raise ConditionError(f"the sentence '{source}' cannot be filled ({err.message})") from None


@functools.lru_cache(maxsize=None)
def names_in_sentence(source: str) -> frozenset[str]:
    """The names a sentence's {{ placeholders }} use."""
    try:
        return frozenset(meta.find_undeclared_variables(_PLAIN.parse(source)))
    except TemplateError as err:
        raise ConditionError(f"the sentence '{source}' is not written correctly ({err.message})") from None
