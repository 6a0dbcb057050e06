"""Snippets and highlighted titles: the original text, escaped, matching words in <mark>."""

from __future__ import annotations

from tierdesk.search.snippets import SNIPPET_WORDS, highlight, snippet


def test_a_title_is_escaped_whole_with_each_matching_word_marked():
    title = 'VPN & "printer" <down>: printers, VPN!'
    assert highlight(title, {"vpn", "printer"}, "en") == (
        "<mark>VPN</mark> &amp; &quot;<mark>printer</mark>&quot; &lt;down&gt;: "
        "<mark>printers</mark>, <mark>VPN</mark>!"
    )
    assert highlight("<nothing> here", {"vpn"}, "en") == "&lt;nothing&gt; here"
    assert highlight("", {"vpn"}, "en") == ""


def test_a_snippet_is_the_passage_with_most_matches_escaped_and_cut_with_ellipses():
    filler = " ".join(f"kata{n}" for n in range(60))
    text = f"{filler} <b>akun</b> terkunci & akun dibuka lagi; {filler}"
    html = snippet(text, {"akun", "kunci"}, "id")
    # SNIPPET_WORDS words as the index splits them ("<b>akun</b>" is three), from a few
    # words before the first match of the densest passage, with ellipses where text was
    # left out.
    assert SNIPPET_WORDS == 30
    after = " ".join(f"kata{n}" for n in range(21))
    assert html == (
        "… kata58 kata59 &lt;b&gt;<mark>akun</mark>&lt;/b&gt; <mark>terkunci</mark> &amp; "
        f"<mark>akun</mark> dibuka lagi; {after} …"
    )
    # Matches at the very end: the passage is as long as the others and ends with the text.
    ending = snippet(f"{filler} printer jammed?", {"printer"}, "en")
    before = " ".join(f"kata{n}" for n in range(32, 60))
    assert ending == f"… {before} <mark>printer</mark> jammed?"
    # A short text is shown whole, without ellipses, with what comes before its first word
    # and after its last.
    assert snippet("Printer <jam>", {"printer"}, "en") == "<mark>Printer</mark> &lt;jam&gt;"
    assert snippet('\n"Printer" jammed?\n', {"printer"}, "en") == (
        "&quot;<mark>Printer</mark>&quot; jammed?"
    )
    assert snippet("   ", {"printer"}, "en") == ""
