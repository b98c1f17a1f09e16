"""Raw mail → normalised mail: Turkish in every common encoding, broken MIME, odd headers. No database."""

from __future__ import annotations

import base64
import random

import pytest

from biys.servicedesk.mail.intake import clean_subject
from biys.servicedesk.mail.parse import (
    MAX_BODY_CHARS,
    decode_header_value,
    decode_text,
    html_to_text,
    normalise_id,
    parse_mail,
    safe_file_name,
)

from .mail_helpers import fixture, mail


def b_word(text: str, charset: str) -> str:
    return f"=?{charset}?B?{base64.b64encode(text.encode(charset)).decode()}?="


# -- headers ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("charset", ["utf-8", "iso-8859-9", "windows-1254"])
def test_b_encoded_subject_in_each_turkish_charset(charset: str) -> None:
    assert decode_header_value(b_word("Ağ bağlantısı yok, İnternet çalışmıyor", charset)) == (
        "Ağ bağlantısı yok, İnternet çalışmıyor"
    )


def test_q_encoded_subject_in_iso_8859_9() -> None:
    assert decode_header_value("=?iso-8859-9?Q?Yaz=FDc=FD_=E7al=FD=FEm=FDyor?=") == "Yazıcı çalışmıyor"


def test_a_letter_split_across_two_encoded_words_is_joined() -> None:
    raw = "Şifre sıfırlama".encode()
    header = f"=?utf-8?B?{base64.b64encode(raw[:1]).decode()}?=\r\n =?utf-8?B?{base64.b64encode(raw[1:]).decode()}?="
    assert decode_header_value(header) == "Şifre sıfırlama"


def test_plain_text_around_encoded_words_keeps_its_spaces() -> None:
    assert decode_header_value("YNT: =?utf-8?Q?=C3=A7ok_acil?= [BİYS #2026-000001]") == (
        "YNT: çok acil [BİYS #2026-000001]"
    )


def test_unknown_charset_in_an_encoded_word_falls_back_to_windows_1254() -> None:
    assert decode_header_value("=?x-bilinmeyen?Q?Yaz=FDc=FD?=") == "Yazıcı"


def test_a_broken_encoded_word_stays_as_it_was() -> None:
    assert decode_header_value("Bozuk =?utf-8?B?!!!?= ileti") == "Bozuk =?utf-8?B?!!!?= ileti"


def test_raw_8bit_utf8_subject_is_read() -> None:
    parsed = parse_mail(fixture("latin1_turkish.eml"))
    assert parsed.subject == "Yazıcı çalışmıyor"


def test_sender_name_and_address_are_decoded() -> None:
    parsed = parse_mail(fixture("cp1254_outlook.eml"))
    assert parsed.sender == "sukru.isik@belediye.test"
    assert parsed.sender_name == "Şükrü Işık"


def test_references_nearest_first_and_in_reply_to_before_them() -> None:
    raw = b"References: <a@x> <b@x>\r\n <c@x>\r\n" + mail(in_reply_to="<c@x>").as_bytes()
    assert parse_mail(raw).references == ["<c@x>", "<b@x>", "<a@x>"]


def test_a_message_id_longer_than_the_column_is_hashed_stably() -> None:
    long_id = "<" + "x" * 300 + "@belediye.test>"
    assert len(normalise_id(long_id)) <= 255
    assert normalise_id(long_id) == normalise_id(long_id)
    assert normalise_id("abc@x") == "<abc@x>"


# -- bodies -----------------------------------------------------------------------------------------------------


def test_windows_1254_quoted_printable_body() -> None:
    parsed = parse_mail(fixture("cp1254_outlook.eml"))
    assert parsed.subject == "Ağ bağlantısı yok, İnternet çalışmıyor"
    assert parsed.body == "Günaydın,\nİmar Müdürlüğü 2. kattaki ağ prizi çalışmıyor; ışıklar yanmıyor.\nŞükrü Işık"


def test_utf8_base64_body_and_split_subject() -> None:
    parsed = parse_mail(fixture("utf8_base64.eml"))
    assert parsed.subject == "Şifre sıfırlama: EBYS girişi olmuyor"
    assert parsed.body == "EBYS şifremi unuttum, sıfırlayabilir misiniz? Çok acil."
    assert parsed.sender_name == "Gülşen Öztürk"


def test_iso_8859_9_base64_body() -> None:
    parsed = parse_mail(fixture("iso8859_9.eml"))
    assert parsed.subject == "Kamera kaydı görüntülenemiyor"
    assert parsed.body == "Çarşı girişindeki kameranın kaydı ışık yüzünden görünmüyor."


def test_latin1_declared_but_turkish_is_read_as_windows_1254() -> None:
    assert parse_mail(fixture("latin1_turkish.eml")).body == "Karşıyaka şubesindeki yazıcı çalışmıyor."


def test_unknown_and_wrong_charsets_fall_back_without_losing_the_letters() -> None:
    parsed = parse_mail(fixture("unknown_charset.eml"))
    assert parsed.subject == "Yazıcı toneri"
    assert "Yazıcının toneri bitti, şimdi de çöp kutusu doldu." in parsed.body
    assert "İşleri hızlandırın lütfen." in parsed.body  # declared UTF-8, sent as Windows-1254


