"""The test mail servers of tests/mailservers.py, checked with the standard library's clients only:
TLS verified against the servers' own certificate, nothing mocked."""

from __future__ import annotations

import email
import email.policy
import imaplib
import smtplib
import socket
import ssl
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests import mailservers
from tests.mailservers import Dovecot, Smtp, write_self_signed_cert

# The fixtures, taken in as any test file can (or with pytest_plugins = ["tests.mailservers"]).
dovecot = mailservers.dovecot
smtp_server = mailservers.smtp_server
smtps_server = mailservers.smtps_server

RAW = (
    b"From: Wang Fang <fang@example.test>\r\n"
    b"To: desk@example.test\r\n"
    b"Subject: =?utf-8?b?5oql5ZCN6KGo?=\r\n"
    b"Message-ID: <first@example.test>\r\n"
    b"Date: Mon, 20 Mar 2023 09:00:00 +0800\r\n"
    b"MIME-Version: 1.0\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n"
    b"Content-Transfer-Encoding: 8bit\r\n"
    b"\r\n"
    b"\xe6\x8a\xa5\xe5\x90\x8d\xe8\xa1\xa8 attached.\r\n"
)  # CRLF line ends, 8-bit UTF-8 body: what FETCH returns must be these bytes exactly
RAW_2 = RAW.replace(b"<first@", b"<second@")


def tls(ca_file: Path) -> ssl.SSLContext:
    """A client context that trusts only the test certificate (strict X.509 checks, as newer
    Pythons do by default); hostname checking on."""
    context = ssl.create_default_context(cafile=str(ca_file))
    context.verify_flags |= ssl.VERIFY_X509_STRICT
    return context


def imaps(server: Dovecot) -> imaplib.IMAP4_SSL:
    client = imaplib.IMAP4_SSL(server.host, server.imaps_port, ssl_context=tls(server.ca_file), timeout=5)
    client.login(server.user, server.password)
    return client


def fetch(client: imaplib.IMAP4, uid: bytes) -> bytes:
    typ, data = client.uid("FETCH", uid, "(BODY.PEEK[])")
    assert typ == "OK"
    return data[0][1]


def uids(client: imaplib.IMAP4) -> list[bytes]:
    typ, data = client.uid("SEARCH", None, "ALL")
    assert typ == "OK"
    return data[0].split()


def uidvalidity(client: imaplib.IMAP4, folder: str = "INBOX") -> int:
    typ, _ = client.select(folder, readonly=True)
    assert typ == "OK"
    return int(client.response("UIDVALIDITY")[1][0])


def test_imaps_login_finds_the_delivered_message_byte_for_byte(dovecot: Dovecot) -> None:
    dovecot.deliver(RAW)
    with imaps(dovecot) as client:
        assert client.select("INBOX")[0] == "OK"
        found = uids(client)
        assert len(found) == 1
        assert fetch(client, found[0]) == RAW
        assert isinstance(client.sock, ssl.SSLSocket)
    assert dovecot.logins(expect=1) == [(dovecot.user, "TLS")]


def test_a_later_delivery_gets_a_higher_uid_and_other_folders_work(dovecot: Dovecot) -> None:
    dovecot.deliver(RAW)
    with imaps(dovecot) as client:
        client.select("INBOX")
        [first] = uids(client)
        dovecot.deliver(RAW_2)
        client.noop()
        later = uids(client)
        assert later[0] == first and len(later) == 2 and int(later[1]) > int(first)
        assert fetch(client, later[1]) == RAW_2

        dovecot.deliver(RAW, folder="Archive")
        typ, listed = client.list()
        assert typ == "OK" and b'(\\HasNoChildren) "." Archive' in listed
        client.select("Archive")
        [archived] = uids(client)
        assert fetch(client, archived) == RAW


def test_starttls_on_the_plain_port(dovecot: Dovecot) -> None:
    dovecot.deliver(RAW)
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as client:
        assert "STARTTLS" in client.capabilities
        client.starttls(ssl_context=tls(dovecot.ca_file))
        assert isinstance(client.sock, ssl.SSLSocket)
        client.login(dovecot.user, dovecot.password)
        client.select("INBOX")
        assert fetch(client, uids(client)[0]) == RAW
    assert dovecot.logins(expect=1)[-1] == (dovecot.user, "TLS")


def test_a_login_without_starttls_shows_in_the_log(dovecot: Dovecot) -> None:
    """Dovecot counts a loopback client as secure, so the plain port takes a login without TLS even
    with disable_plaintext_auth; a test that cares checks how the client logged in."""
    with imaplib.IMAP4(dovecot.host, dovecot.imap_port, timeout=5) as client:
        client.login(dovecot.user, dovecot.password)
    assert dovecot.logins(expect=1) == [(dovecot.user, "secured")]


def test_a_wrong_password_is_refused_and_the_right_one_still_works(dovecot: Dovecot) -> None:
    client = imaplib.IMAP4_SSL(dovecot.host, dovecot.imaps_port, ssl_context=tls(dovecot.ca_file), timeout=5)
    with pytest.raises(imaplib.IMAP4.error, match="AUTHENTICATIONFAILED"):
        client.login(dovecot.user, dovecot.password + "x")
    client.logout()
    with imaps(dovecot) as client:  # no growing penalty after the failure
        assert client.select("INBOX")[0] == "OK"


