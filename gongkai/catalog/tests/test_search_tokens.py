"""The index text: token_text, built by interleaving code points, gives the FTS5 ``ascii``
tokenizer exactly the tokens of the plain per-token definition (text.tokens), whatever the text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.catalog.search.text import token_text, tokens

# What the FTS5 ascii tokenizer treats as a separator: every ASCII character that is not a letter
# or digit; every other character (Chinese, full-width punctuation…) belongs to a token.
ASCII_TOKENIZER = re.compile(r"[^\x00-\x2f\x3a-\x40\x5b-\x60\x7b-\x7f]+")

ALPHABET = "公安机关出入境户政的了。，、；“”（）——·ＡＢ１２abcXYZ019 ,.-_/\n\t\r\u3000\u00a0\u2003é"


def fts_tokens(indexed: str) -> list[str]:
    return ASCII_TOKENIZER.findall(indexed)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60) | st.text(max_size=40))
def test_the_index_text_reads_back_as_exactly_the_tokens(text):
    assert fts_tokens(token_text(text)) == tokens(text)


def test_examples_spell_bigrams_and_a_closing_unigram():
    assert fts_tokens(token_text("公安机关")) == ["公安", "安机", "机关", "关"]
    assert fts_tokens(token_text("出入境，ABC-12")) == [
        "出入",
        "入境",
        "境，",
        "，a",
        "ab",
        "bc",
        "c",
        "12",
        "2",
    ]
    assert token_text("") == "" and token_text(" ,.\n") == ""
    assert fts_tokens(token_text("a")) == ["a"]
