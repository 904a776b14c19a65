"""The one loader for YAML a user supplies (scenarios, frameworks, mappings, pasted text).

``yaml.safe_load`` builds no Python objects, but it still expands aliases: a 14 KB document
with one anchored list of 1,000 ids referred to 1,000 times becomes a million ids, and the cost
grows with the square of the size. This loader refuses, each time naming the line and column:

* text over ``max_bytes`` (checked before parsing);
* anchors and aliases (``&name`` / ``*name``) — no hand-written input needs them;
* more than ``max_nodes`` nodes;
* a key given twice in one mapping (PyYAML silently keeps the last);
* characters no text needs (:mod:`econsec.characters`: controls, bidi overrides, zero-width).

Numbers follow YAML 1.2 as well as 1.1: ``1e9`` and ``1.0e5`` are numbers (YAML 1.1's float
pattern wants a dot and a signed exponent, so ``yaml.safe_load`` reads them as strings).
See decision 0093.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent, ScalarEvent

from econsec.characters import describe, unwanted
from econsec.i18n import t

MAX_BYTES = 256 * 1024
MAX_NODES = 50_000


class YamlRefused(ValueError):
    """YAML that was not loaded; ``key`` is a message id, ``line`` and ``column`` are 1-based."""

    def __init__(
        self, key: str, *, source: str, line: int | None = None, column: int | None = None,
        **params: Any,
    ) -> None:  # fmt: skip
        self.key = key
        self.source = source
        self.line = line
        self.column = column
        self.params = params
        super().__init__(self.message("en"))

    def __reduce__(self) -> tuple[Any, ...]:
        return (_refused, (self.key, self.source, self.line, self.column, self.params))

    def fields(self) -> dict[str, Any]:
        """Everything the message needs: to rebuild it in another error type."""
        return {
            **self.params,
            "source": self.source,
            "line": self.line if self.line is not None else "?",
            "column": self.column if self.column is not None else "?",
        }

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, **self.fields())


def _refused(
    key: str, source: str, line: int | None, column: int | None, params: dict[str, Any]
) -> YamlRefused:
    return YamlRefused(key, source=source, line=line, column=column, **params)


# YAML 1.2's float (core schema), tried after YAML 1.1's int and float patterns.
_FLOAT_12 = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases, anchors, duplicate keys and unwanted characters, and
    counts nodes."""

    source = "<yaml>"
    max_nodes = MAX_NODES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.nodes = 0

    def _refuse(self, code: str, mark: Any, **params: Any) -> YamlRefused:
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        return YamlRefused(code, source=self.source, line=line, column=column, **params)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, AliasEvent):
            raise self._refuse("yaml.alias", event.start_mark, name=event.anchor)
        if getattr(event, "anchor", None) is not None:
            raise self._refuse("yaml.anchor", event.start_mark, name=event.anchor)
        self.nodes += 1
        if self.nodes > self.max_nodes:
            raise self._refuse("yaml.too_many_nodes", event.start_mark, limit=self.max_nodes)
        if isinstance(event, ScalarEvent):
            found = unwanted(event.value)
            if found is not None:
                raise self._refuse(
                    "yaml.character", event.start_mark, char=found[1], position=found[0]
                )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                duplicate = key in seen
                seen.add(key)
            except TypeError:  # an unhashable key: the base class reports it
                continue
            if duplicate:
                raise self._refuse("yaml.duplicate_key", key_node.start_mark, name=str(key)[:80])
        return super().construct_mapping(node, deep=deep)


_Loader.add_implicit_resolver("tag:yaml.org,2002:float", _FLOAT_12, list("-+0123456789."))


def load(
    text: str,
    *,
    source: str = "<yaml>",
    max_bytes: int = MAX_BYTES,
    max_nodes: int = MAX_NODES,
) -> tuple[Any, yaml.Node | None]:
    """The document in ``text`` and its node tree (for line numbers), or :class:`YamlRefused`."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise YamlRefused("yaml.too_large", source=source, size=size, limit=max_bytes)
    _count_nodes(text, source, max_nodes)
    try:
        loader = _Loader(text)  # checks every character YAML allows
    except yaml.reader.ReaderError as exc:
        raise _reader_refusal(exc, text, source) from exc
    loader.source = source
    loader.max_nodes = max_nodes
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except YamlRefused:
        raise
    except yaml.reader.ReaderError as exc:
        raise _reader_refusal(exc, text, source) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise YamlRefused(
            "yaml.syntax",
            source=source,
            line=mark.line + 1 if mark is not None else None,
            column=mark.column + 1 if mark is not None else None,
            problem=str(getattr(exc, "problem", None) or exc),
        ) from exc
    finally:
        loader.dispose()
    return data, node


_NODE_EVENTS = (yaml.ScalarEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)


def _count_nodes(text: str, source: str, max_nodes: int) -> None:
    """Refuse a document of too many nodes at the same place the loader would, counted on
    LibYAML's events: the pure-Python composer needs about a second of CPU to reach 50,000
    nodes, which a loaded machine stretches past any sensible wait. Anything else LibYAML
    objects to is left to the loader, whose messages are the ones users see."""
    if not yaml.__with_libyaml__:
        return
    count = 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, _NODE_EVENTS):
                count += 1
                if count > max_nodes:
                    mark = event.start_mark
                    raise YamlRefused(
                        "yaml.too_many_nodes", source=source,
                        line=mark.line + 1 if mark is not None else None,
                        column=mark.column + 1 if mark is not None else None, limit=max_nodes,
                    )  # fmt: skip
    except yaml.YAMLError:
        return


def _reader_refusal(exc: yaml.reader.ReaderError, text: str, source: str) -> YamlRefused:
    """A character YAML itself does not allow, located by line and column."""
    before = text[: exc.position]
    column = len(before) - before.rfind("\n")
    char = describe(chr(exc.character)) if isinstance(exc.character, int) else "?"
    return YamlRefused(
        "yaml.character", source=source, line=before.count("\n") + 1, column=column,
        char=char, position=column,
    )  # fmt: skip


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The UTF-8 text of ``path``, its size checked before a byte is read."""
    size = path.stat().st_size
    if size > max_bytes:
        raise YamlRefused("yaml.too_large", source=path.name, size=size, limit=max_bytes)
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise YamlRefused("yaml.not_utf8", source=path.name) from exc


def load_file(path: Path, *, max_bytes: int = MAX_BYTES, max_nodes: int = MAX_NODES) -> Any:
    """The document in the UTF-8 file ``path`` (its size checked before it is read)."""
    text = read_text(path, max_bytes=max_bytes)
    return load(text, source=path.name, max_bytes=max_bytes, max_nodes=max_nodes)[0]
