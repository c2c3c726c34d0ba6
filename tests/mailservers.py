"""Real mail servers on 127.0.0.1 for tests: Debian's dovecot (IMAP) and aiosmtpd (SMTP).

Nothing here is a mock: the tests talk to the servers with the standard library's clients, over TLS
with a self-signed certificate (`ca_file`) that verification accepts for 127.0.0.1 and localhost.
Every file of a server (config, log, state, mail) lives in the folder it is given.

Use the fixtures `dovecot`, `smtp_server` (STARTTLS) and `smtps_server` (implicit TLS): with
`pytest_plugins = ["tests.mailservers"]` in tests/conftest.py, or in one test file by name
(`dovecot = mailservers.dovecot`, as tests/test_mailservers.py does); or the classes directly.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import errno
import grp
import hmac
import ipaddress
import logging
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

HOST = "127.0.0.1"
DOVECOT = Path("/usr/sbin/dovecot")
DOVEADM = Path("/usr/bin/doveadm")
DH_PARAMS = Path("/usr/share/dovecot/dh.pem")  # shipped by dovecot-core
USER = "desk@example.test"
START_TIMEOUT = 15.0
_ENV = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C"}
_deliveries = count()


def _not_login_data_notice(record: logging.LogRecord) -> bool:
    return "login_data is deprecated" not in record.getMessage()


# aiosmtpd itself sets the deprecated Session.login_data on every AUTH and logs a warning each time.
logging.getLogger("mail.log").addFilter(_not_login_data_notice)


class CertFiles(NamedTuple):
    """A self-signed certificate and its key (PEM files); the certificate is its own CA."""

    cert: Path
    key: Path

    @property
    def ca_file(self) -> Path:
        return self.cert


def write_self_signed_cert(folder: Path, days: int = 30) -> CertFiles:
    """Write cert.pem and key.pem for 127.0.0.1 and localhost into `folder` (made if missing)."""
    folder.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        os.fchmod(fd, 0o600)
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    return CertFiles(cert_path, key_path)


def free_ports(n: int = 1) -> list[int]:
    """`n` different TCP ports on 127.0.0.1 that nothing listens on right now."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(n)]
        for s in sockets:
            s.bind((HOST, 0))
        return [s.getsockname()[1] for s in sockets]


_prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in the forked child


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM when the test process dies, so no server outlives it."""
    _prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _group_alive(pgid: int) -> bool:
    """Whether a process of group `pgid` has not exited yet (a zombie has: its sockets are closed)."""
    with os.scandir("/proc") as entries:
        for entry in entries:
            if not entry.name.isdigit():
                continue
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            state, _ppid, pgrp = stat.rsplit(")", 1)[1].split()[:3]
            if int(pgrp) == pgid and state not in "ZX":
                return True
    return False


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _read_from(path: Path, offset: int) -> bytes:
    if not path.exists():
        return b""
    with path.open("rb") as f:
        f.seek(offset)
        return f.read()


def _tail(path: Path, lines: int) -> str:
    if not path.exists():
        return f"({path.name} is empty)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


class Dovecot:
    """A private dovecot IMAP server on 127.0.0.1 (IMAPS and STARTTLS ports) with one user.

    Started as root (as on CI), its mail processes run as the `dovecot` system user, chrooted
    into `<directory>/mail` (dovecot never serves mail as root, and pytest's temporary folders
    are private to root); as another user, everything runs as that user.

    Dovecot counts a loopback client as secure: the plain port takes a login without STARTTLS
    (disable_plaintext_auth or not). `logins()` tells how each client logged in.
    """

    host = HOST

    def __init__(
        self,
        directory: Path,
        *,
        user: str = USER,
        password: str | None = None,
        cert: CertFiles | None = None,
    ) -> None:
        if not DOVECOT.exists():
            raise FileNotFoundError(
                f"{DOVECOT} is missing: run `make mail-deps` (apt-get install dovecot-imapd)"
            )
        self.directory = Path(directory).resolve()
        self.directory.mkdir(parents=True, exist_ok=True)
        self.user = user
        self.password = password or secrets.token_urlsafe(16)
        if any(c in f"{user}{self.password}" for c in ":\n\r\0"):
            raise ValueError("user and password must not contain ':' or line breaks (passwd-file)")
        self.cert = cert or write_self_signed_cert(self.directory / "tls")
        self.imaps_port, self.imap_port = free_ports(2)
        self.config_file = self.directory / "dovecot.conf"
        # Its sockets live in a short folder of their own: a Unix socket's path has at most 107
        # bytes, which pytest's temporary folders (more so under xdist) can pass.
        self.run_dir = Path(tempfile.mkdtemp(prefix="dovecot-", dir="/tmp"))
        self.log_file = self.directory / "dovecot.log"
        self._output_file = self.directory / "dovecot.out"
        self._logs = (self.log_file, self._output_file)
        self._process: subprocess.Popen[bytes] | None = None
        self._root = os.geteuid() == 0
        if self._root:
            mail_user = pwd.getpwnam("dovecot")  # both made by Debian's dovecot-core
            pwd.getpwnam("dovenull")
        else:
            mail_user = pwd.getpwuid(os.geteuid())
        self._uid, self._gid, self._user_name = mail_user.pw_uid, mail_user.pw_gid, mail_user.pw_name
        self.mail_home = self.directory / "mail"
        self.maildir = self.mail_home / "Maildir"
        self._make_dir(self.mail_home)
        for sub in ("new", "cur", "tmp"):
            self._make_dir(self.maildir / sub)
        passwd = self.directory / "passwd"
        passwd.touch(mode=0o600)
        passwd.write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")

    @property
    def ca_file(self) -> Path:
        return self.cert.ca_file

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _make_dir(self, path: Path) -> None:
        """Make `path` and any missing parents, owned by the mail user."""
        if path.is_dir():
            return
        self._make_dir(path.parent)
        path.mkdir()
        if self._root:
            os.chown(path, self._uid, self._gid)

    def _config(self) -> str:
        d = self.directory
        if self._root:
            users = "default_internal_user = dovecot\ndefault_login_user = dovenull"
            # "/./" in the home chroots the mail process there (the folders above are root's only)
            home, chroot = f"{self.mail_home}/./", f"valid_chroot_dirs = {self.mail_home}"
            auth, login_chroot = "  # reads the passwd file in the private folder\n  user = root", ""
        else:
            group = grp.getgrgid(self._gid).gr_name
            users = (
                f"default_internal_user = {self._user_name}\ndefault_internal_group = {group}\n"
                f"default_login_user = {self._user_name}"
            )
            home, chroot, auth, login_chroot = str(self.mail_home), "", "", "  chroot =\n"
        dh = f"ssl_dh = <{DH_PARAMS}" if DH_PARAMS.exists() else ""
        return f"""# Written by tests/mailservers.py: nothing outside {d} is read or written.
