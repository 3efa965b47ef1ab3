"""The body's blocks (builder/parse/body.py) and their Markdown (builder/parse/markdown.py):
a Markdown table (a reader's table kept in the body) stays one block, as it is."""

from __future__ import annotations

from builder.parse.body import split_blocks
from builder.parse.markdown import blocks_markdown

TABLE = ["| TT | Cụm | Diện tích (ha) |", "|---|---|---|", "| 1 | Đầm Hồng | 16 |", "| 2 | Âu Lâu | 50 |"]


def test_markdown_table_is_one_block_kept_as_it_is():
    blocks = split_blocks(["Phụ lục 1", "DANH SÁCH CÁC CỤM", "", *TABLE, "", "Phụ lục 2"])
    assert [(b.kind, b.text) for b in blocks] == [
        ("para", "Phụ lục 1"), ("para", "DANH SÁCH CÁC CỤM"), ("table", "\n".join(TABLE)), ("para", "Phụ lục 2")]
    assert "\n".join(TABLE) + "\n" in blocks_markdown(blocks)


def test_a_table_does_not_swallow_the_next_line():
    # an unfinished line after a table starts a paragraph of its own
    blocks = split_blocks([*TABLE, "và các cụm khác"])
    assert [b.kind for b in blocks] == ["table", "para"]


def test_two_tables_apart_are_two_blocks():
    blocks = split_blocks([*TABLE, "", *TABLE])
    assert [b.kind for b in blocks] == ["table", "table"]