def test_reset_uidvalidity_gives_a_new_uidvalidity_and_renumbers(dovecot: Dovecot) -> None:
    dovecot.deliver(RAW)
    dovecot.deliver(RAW_2)
    with imaps(dovecot) as client:
        before = uidvalidity(client)
        client.select("INBOX")
        first, other = uids(client)
        client.uid("STORE", first, "+FLAGS", r"(\Deleted)")
        client.expunge()
        assert uids(client) == [other] and int(other) >= 2
    assert dovecot.uidvalidity() == before

    new = dovecot.reset_uidvalidity()

    with imaps(dovecot) as client:
        assert uidvalidity(client) == new != before
        assert uids(client) == [b"1"]  # the one message left, numbered afresh
        assert fetch(client, b"1") == RAW_2


def test_after_stop_connections_are_refused_and_start_serves_again(dovecot: Dovecot) -> None:
    dovecot.deliver(RAW)
    dovecot.stop()
    assert not dovecot.running
    for port in (dovecot.imaps_port, dovecot.imap_port):
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection((dovecot.host, port), timeout=2)
    with pytest.raises(OSError):
        imaplib.IMAP4_SSL(dovecot.host, dovecot.imaps_port, ssl_context=tls(dovecot.ca_file), timeout=2)

    dovecot.start()
    with imaps(dovecot) as client:
        client.select("INBOX")
        assert fetch(client, uids(client)[0]) == RAW


def test_an_unverified_or_misnamed_certificate_is_refused(dovecot: Dovecot) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(
            dovecot.host, dovecot.imaps_port, ssl_context=ssl.create_default_context(), timeout=5
        )
    with (
        socket.create_connection((dovecot.host, dovecot.imaps_port), timeout=5) as raw,
        pytest.raises(ssl.SSLCertVerificationError, match="mismatch"),
    ):
        tls(dovecot.ca_file).wrap_socket(raw, server_hostname="mail.example.test")
    with imaplib.IMAP4("localhost", dovecot.imap_port, timeout=5) as client:  # the other name in the cert
        client.starttls(ssl_context=tls(dovecot.ca_file))
        client.login(dovecot.user, dovecot.password)


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "desk@example.test"
    msg["To"] = "fang@example.test"
    msg["Subject"] = "报名确认 / Registration received"
    msg["Message-ID"] = "<ack-1@example.test>"
    msg.set_content("已收到。\nReceived.\n")
    return msg


def test_smtp_starttls_and_auth_deliver_a_message_with_its_headers(smtp_server: Smtp) -> None:
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.ehlo()
        assert client.has_extn("starttls") and not client.has_extn("auth")  # no AUTH before TLS
        with pytest.raises(smtplib.SMTPSenderRefused):
            client.sendmail("desk@example.test", ["fang@example.test"], b"Subject: x\r\n\r\nx\r\n")
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.starttls(context=tls(smtp_server.ca_file))
        client.ehlo()
        assert client.has_extn("auth")
        client.login(smtp_server.user, smtp_server.password)
        assert client.send_message(message()) == {}

    [received] = smtp_server.messages
    assert received.mail_from == "desk@example.test"
    assert received.rcpt_tos == ("fang@example.test",)
    assert received.login == smtp_server.user
    parsed = email.message_from_bytes(received.content, policy=email.policy.default)
    assert parsed["Subject"] == "报名确认 / Registration received"
    assert parsed["Message-ID"] == "<ack-1@example.test>"
    assert parsed.get_content().splitlines() == ["已收到。", "Received."]  # CRLF on the wire


def test_smtp_wrong_password_is_refused(smtp_server: Smtp) -> None:
    with smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client:
        client.starttls(context=tls(smtp_server.ca_file))
        with pytest.raises(smtplib.SMTPAuthenticationError) as refused:
            client.login(smtp_server.user, smtp_server.password + "x")
        assert refused.value.smtp_code == 535
        with pytest.raises(smtplib.SMTPSenderRefused):
            client.send_message(message())
    assert smtp_server.messages == []


def test_smtp_unverified_certificate_is_refused(smtp_server: Smtp) -> None:
    with (
        smtplib.SMTP(smtp_server.host, smtp_server.port, timeout=5) as client,
        pytest.raises(ssl.SSLCertVerificationError),
    ):
        client.starttls(context=ssl.create_default_context())


def test_smtps_implicit_tls(smtps_server: Smtp) -> None:
    with pytest.raises(ssl.SSLCertVerificationError):
        smtplib.SMTP_SSL(
            smtps_server.host, smtps_server.port, context=ssl.create_default_context(), timeout=5
        )
    context = tls(smtps_server.ca_file)
    with smtplib.SMTP_SSL(smtps_server.host, smtps_server.port, context=context, timeout=5) as client:
        with pytest.raises(smtplib.SMTPSenderRefused):  # AUTH first
            client.send_message(message())
        client.login(smtps_server.user, smtps_server.password)
        client.send_message(message())
    [received] = smtps_server.messages
    assert received.login == smtps_server.user
    assert b"Message-ID: <ack-1@example.test>" in received.content


def test_one_certificate_for_both_servers(tmp_path: Path) -> None:
    cert = write_self_signed_cert(tmp_path / "tls")
    assert cert.ca_file == cert.cert and cert.key.stat().st_mode & 0o077 == 0
    with (
        Dovecot(tmp_path / "imap", cert=cert) as imap,
        Smtp(tmp_path / "smtp", cert=cert, user="other@example.test", password="pw-for-test") as smtp,
    ):
        assert imap.ca_file == smtp.ca_file == cert.cert
        with imaps(imap) as client:
            assert client.select("INBOX") == ("OK", [b"0"])
        with smtplib.SMTP(smtp.host, smtp.port, timeout=5) as client:
            client.starttls(context=tls(cert.ca_file))
            client.login("other@example.test", "pw-for-test")
    assert not imap.running
