"""What several commands share: the sidebar's filters from options, the exposure warning, the key
file reminder, and writing an `--out` file."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from delegation.config import EventConfig, database_path
from delegation.errors import DelegationError
from delegation.exposure import exposure_warning
from delegation.filters import Filters
from delegation.i18n import text
from delegation.private import write_file, write_private
from delegation.provinces import PROVINCES, province_for


def say(key: str, lang: str, /, **params: object) -> None:
    """Print the line `key` of the i18n table in `lang` (standard output, flushed)."""
    print(text(key, lang, **params), flush=True)


def filters_from(args: argparse.Namespace, config: EventConfig) -> Filters:
    """The filters given on the command line, each value checked against the configuration."""
    known = {
        "--province": ({p.key for p in PROVINCES} | {"unknown"}, args.province),
        "--sector": ({s.key for s in config.sectors} | {"unknown"}, args.sector),
        "--theme": ({t.key for t in config.themes}, args.theme),
        "--city": ({c.key for c in config.cities}, args.city),
    }
    provinces = [province_for(p) or p for p in args.province]  # 江苏 and Jiangsu Province work too
    known["--province"] = (known["--province"][0], provinces)
    for flag, (allowed, values) in known.items():
        for value in values:
            if value not in allowed:
                raise DelegationError(
                    "cli.error.filter_unknown", flag=flag, value=value, allowed=", ".join(sorted(allowed))
                )
    return Filters(
        as_of=args.as_of or dt.date.today(),
        provinces=tuple(provinces),
        sectors=tuple(args.sector),
        themes=tuple(args.theme),
        cities=tuple(args.city),
        unit_ids=tuple(args.unit),
        statuses=tuple(args.status),
    )


def warn_exposed(args: argparse.Namespace, lang: str) -> None:
    """One sentence on stderr when other users of this computer can read a private file (at start)."""
    warning = exposure_warning(database_path(getattr(args, "db", None)))
    if warning:
        print(warning.message(lang), file=sys.stderr, flush=True)


def key_reminder(path: Path, lang: str, *, intro: bool = False) -> str:
    """That a backup is unreadable without the key file (after `backup`); with `intro`, first what
    the key file is (after `init`)."""
    said = text("backup.key_reminder", lang, path=path)
    return f"{text('backup.key_file', lang, path=path)}\n{said}" if intro else said


def write_out(out: str | Path, data: bytes, *, private: bool) -> None:
    """Write the whole `--out` file at once (`private.atomic_file`): a failure never leaves half a
    file. `private`: it holds personal data (mode 600)."""
    path = Path(out)
    if not path.name or path.is_dir():
        raise DelegationError("cli.error.out_needs_name", path=path)
    if path.exists() and not path.is_file():  # a device or a pipe: renaming over it would replace it
        raise DelegationError("cli.error.out_not_a_file", path=path)
    if not path.parent.is_dir():
        raise DelegationError("cli.error.no_folder", path=path.parent)
    try:
        (write_private if private else write_file)(path, data)
    except OSError as exc:
        raise DelegationError("cli.error.cannot_write", path=path, reason=exc.strerror or exc) from None
