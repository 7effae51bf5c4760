"""`keep_signature`: the signature block (落款) put together with the last piece of
text before it, for Chromium to print on one page (the browser tests print it:
tests/test_bulletin_pdf_pages.py)."""

from __future__ import annotations

from luoshi_cli.report.bulletin.pdf import keep_signature

SIG = '<div class="signature">\n<p>市委督查室</p>\n<p>2024年6月30日</p>\n</div>'


def test_a_table_gives_its_last_row_to_the_signature() -> None:
    page = ("<section><table><thead><tr><th>序号</th><th colspan=\"2\">任务</th></tr>"
            "</thead><tbody>\n<tr><td>1</td><td>a</td><td>b</td></tr>\n"
            "<tr><td>2</td><td colspan=\"2\">c</td></tr>\n</tbody>\n</table>\n</section>\n\n"
            f"{SIG}\n<div class=\"colophon\"><p>抄送</p></div>")
    assert keep_signature(page) == (
        "<section><table><thead><tr><th>序号</th><th colspan=\"2\">任务</th></tr>"
        "</thead><tbody>\n<tr><td>1</td><td>a</td><td>b</td></tr>\n"
        "</tbody><tbody class=\"luoshi-end\"><tr><td>2</td><td colspan=\"2\">c</td></tr>\n"
        f"<tr class=\"luoshi-end\"><td colspan=\"3\">{SIG}</td></tr></tbody>\n</table>\n"
        "</section>\n\n\n<div class=\"colophon\"><p>抄送</p></div>")


def test_a_list_gives_its_last_item() -> None:
    page = f"<ol>\n<li>一</li>\n<li>二</li>\n</ol>\n</section>\n{SIG}"
    assert keep_signature(page) == f"<ol>\n<li>一</li>\n<li>二{SIG}</li>\n</ol>\n</section>\n"


def test_a_paragraph_is_wrapped_with_it() -> None:
    page = f"<p>甲。</p>\n<p class=\"x\">乙。</p>\n</section>\n{SIG}\n"
    assert keep_signature(page) == (
        f"<p>甲。</p>\n<div class=\"luoshi-end\"><p class=\"x\">乙。</p>{SIG}</div>"
        "\n</section>\n\n")


def test_anything_else_is_left_alone() -> None:
    for page in (f"<figure>x</figure>{SIG}", "<p>no signature</p>",
                 f"<table><tr><td>1</td></tr></table>{SIG}",  # no tbody written
                 '<p>a</p><div class="signature"><div>nested</div></div>'):
        assert keep_signature(page) == page
