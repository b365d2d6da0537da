"""Customer text is data: template syntax and HTML in it are shown, never run."""

from .scenario import Scenario, email

NASTY = "Order 10492 broke {{ 7*7 }} {% for x in range(3) %}x{% endfor %} <script>alert(1)</script>"


def test_template_syntax_and_html_from_the_customer_stay_verbatim(tmp_path):
    raw = email(NASTY + "\nPhotos attached.", subject="help {{ config }} <b>now</b>", photos=1)
    verdict, reply = Scenario(tmp_path).run(raw, "defective_item", orders=[{}])
    assert verdict.action == "acknowledge_defect_claim"
    assert "> " + NASTY in reply.body  # quoted as written
    assert "broke 49" not in reply.body and "xxx" not in reply.body  # nothing evaluated
    assert reply.subject == "Re: help {{ config }} <b>now</b>"
    assert "<script>" not in reply.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.html
    assert "{{ 7*7 }}" in reply.html and "{% for x in range(3) %}" in reply.html


def test_customer_name_with_template_syntax_is_data(tmp_path):
    raw = email("Where is my order #10492?", sender='"{{ 7*7 }} <i>Eve</i>" <eve@example.com>')
    _, reply = Scenario(tmp_path).run(raw, "order_status", orders=[{}])
    assert reply.body.startswith("Hello there,")  # not a name to greet anyone by
    assert "{{ 7*7 }} <i>Eve</i> wrote:" in reply.body  # shown as written where the reply quotes
    assert "Hello 49" not in reply.body and "49 <i>" not in reply.body
    assert "&lt;i&gt;Eve&lt;/i&gt;" in reply.html and "<i>" not in reply.html
