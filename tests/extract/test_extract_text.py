"""The customer's new text apart from quoted history, forwards and signatures."""

import pytest

from mailbot.extract.text import body_text, split_quoted

NEW = "The spacebar on order 10492 is cracked."
OLD = "Your order 10455 has shipped."


@pytest.mark.parametrize("client, body", [
    ("gmail", f"{NEW}\n\nOn Mon, Nov 2, 2026 at 10:02 AM Keysme Support <support@keysme.com> wrote:\n\n> {OLD}\n"),
    ("gmail wrapped", f"{NEW}\n\nOn Mon, Nov 2, 2026 at 10:02 AM Keysme Support <support@keysme.com>\nwrote:\n\n> {OLD}\n"),
    ("apple mail", f"{NEW}\n\n> On 2 Nov 2026, at 10:02, Keysme Support <support@keysme.com> wrote:\n>\n> {OLD}"),
    ("outlook", f"{NEW}\n\nFrom: Keysme Support <support@keysme.com>\nSent: Monday, November 2, 2026 10:02 AM\n"
                f"To: Laura <laura@web.de>\nSubject: RE: order\n\n{OLD}"),
    ("outlook underscores", f"{NEW}\n\n________________________________\nFrom: Keysme Support\nSent: Monday\n\n{OLD}"),
    ("original message", f"{NEW}\n\n-----Original Message-----\nFrom: Keysme\nSent: 2 Nov\nSubject: x\n\n{OLD}"),
    ("plain > quoting", f"{NEW}\n\n> {OLD}\n> Best, Keysme"),
    ("german outlook", f"{NEW}\n\nVon: Keysme Support <support@keysme.com>\nGesendet: Montag, 2. November 2026 10:02\n"
                       f"An: Laura\nBetreff: AW: Bestellung\n\n{OLD}"),
    ("german gmail", f"{NEW}\n\nAm Mo., 2. Nov. 2026 um 10:02 Uhr schrieb Keysme Support <support@keysme.com>:\n> {OLD}"),
    ("french", f"{NEW}\n\nLe lun. 2 nov. 2026 à 10:02, Keysme Support <support@keysme.com> a écrit :\n> {OLD}"),
    ("spanish", f"{NEW}\n\nEl lun, 2 nov 2026 a las 10:02, Keysme Support (<support@keysme.com>) escribió:\n> {OLD}"),
    ("italian", f"{NEW}\n\nIl giorno lun 2 nov 2026 alle ore 10:02 Keysme Support <support@keysme.com> ha scritto:\n> {OLD}"),
    ("dutch", f"{NEW}\n\nOp ma 2 nov. 2026 om 10:02 schreef Keysme Support <support@keysme.com>:\n> {OLD}"),
    ("portuguese", f"{NEW}\n\nEm seg., 2 de nov. de 2026 às 10:02, Keysme <support@keysme.com> escreveu:\n> {OLD}"),
    ("swedish", f"{NEW}\n\nDen 2 nov. 2026 kl. 10:02 skrev Keysme <support@keysme.com>:\n> {OLD}"),
    ("gmail forward", f"{NEW}\n\n---------- Forwarded message ---------\nFrom: Keysme <orders@keysme.com>\n"
                      f"Date: Mon, Nov 2, 2026 at 10:02 AM\nSubject: Order #10455 confirmed\n\n{OLD}"),
    ("apple forward", f"{NEW}\n\nBegin forwarded message:\n\nFrom: Keysme <orders@keysme.com>\nSubject: shipped\n\n{OLD}"),
    ("german forward", f"{NEW}\n\n-------- Weitergeleitete Nachricht --------\nVon: Keysme\nDatum: 2.11.2026\n\n{OLD}"),
])
def test_quoted_history_is_split_off(client, body):
    split = split_quoted(body)
    assert NEW in split.new, client
    assert "10455" not in split.new, client
    assert "10455" in split.quoted, client


