"""The app and who may use it: `serve`, and the local accounts (`users add|list|remove|set-role`)."""

from __future__ import annotations

import argparse
import getpass
import sys

from delegation import access
from delegation.cli.common import say
from delegation.config import EventConfig
from delegation.db import connect
from delegation.errors import DelegationError
from delegation.i18n import text
from delegation.serve import serve as serve_app

_LOCAL = ("localhost", "127.0.0.1", "::1")


def serve(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Start the app in this process; another address than this computer's needs accounts first."""
    # Create or migrate before the server holds the file; a damaged file is refused before anything
    # writes to it (verify: read whole first).
    connect(config, args.db, verify=True).close()
    extra = ["--server.headless", "true"] if args.headless else []
    public = args.address and args.address not in _LOCAL
    if public and not access.load_accounts():
        raise DelegationError("cli.error.serve_needs_accounts")
    if args.address:
        extra += ["--server.address", args.address]
    return serve_app(args.port, args.db, extra)


def users_add(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Add an account; the password from standard input, or asked for twice."""
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass(text("cli.users.password", lang))
        if getpass.getpass(text("cli.users.password_again", lang)) != password:
            raise DelegationError("cli.error.passwords_differ")
    access.add_user(args.name, args.role, password)
    say("cli.users.added", lang, name=args.name, role=args.role, path=access.users_path())
    return 0


def users_list(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """The accounts and their roles, a line each (name, a tab, role), by name."""
    for account in sorted(access.load_accounts().values(), key=lambda a: a.name):
        print(f"{account.name}\t{account.role}")
    return 0


def users_remove(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Remove an account (never the last admin while others remain)."""
    access.remove_user(args.name)
    say("cli.users.removed", lang, name=args.name)
    return 0


def users_set_role(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Change an account's role (never the last admin's while others remain)."""
    access.set_role(args.name, args.role)
    say("cli.users.role_set", lang, name=args.name, role=args.role)
    return 0