protocols = imap
listen = {HOST}
instance_name = desk-test-{self.imaps_port}
base_dir = {self.run_dir}
state_dir = {d}/state
log_path = {self.log_file}
{users}
first_valid_uid = 1
first_valid_gid = 1
{chroot}
ssl = yes
ssl_cert = <{self.cert.cert}
ssl_key = <{self.cert.key}
{dh}
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
# folders made by deliver() show at once (the list index would only notice them later)
mailbox_list_index = no
mail_max_userip_connections = 100
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/passwd
}}
userdb {{
  driver = static
  args = uid={self._uid} gid={self._gid} home={home}
}}
service auth {{
{auth}
}}
service anvil {{
{login_chroot}  # no growing delay after failed logins
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
service imap-login {{
{login_chroot}  inet_listener imap {{
    address = {HOST}
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {self.imaps_port}
    ssl = yes
  }}
}}
"""

    def start(self) -> Dovecot:
        """Start dovecot (`dovecot -c CONFIG -F`); return once it greets on both ports."""
        if self.running:
            return self
        for attempt in range(3):
            marks = [_size(self.log_file), _size(self._output_file)]
            (self.directory / "state").mkdir(exist_ok=True)
            self.config_file.write_text(self._config())
            with self._output_file.open("ab") as out:
                self._process = subprocess.Popen(
                    [str(DOVECOT), "-c", str(self.config_file), "-F"],
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=_ENV,
                    start_new_session=True,  # its own process group, so stop() ends every process
                    preexec_fn=_die_with_parent,
                )
            try:
                self._wait_ready()
                return self
            except RuntimeError:
                self.stop()
                said = b"".join(_read_from(f, mark) for f, mark in zip(self._logs, marks, strict=True))
                if attempt == 2 or b"Address already in use" not in said:
                    raise
                self.imaps_port, self.imap_port = free_ports(2)  # another process took one meanwhile
        raise AssertionError("unreachable")

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        problem = "no answer"
        while time.monotonic() < deadline:
            if self._process is None or self._process.poll() is not None:
                problem = f"dovecot exited with {self._process.returncode if self._process else None}"
                break
            try:
                with socket.create_connection((HOST, self.imaps_port), timeout=2):
                    pass
                with socket.create_connection((HOST, self.imap_port), timeout=2) as s:
                    s.settimeout(2)
                    if s.recv(200).startswith(b"* OK"):
                        return
            except OSError as exc:
                problem = repr(exc)
            time.sleep(0.05)
        raise RuntimeError(f"dovecot did not start ({problem}); its log ends:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop dovecot at once: SIGKILL to all its processes (a graceful stop takes dovecot a
        second; maildir and indexes are crash-safe). Afterwards its ports refuse connections."""
        process, self._process = self._process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _group_alive(process.pid):  # a login process still holding a listener keeps it open
            if time.monotonic() > deadline:
                raise RuntimeError(f"dovecot's processes (group {process.pid}) outlived SIGKILL")
            time.sleep(0.01)

    def log_tail(self, lines: int = 40) -> str:
        """The end of dovecot's log file and of its own output."""
        return f"{_tail(self.log_file, lines)}\n{_tail(self._output_file, lines)}"

    def logins(self, expect: int = 0, timeout: float = 5.0) -> list[tuple[str, str]]:
        """(user, security) of every successful login in the log, oldest first, waiting up to
        `timeout` s until there are `expect`. Security is "TLS" (IMAPS or after STARTTLS) or
        "secured" (no TLS: dovecot lets a loopback client log in without it, whatever the config)."""
        deadline = time.monotonic() + timeout
        while True:
            text = self.log_file.read_text(errors="replace") if self.log_file.exists() else ""
            found = re.findall(r"imap-login: Info: Login: user=<([^>]*)>.*?, (TLS|secured)[,\n]", text)
            if len(found) >= expect or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def _box_dir(self, folder: str) -> Path:
        if folder.upper() == "INBOX":
            return self.maildir
        if not folder.isascii() or "/" in folder or folder.startswith(".") or not folder.strip():
            raise ValueError(f"folder {folder!r}: use a plain ASCII name ('.' separates levels)")
        return self.maildir / f".{folder}"

    def deliver(self, raw: bytes, folder: str = "INBOX") -> Path:
        """Put a message into `folder` (made if missing) as a maildir delivery does: written to tmp/,
        renamed into new/. Return that file (dovecot moves it to cur/ once a client has seen it).
        Use CRLF line ends for a byte-identical FETCH (dovecot sends LF as CRLF)."""
        box = self._box_dir(folder)
        for sub in ("new", "cur", "tmp"):
            self._make_dir(box / sub)
        if box != self.maildir and not (box / "maildirfolder").exists():
            (box / "maildirfolder").touch()
            if self._root:
                os.chown(box / "maildirfolder", self._uid, self._gid)
        now = time.time()
        name = f"{int(now)}.M{int(now % 1 * 1e6)}P{os.getpid()}Q{next(_deliveries)}.localhost"
        tmp = box / "tmp" / name
        tmp.write_bytes(raw)
        if self._root:
            os.chown(tmp, self._uid, self._gid)
        return tmp.rename(box / "new" / name)

    def _doveadm(self, *args: str) -> str:
        done = subprocess.run(
            [str(DOVEADM), "-c", str(self.config_file), *args],
            capture_output=True,
            text=True,
            env=_ENV,
            timeout=30,
        )
        if done.returncode:
            raise RuntimeError(f"doveadm {args[0]} failed: {done.stderr.strip()}\n{self.log_tail()}")
        return done.stdout

    def uidvalidity(self, folder: str = "INBOX") -> int:
        """The folder's UIDVALIDITY, as dovecot has it (asked with doveadm; the server must run)."""
        out = self._doveadm("-f", "tab", "mailbox", "status", "-u", self.user, "uidvalidity", folder)
        return int(out.split()[-1])

    def reset_uidvalidity(self, folder: str = "INBOX") -> int:
        """Give `folder` a new UIDVALIDITY with its messages numbered afresh (from 1), as a server
        does whose mailbox was rebuilt: stop (open connections drop), delete dovecot's uidlist and
        indexes, start. Return the new value (checked to differ from the old one)."""
        box = self._box_dir(folder)
        was_running = self.running
        if not was_running:
            self.start()
        old = self.uidvalidity(folder)
        self.stop()
        for path in [*box.glob("dovecot-uidlist*"), *box.glob("dovecot.index*")]:
            path.unlink()
        for path in self.maildir.glob("dovecot.list.index*"):
            path.unlink()  # a folder list index (if one was made) caches UIDVALIDITY too
        self.start()
        new = self.uidvalidity(folder)
        if new == old:
            raise RuntimeError(f"UIDVALIDITY of {folder} stayed {old}")
        if not was_running:
            self.stop()
        return new

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
        shutil.rmtree(self.run_dir, ignore_errors=True)

    def __repr__(self) -> str:
        return f"Dovecot(imaps={self.host}:{self.imaps_port}, imap+starttls={self.host}:{self.imap_port})"


@dataclass(frozen=True)
class ReceivedMail:
    """One message the SMTP server accepted: envelope, raw bytes as sent, and the AUTH login."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    content: bytes
    login: str | None


class _Handler:
    """aiosmtpd handler: refuses MAIL before AUTH and keeps every accepted message."""

    def __init__(self, user: str, password: str) -> None:
        self.user, self.password = user.encode(), password.encode()
        self.messages: list[ReceivedMail] = []

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
    ) -> AuthResult:
        ok = (
            mechanism in ("LOGIN", "PLAIN")
            and isinstance(auth_data, LoginPassword)
            and hmac.compare_digest(auth_data.login, self.user)
            and hmac.compare_digest(auth_data.password, self.password)
        )
        return AuthResult(success=ok, handled=False, auth_data=self.user.decode() if ok else None)

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        if not session.authenticated:
            return "530 5.7.0 Authentication required"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or envelope.content or b""
        if isinstance(content, str):
            content = content.encode()
        login = session.auth_data if isinstance(session.auth_data, str) else None
        self.messages.append(
            ReceivedMail(envelope.mail_from or "", tuple(envelope.rcpt_tos), bytes(content), login)
        )
        return "250 Message accepted for delivery"


class Smtp:
    """An aiosmtpd server on 127.0.0.1 that keeps what it receives in `messages`.

    Default: STARTTLS required before AUTH (LOGIN or PLAIN) and AUTH before MAIL, like a
    submission port (587). `implicit_tls=True`: TLS from the first byte, like SMTPS (465).
    """

    host = HOST

    def __init__(
        self,
        directory: Path,
        *,
        user: str = USER,
        password: str | None = None,
        cert: CertFiles | None = None,
        implicit_tls: bool = False,
    ) -> None:
        self.directory = Path(directory)
        self.user = user
        self.password = password or secrets.token_urlsafe(16)
        self.cert = cert or write_self_signed_cert(self.directory / "tls")
        self.implicit_tls = implicit_tls
        [self.port] = free_ports()
        self._handler = _Handler(self.user, self.password)
        self._controller: Controller | None = None

    @property
    def ca_file(self) -> Path:
        return self.cert.ca_file

    @property
    def messages(self) -> list[ReceivedMail]:
        """Every accepted message so far, oldest first (the live list)."""
        return self._handler.messages

    def start(self) -> Smtp:
        """Listen (returns when the server answers)."""
        if self._controller is not None:
            return self
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.minimum_version = ssl.TLSVersion.TLSv1_2
        tls.load_cert_chain(self.cert.cert, self.cert.key)
        for attempt in range(3):
            controller = self._controller_for(tls)
            try:
                controller.start()
            except OSError as exc:  # aiosmtpd reports a failed bind after its ready_timeout
                controller.stop(no_assert=True)
                if not controller.loop.is_closed():
                    controller.loop.close()
                if attempt == 2 or exc.errno != errno.EADDRINUSE:
                    raise
                [self.port] = free_ports()  # another process took it meanwhile
                continue
            self._controller = controller
            return self
        raise AssertionError("unreachable")

    def _controller_for(self, tls: ssl.SSLContext) -> Controller:
        common: dict[str, Any] = {
            "hostname": HOST,
            "port": self.port,
            "server_hostname": "localhost",  # the name in the greeting; no DNS look-up
            "authenticator": self._handler.authenticate,
            "ready_timeout": 5.0,
        }
        if self.implicit_tls:  # the whole connection is TLS; aiosmtpd's own check sees STARTTLS only
            return Controller(self._handler, ssl_context=tls, auth_require_tls=False, **common)
        return Controller(
            self._handler,
            tls_context=tls,
            require_starttls=True,
            auth_require_tls=True,
            auth_required=True,
            **common,
        )

    def stop(self) -> None:
        """Stop listening."""
        controller, self._controller = self._controller, None
        if controller is not None:
            controller.stop()

    def __enter__(self) -> Smtp:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        kind = "smtps" if self.implicit_tls else "smtp+starttls"
        return f"Smtp({kind}={self.host}:{self.port}, {len(self.messages)} received)"


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[Dovecot]:
    """A started private dovecot (see Dovecot); stopped after the test."""
    with Dovecot(tmp_path / "dovecot") as server:
        yield server


@pytest.fixture
def smtp_server(tmp_path: Path) -> Iterator[Smtp]:
    """A started SMTP server with STARTTLS and AUTH required (see Smtp); stopped after the test."""
    with Smtp(tmp_path / "smtp") as server:
        yield server


@pytest.fixture
def smtps_server(tmp_path: Path) -> Iterator[Smtp]:
    """A started SMTP server with implicit TLS (SMTPS) and AUTH required; stopped after the test."""
    with Smtp(tmp_path / "smtps", implicit_tls=True) as server:
        yield server
