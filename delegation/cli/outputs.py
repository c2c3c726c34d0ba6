"""What the desk writes out: a list or the leadership workbook (`export`), the blank Annex 2 form
(`template`), and the headline figures (`summary`)."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

from delegation import lists
from delegation.cli.common import filters_from, say, write_out
from delegation.cli.parser import FORMATS
from delegation.config import EventConfig
from delegation.db import append_audit, connect
from delegation.errors import DelegationError
from delegation.summary import summary as headline_figures
from delegation.word_template import annex2_docx
from delegation.workbooks import annex2_template, leadership_workbook


def export(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Write one list (CSV or xlsx) or the leadership workbook to `--out`, logged as the app logs its exports."""
    args.format = export_format(args.format, args.out, workbook_only=args.list == "summary")
    filters = filters_from(args, config)
    con = connect(config, args.db, create=False, verify=True)
    try:
        if args.list == "summary":
            data = leadership_workbook(con, config, filters, args.lang)
            rows = None
        else:
            out = io.BytesIO()
            rows = lists.export(
                out,
                args.list,
                args.format,
                con,
                config,
                filters,
                args.lang,
                user="cli",
                search=args.search,
                show_full=args.show_full,
                owner=args.owner,
                not_chased_days=args.not_chased_days,
            )
            data = out.getvalue()
        write_out(args.out, data, private=True)  # registrations: personal data
        details = {"format": args.format, "filters": filters.to_url(), "show_full": args.show_full}
        if rows is not None:
            details["rows"] = rows
        append_audit(con, "cli", "export", f"list:{args.list}", details)  # as the app logs its exports
    finally:
        con.close()
    if rows is None:
        say("cli.wrote", lang, path=args.out)
    else:
        say("cli.wrote.rows", lang, path=args.out, rows=rows)
    return 0


def export_format(given: str | None, out: str, *, workbook_only: bool = False) -> str:
    """The format asked for, else the one `out`'s ending names; refuses a CSV named .xlsx and the
    reverse, and any CSV of what is only a workbook (the leadership summary)."""
    named = Path(out).suffix.lower().lstrip(".")
    if workbook_only and "csv" in (given, named):
        raise DelegationError("cli.error.summary_is_a_workbook")
    if given and named in FORMATS and named != given:
        raise DelegationError("cli.error.format_mismatch", given=given, out=out)
    return given or (named if named in FORMATS else "xlsx")


def template(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """Write the blank Annex 2 form (xlsx, or docx for Word) to send to units."""
    data = annex2_docx(config) if args.format == "docx" else annex2_template(config)
    write_out(args.out, data, private=False)  # a blank form: nothing personal in it
    say("cli.wrote", lang, path=args.out)
    return 0


def summary(args: argparse.Namespace, config: EventConfig, lang: str) -> int:
    """The headline figures as JSON (`--json`: on one line), for the sidebar's filters."""
    con = connect(config, args.db, create=False, verify=True)
    try:
        figures = headline_figures(con, config, filters_from(args, config))
    finally:
        con.close()
    print(json.dumps(figures, ensure_ascii=False, indent=None if args.json else 2))
    return 0