def test_undecodable_bytes_become_replacement_characters_never_an_error() -> None:
    # 0x81 is undefined in Windows-1254 and invalid in UTF-8
    assert decode_text(b"a\x81b", "utf-8") == "a\ufffdb"
    assert decode_text(b"nul\x00byte") == "nulbyte"  # PostgreSQL cannot store NUL


def test_html_only_mail_becomes_readable_text() -> None:
    parsed = parse_mail(fixture("html_only.eml"))
    assert parsed.body == "Merhaba,\n\nDahili hat 4512 & 4513 çalışmıyor.\n\n- Santral: A blok\n- Kat: 3\n\nTeşekkürler"
    assert parsed.subject == "Telefon hattı"


def test_plain_text_is_preferred_over_its_html_alternative() -> None:
    parsed = parse_mail(mail(body="Düz metin", html="<p>HTML <b>metin</b></p>").as_bytes())
    assert parsed.body == "Düz metin"


def test_html_converter_drops_scripts_and_keeps_entities() -> None:
    assert html_to_text("<p>a &lt;b&gt; &amp; ç</p><script>x()</script><style>p{}</style><br>son") == (
        "a <b> & ç\n\nson"
    )
    assert html_to_text("<p>kapanmamış <b>etiket <div>") == "kapanmamış etiket"


def test_a_very_long_body_is_cut() -> None:
    parsed = parse_mail(mail(body="ş" * (MAX_BODY_CHARS + 10)).as_bytes())
    assert len(parsed.body) == MAX_BODY_CHARS
    assert parsed.truncated


# -- attachments ------------------------------------------------------------------------------------------------


def test_attachments_keep_their_decoded_names_without_directories() -> None:
    parsed = parse_mail(fixture("attachments.eml"))
    assert parsed.body == "Hata raporu ektedir."
    assert [(f.name, f.content_type) for f in parsed.files] == [
        ("arıza raporu.pdf", "application/pdf"),
        ("kurulum.exe", "application/octet-stream"),
    ]
    assert parsed.files[0].content.startswith(b"%PDF-1.4")


def test_a_raw_8bit_file_name_is_read() -> None:
    raw = (
        b"From: a@b.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=X\r\n\r\n"
        b"--X\r\nContent-Type: text/plain\r\n\r\nmetin\r\n--X\r\nContent-Type: application/pdf\r\n"
        b'Content-Disposition: attachment; filename="Ar\xc4\xb1za.pdf"\r\n\r\n%PDF-1\r\n--X--\r\n'
    )
    assert [f.name for f in parse_mail(raw).files] == ["Arıza.pdf"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Windows\\evil.exe", "evil.exe"),
        ("rapor\x00\x07.pdf", "rapor.pdf"),
        ("", "attachment.pdf"),
        ("..", "attachment.pdf"),
    ],
)
def test_file_names_are_only_labels(name: str, expected: str) -> None:
    assert safe_file_name(name, "application/pdf") == expected


# -- odd mails --------------------------------------------------------------------------------------------------


def test_broken_mime_gives_its_text() -> None:
    parsed = parse_mail(fixture("broken_mime.eml"))
    assert parsed.message_id == "<broken-mime-1@belediye.test>"
    assert "monitör görüntü vermiyor" in parsed.body


def test_no_subject_is_empty_not_none() -> None:
    parsed = parse_mail(fixture("no_subject.eml"))
    assert parsed.subject == ""
    assert parsed.body == "Fare calismiyor."


def test_a_mail_without_message_id_gets_a_stable_synthetic_one() -> None:
    raw = fixture("no_message_id.eml")
    first = parse_mail(raw).message_id
    assert first.endswith("@synthetic.biys.invalid>")
    # the same mail delivered again through another hop: same id
    assert parse_mail(b"Received: from relay2\r\n" + raw).message_id == first
    assert parse_mail(raw.replace(b"dusuk", b"bitti")).message_id != first


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-replied"},
        {"Precedence": "bulk"},
        {"X-Autoreply": "yes"},
    ],
)
def test_automatic_mail_is_recognised(headers: dict[str, str]) -> None:
    assert parse_mail(mail(**headers).as_bytes()).is_automatic
    assert not parse_mail(mail(Auto_Submitted="no").as_bytes()).is_automatic


def test_garbage_never_raises() -> None:
    generator = random.Random(20261123)
    for _ in range(300):
        raw = bytes(generator.randrange(256) for _ in range(generator.randrange(1, 400)))
        parsed = parse_mail(raw)
        assert parsed.message_id.startswith("<")
        assert "\x00" not in parsed.body


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("YNT: RE: [BİYS #2026-000123] Yazıcı çalışmıyor", "Yazıcı çalışmıyor"),
        ("İLT: Fwd: Ağ sorunu", "Ağ sorunu"),
        ("Re: Re:  Yanıt: soru", "soru"),
        ("Ynt:", ""),
        ("Konu " * 100, ("Konu " * 100)[:200].strip()),
    ],
)
def test_ticket_title_from_a_subject(subject: str, title: str) -> None:
    assert clean_subject(subject) == title
