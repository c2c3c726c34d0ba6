"""Who may see what: roles, local accounts (argon2-hashed, outside git), login with a rate limit, audit.

Roles, from least to most: `viewer` (leadership: aggregates only), `staff` (the lists, personal data
masked unless "show full", exports), `admin` (imports, edits, batches, the audit log, purge).
With no accounts configured the app runs as one local admin on this computer only.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

import duckdb
import tomli_w
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from delegation import ROOT
from delegation.db import append_audit, fetch_one
from delegation.errors import DelegationError
from delegation.private import write_private

ROLES = ("viewer", "staff", "admin")
LOCAL_ADMIN = "local-admin"
MAX_FAILURES = 5
MIN_PASSWORD = 10  # characters
LOCKOUT = dt.timedelta(minutes=15)
# The least role each page needs. Pages check it again themselves (a direct URL gets a refusal).
PAGE_ROLES = {
    "overview": "viewer",
    "documents": "viewer",
    "registrations": "staff",
    "chase": "staff",
    "mail": "staff",
    "data_quality": "staff",
    "batch": "admin",
    "import_forms": "admin",
    "audit": "admin",
}
_hasher = PasswordHasher()


def users_path() -> Path:
    """Where accounts live: DELEGATION_USERS, else data/users.toml (git-ignored)."""
    return Path(os.environ.get("DELEGATION_USERS") or ROOT / "data" / "users.toml")


def at_least(role: str | None, needed: str) -> bool:
    """Whether `role` may do what `needed` may."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def may_open(role: str | None, page: str) -> bool:
    """Whether a role may open a page (by its script's name)."""
    return at_least(role, PAGE_ROLES[page])


@dataclass(frozen=True)
class Account:
    name: str
    role: str
    password_hash: str


def load_accounts(path: Path | None = None) -> dict[str, Account]:
    """The local accounts (none when the file does not exist)."""
    path = path or users_path()
    tree = _read(path)
    accounts = {}
    for name, entry in tree.get("users", {}).items():
        if not isinstance(entry, dict) or entry.get("role") not in ROLES or not entry.get("password_hash"):
            raise DelegationError(
                "access.error.incomplete_account", file=path.name, name=name, roles=", ".join(ROLES)
            )
        accounts[name] = Account(name, entry["role"], entry["password_hash"])
    return accounts


def sso_roles(path: Path | None = None) -> dict[str, str]:
    """E-mail addresses mapped to roles for single sign-on (`[sso]` in the accounts file)."""
    table = _read(path or users_path()).get("sso", {})
    return {email.lower(): role for email, role in table.items() if role in ROLES}


def _read(path: Path) -> dict:
    """The accounts file as a TOML tree (empty when it does not exist)."""
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DelegationError("error.config.not_toml", file=path.name, reason=exc) from None


def _save(accounts: dict[str, Account], path: Path, sso: dict[str, str] | None = None) -> None:
    """The accounts file written whole (mode 600 from its first byte) by a TOML writer, so any name
    or e-mail is quoted as TOML needs."""
    tree: dict = {
        "users": {
            a.name: {"role": a.role, "password_hash": a.password_hash}
            for a in sorted(accounts.values(), key=lambda a: a.name)
        }
    }
    if sso:
        tree["sso"] = dict(sorted(sso.items()))
    header = "# Delegation Desk accounts. Written by `python -m delegation users …`; keep out of git.\n\n"
    write_private(path, (header + tomli_w.dumps(tree)).encode("utf-8"))


def _check_name(name: str) -> None:
    if not name or not all(ch.isalnum() or ch in "._-@" for ch in name) or len(name) > 64:
        raise DelegationError("access.error.bad_name")


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise DelegationError("access.error.bad_role", roles=", ".join(ROLES))


def add_user(name: str, role: str, password: str, path: Path | None = None) -> None:
    """Create an account with an argon2 hash of its password."""
    path = path or users_path()
    _check_name(name)
    _check_role(role)
    if len(password) < MIN_PASSWORD:
        raise DelegationError("access.error.short_password", least=MIN_PASSWORD)
    accounts = load_accounts(path)
    same = next((other for other in accounts if other.casefold() == name.casefold()), None)
    if same is not None:  # "Alice" beside "alice" would be two accounts people take for one
        raise DelegationError("access.error.user_exists", name=same)
    accounts[name] = Account(name, role, _hasher.hash(password))
    _save(accounts, path, sso_roles(path))


def remove_user(name: str, path: Path | None = None) -> None:
    path = path or users_path()
    accounts = load_accounts(path)
    _check_exists(name, accounts)
    removed = accounts.pop(name)
    _keep_an_admin(removed, accounts)
    _save(accounts, path, sso_roles(path))


def set_role(name: str, role: str, path: Path | None = None) -> None:
    path = path or users_path()
    _check_role(role)
    accounts = load_accounts(path)
    _check_exists(name, accounts)
    before = accounts[name]
    accounts[name] = Account(name, role, before.password_hash)
    _keep_an_admin(before, accounts)
    _save(accounts, path, sso_roles(path))


def _check_exists(name: str, accounts: dict[str, Account]) -> None:
    if name not in accounts:
        raise DelegationError("access.error.no_user", name=name)


def _keep_an_admin(before: Account, accounts: dict[str, Account]) -> None:
    """Refuse to take away the last admin while accounts remain: nobody could import, edit or read the audit log.

    Removing the only account is allowed: with none left the app runs as the local admin again.
    Admins by single sign-on do not count: the app uses them only where single sign-on is set up.
    """
    if before.role == "admin" and accounts and all(a.role != "admin" for a in accounts.values()):
        raise DelegationError("access.error.last_admin", name=before.name)


def login(
    con: duckdb.DuckDBPyConnection,
    name: str,
    password: str,
    *,
    now: dt.datetime | None = None,
    path: Path | None = None,
) -> Account:
    """Check a password; failures are logged and, after MAX_FAILURES in LOCKOUT, the account is locked for LOCKOUT."""
    now = now or dt.datetime.now()
    since = now - LOCKOUT
    failures = fetch_one(
        con,
        "select count(*) from audit_log where action = 'login.failed' and target = ? and logged_at > ?",
        [f"user:{name}", since],
    )[0]
    if failures >= MAX_FAILURES:
        append_audit(con, name, "login.locked", f"user:{name}", {})
        raise DelegationError("access.error.locked", name=name, minutes=LOCKOUT.seconds // 60)
    account = load_accounts(path).get(name)
    ok = False
    if account:
        try:
            ok = _hasher.verify(account.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
    else:
        _hasher.hash(password)  # the same work for an unknown name, so timing does not tell names apart
    if not ok:
        append_audit(con, name, "login.failed", f"user:{name}", {}, at=now)
        raise DelegationError("access.error.wrong_login")
    append_audit(con, name, "login", f"user:{name}", {"role": account.role})
    return account
