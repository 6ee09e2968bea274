"""Helpers for the translation tests: visible text of a page, the database's own words, scanners."""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models
from django.template.base import Lexer, TokenType

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Attributes a person reads or hears (screen readers) as well as text nodes.
VISIBLE_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "data-confirm"}
SKIPPED_ELEMENTS = {"script", "style", "template"}
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class VisibleText(HTMLParser):
    """Collects text nodes and readable attributes, skipping scripts and any element whose
    `lang` says it is in another language (the language picker names Russian in Russian)."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []
        self.chunks: list[str] = []

    def hidden(self) -> bool:
        return any(skip for _tag, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        skip = tag in SKIPPED_ELEMENTS or (
            tag != "html" and lang is not None and lang != self.language
        )
        if not self.hidden() and not skip:
            for name, value in attrs:
                if value and name in VISIBLE_ATTRIBUTES:
                    self.chunks.append(value)
            if (
                tag == "input"
                and values.get("type") in {"submit", "button"}
                and values.get("value")
            ):
                self.chunks.append(values["value"] or "")
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data: str) -> None:
        if not self.hidden() and data.strip():
            self.chunks.append(data)


def visible_text(html: str, language: str = "en") -> list[str]:
    parser = VisibleText(language)
    parser.feed(html)
    parser.close()
    return [" ".join(chunk.split()) for chunk in parser.chunks]


def database_words() -> list[str]:
    """Every text value stored in the project's tables and every object's str(): data, which
    stays in the language it was entered in. Longest first, so removal takes whole names."""
    words: set[str] = set()
    for model in apps.get_models():
        if not model.__module__.startswith("profdev.") or model.__name__.startswith("Historical"):
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField)
        ]
        for obj in model._default_manager.all()[:5000]:
            words.add(str(obj))
            for name in fields:
                value = getattr(obj, name)
                if isinstance(value, str):
                    words.add(value)
                    # Multi-line text is shown with <br> between its lines.
                    words.update(line.strip() for line in value.splitlines())
            for attr in ("full_name", "short_name", "get_full_name"):
                value = getattr(obj, attr, None)
                value = value() if callable(value) else value
                if isinstance(value, str):
                    words.add(value)
    return sorted((w for w in words if CYRILLIC.search(w)), key=len, reverse=True)


def untranslated(chunks: list[str], data: list[str]) -> list[str]:
    """Chunks that still contain Cyrillic once the database's own words are removed."""
    left = []
    for chunk in chunks:
        if not CYRILLIC.search(chunk):
            continue
        stripped = chunk
        for word in data:
            if word in stripped:
                stripped = stripped.replace(word, " ")
            if not CYRILLIC.search(stripped):
                break
        if CYRILLIC.search(stripped) and not _truncated_data(chunk, data):
            left.append(chunk)
    return left


def _truncated_data(chunk: str, data: list[str]) -> bool:
    """A long name cut short by `truncatechars` ("Муниципальный день наставника (Город…")."""
    if not chunk.endswith("…"):
        return False
    head = chunk[:-1].rstrip()
    return any(word.startswith(head) for word in data)


# --- source scanners -----------------------------------------------------------------------------

TRANSLATED_CALL = re.compile(r"""_\(\s*(?:"[^"]*"|'[^']*')\s*\)""")


def template_offences(path: Path) -> list[str]:
    """Cyrillic text in a template outside {% translate %} / {% blocktranslate %}."""
    source = path.read_text(encoding="utf-8")
    found = []
    in_block = False
    for token in Lexer(source).tokenize():
        contents = token.contents
        where = f"{path}:{token.lineno}"
        if token.token_type == TokenType.BLOCK:
            word = contents.split()[0] if contents.split() else ""
            if word in {"blocktranslate", "blocktrans"}:
                in_block = True
            elif word in {"endblocktranslate", "endblocktrans"}:
                in_block = False
            elif word in {"translate", "trans"} or (in_block and word == "plural"):
                pass
            elif CYRILLIC.search(TRANSLATED_CALL.sub("", contents)):
                found.append(f"{where}: {{% {contents} %}}")
        elif token.token_type == TokenType.VAR:
            if CYRILLIC.search(TRANSLATED_CALL.sub("", contents)):
                found.append(f"{where}: {{{{ {contents} }}}}")
        elif token.token_type == TokenType.TEXT and not in_block:
            for offset, line in enumerate(contents.splitlines()):
                # A language named in itself, marked with lang, is not a translatable string.
                if CYRILLIC.search(line) and 'lang="ru"' not in line:
                    found.append(f"{path}:{(token.lineno or 0) + offset}: {line.strip()}")
    return found


TRANSLATION_FUNCTIONS = {
    "_",
    "_lazy",  # extracted too: see profdev.common.i18n._MakeMessages
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def _called_name(node: Any) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def python_offences(path: Path) -> list[str]:
    """Cyrillic string literals not passed to a translation function (docstrings excepted)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents: dict[ast.AST, ast.AST] = {}
    docstrings: set[ast.AST] = set()
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(first.value)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            text = "".join(str(v.value) for v in node.values if isinstance(v, ast.Constant))
            if CYRILLIC.search(text):
                found.append(f"{path}:{node.lineno}: f-string {ast.unparse(node)[:80]}")
        if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
            continue
        if node in docstrings or not CYRILLIC.search(node.value):
            continue
        parent = parents.get(node)
        if isinstance(parent, ast.JoinedStr):
            continue
        if isinstance(parent, ast.Call) and _called_name(parent.func) in TRANSLATION_FUNCTIONS:
            continue
        found.append(f"{path}:{node.lineno}: {node.value[:80]!r}")
    return found
