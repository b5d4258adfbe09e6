"""``LspTextDocument`` applies an incremental change by slicing its text: whatever the range
(past the end of a line or of the file, reversed, over odd line breaks and astral
characters), the text it ends with is the text pygls' own line-by-line algorithm produces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lsprotocol import types
from pygls.workspace import PositionCodec, TextDocument

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
