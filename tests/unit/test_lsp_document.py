"""``LspTextDocument`` applies an incremental change by slicing its text: whatever the range
(past the end of a line or of the file, reversed, over odd line breaks and astral
characters), the text it ends with is the text pygls' own line-by-line algorithm produces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

from shapelens.core.incremental.reparse import split_lines as python_lines
from shapelens.lsp.convert import split_lines
from shapelens.lsp.workspace import LspTextDocument

PIECES = ["x = 1", "\n", "\r\n", "\r", "\f", "\u2028", "é", "😀", "    ", "tf.zeros([2])", ""]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)
positions = st.builds(types.Position, line=st.integers(0, 12), character=st.integers(0, 20))


def document(text: str) -> LspTextDocument:
    return LspTextDocument("file:///t.py", source=text, version=1,
                           position_codec=PositionCodec(types.PositionEncodingKind.Utf16))


@settings(max_examples=500, deadline=None)
@given(texts, positions, positions, st.sampled_from([*PIECES, "a\nb", "😀\r\n"]))
def test_an_incremental_change_gives_pygls_text(text: str, start: types.Position,
                                                end: types.Position, new: str) -> None:
    change = types.TextDocumentContentChangePartial(range=types.Range(start=start, end=end),
                                                    text=new)
    ours, reference = document(text), document(text)
    ours.apply_change(change)
    TextDocument._apply_incremental_change(reference, change)  # pygls' algorithm
    assert ours.source == reference.source


def test_a_keystroke_in_a_long_file_lands_on_its_line() -> None:
    text = "".join(f"x{i} = {i}\n" for i in range(10_000))
    doc = document(text)
    doc.apply_change(types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=9_000, character=8),
                          end=types.Position(line=9_000, character=9)), text="7"))
    lines = doc.source.splitlines()
    assert lines[9_000] == "x9000 = 7000"
    assert lines[8_999] == "x8999 = 8999" and len(lines) == 10_000


NO_CR = [p for p in PIECES if "\r" not in p]
changes = st.lists(st.tuples(positions, positions,
                             st.sampled_from([*NO_CR, "a\nb", "\n\n", "😀\n"])),
                   min_size=1, max_size=6)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(NO_CR), max_size=30).map("".join), changes)
def test_edits_keep_the_lines_of_the_text(text: str,
                                          edits: list[tuple[types.Position, types.Position,
                                                            str]]) -> None:
    """Without ``\\r`` a change splits only the lines it touches (``split``,
    ``python_lines``); after any series of changes the kept lines are the text's, and the
    text is pygls'."""
    ours, reference = document(text), document(text)
    ours.split()  # kept from the start, as an open document's analysis does
    ours.python_lines()
    for start, end, new in edits:
        for doc in (ours, reference):
            change = types.TextDocumentContentChangePartial(
                # fresh positions: pygls clamps a change's columns in place
                range=types.Range(start=types.Position(line=start.line,
                                                       character=start.character),
                                  end=types.Position(line=end.line, character=end.character)),
                text=new)
            if doc is ours:
                doc.apply_change(change)
            else:
                TextDocument._apply_incremental_change(doc, change)
        assert ours.source == reference.source
        assert ours._split is not None and ours._python is not None
        kept = ours._split[0] is ours.source, ours._python[0] is ours.source
        assert ours.split() == split_lines(ours.source)
        assert ours.python_lines() == python_lines(ours.source)
        assert kept[0] == kept[1]  # both kept by a change, or both made again


def test_a_kept_list_is_never_changed_by_a_later_edit() -> None:
    doc = document("a = 1\nb = 2\n")
    before = doc.split()
    copy = list(before)
    doc.apply_change(types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=1, character=4),
                          end=types.Position(line=1, character=5)), text="3\nc = 4"))
    assert before == copy
    assert doc.split() == ["a = 1", "b = 3", "c = 4", ""]