@pytest.mark.parametrize("body, new, signature", [
    ("Photos attached.\n\nSent from my iPhone", "Photos attached.", "Sent from my iPhone"),
    ("Fotos anbei.\n\nVon meinem iPhone gesendet", "Fotos anbei.", "Von meinem iPhone gesendet"),
    ("It is broken.\n\nBest regards\nMark Smith\nTel +44 7700 900123", "It is broken.",
     "Best regards\nMark Smith\nTel +44 7700 900123"),
    ("Kaputt.\n\nMit freundlichen Grüßen\nJörg Weber\nMusterstr. 5, 10492 Berlin", "Kaputt.",
     "Mit freundlichen Grüßen\nJörg Weber\nMusterstr. 5, 10492 Berlin"),
    ("Cassé.\n\nCordialement,\nCamille", "Cassé.", "Cordialement,\nCamille"),
    ("My keycaps are cracked.\n\n-- \nMark Smith\nAcme Ltd, London SW1A 1AA", "My keycaps are cracked.",
     "--\nMark Smith\nAcme Ltd, London SW1A 1AA"),
])
def test_signatures_are_split_off(body, new, signature):
    split = split_quoted(body)
    assert (split.new, split.signature) == (new, signature)


@pytest.mark.parametrize("body", [
    # "Thanks," starting a sentence in the middle is not a sign-off.
    "Hi,\n\nThanks, I got the package but one keycap is cracked.\nOrder 10492 please check.",
    # A list is not a signature (mail-parser-reply's default would cut here).
    "Hi,\nProblems:\n- the spacebar rattles\n- two keycaps missing\nOrder number is 10492.",
    # A sign-off followed by more prose is the message going on.
    "Thanks!\nAlso, I forgot: my order number is 10492 and I would like a refund please.",
])
def test_the_customers_words_are_not_mistaken_for_a_signature(body):
    assert "10492" in split_quoted(body).new


def test_inline_replies_keep_the_customers_answers():
    body = "> Which colour did you order?\nBlue, order 10492.\n> And the layout?\nISO-DE."
    split = split_quoted(body)
    assert split.new == "Blue, order 10492.\nISO-DE."
    assert "Which colour" in split.quoted


def test_forwards_are_flagged():
    body = f"FYI\n\n---------- Forwarded message ---------\nFrom: Keysme\n\n{OLD}"
    assert split_quoted(body).forwarded


def test_html_only_mail_becomes_clean_text_without_its_quote():
    html = ('<div dir="ltr">Hi, the <b>spacebar</b> is cracked.<br>Order 10492</div><br>'
            '<div class="gmail_quote"><div class="gmail_attr">On Mon, Nov 2 Keysme wrote:</div>'
            '<blockquote class="gmail_quote">Your order 10455 has shipped.</blockquote></div>')
    body = body_text("", html)
    assert body.new == "Hi, the spacebar is cracked.\nOrder 10492"
    assert "10455" in body.quoted


def test_outlook_html_history_runs_to_the_end():
    html = ('<html><body><div class="WordSection1"><p>It arrived cracked.</p><div id="appendonsend"></div>'
            '<hr><div id="divRplyFwdMsg"><b>From:</b> Keysme<br><b>Sent:</b> Monday</div>'
            '<div>Your order 10455 shipped</div></div><p>more history</p></body></html>')
    body = body_text("", html)
    assert body.new == "It arrived cracked."
    assert "10455" in body.quoted and "more history" in body.quoted


def test_apple_mail_html_blockquote_is_history_but_text_after_it_is_not():
    html = '<p>See my answers below</p><blockquote type="cite">Which colour?</blockquote><p>Blue please, order 10492</p>'
    body = body_text("", html)
    assert "Blue please, order 10492" in body.new and "Which colour" in body.quoted


def test_a_stub_text_part_gives_way_to_the_html():
    body = body_text("View in browser", "<p>Hello, my keyboard arrived without the cable. Order 10492.</p>")
    assert "without the cable" in body.new
