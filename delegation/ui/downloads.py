"""What leaves the app as a file, each audited: a list's CSV and Excel buttons, a document's scan
(viewed on the page and downloaded), any other download."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from delegation.db import append_audit
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.ui.auth import user
from delegation.ui.messages import plain, show_error
from delegation.ui.state import cursor, event_config, language, t


def export_buttons(kind: str, filters: Filters, **options: Any) -> None:
    """Header language, CSV and Excel buttons for one list: exactly what the page shows for these
    filters and search (every page of it), generated when clicked."""
    from delegation import exports

    labels = {"zh": "中文", "en": "English", "both": t("export.both")}
    actor = user()[0]
    # The header language on the left, the buttons flush with the table's right edge below them.
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    buttons = right.container(horizontal=True, horizontal_alignment="right", key=f"{kind}-export")
    header_lang = left.radio(
        t("export.headers"),
        list(labels),
        index=list(labels).index(language()),
        format_func=labels.get,
        horizontal=True,
        key=f"{kind}.export.lang",
    )
    for column, fmt, label, mime in (
        (buttons, "csv", t("export.csv"), "text/csv"),
        (
            buttons,
            "xlsx",
            t("export.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
    ):
        column.download_button(
            label,
            # Who asks is read now: the file is made when clicked, outside the page's run, where
            # the session is not at hand.
            lambda fmt=fmt: exported(kind, fmt, filters, header_lang, actor=actor, **options),
            file_name=exports.file_name(kind, filters, fmt),
            mime=mime,
            on_click="ignore",
            key=f"{kind}.export.{fmt}",
        )


def exported(kind: str, fmt: str, filters: Filters, header_lang: str, *, actor: str, **options: Any) -> bytes:
    """Make an export and record it in the audit log (kind, filters, rows, format, who: `actor`)."""
    import io

    from delegation import lists

    out = io.BytesIO()
    rows = lists.export(out, kind, fmt, cursor(), event_config(), filters, header_lang, user=actor, **options)
    append_audit(
        cursor(),
        actor,
        "export",
        f"list:{kind}",
        {
            "format": fmt,
            "rows": rows,
            "filters": filters.to_url(),
            "show_full": bool(options.get("show_full")),
        },
    )
    return out.getvalue()


def scan_viewer(document_id: int, title: str) -> None:
    """A document's scan on the page — an image, or a PDF's first pages drawn as pictures — read
    after the role check (never a static file), and a download button; the view and each download
    are logged. The pictures are PNGs drawn in a worker process and shown with `st.image`, never
    as HTML (an SVG or HTML file cannot be stored as a scan, and would not be put in a page)."""
    from delegation import documents

    name, role = user()
    folder = documents.documents_folder()
    try:
        scan = documents.read_scan(cursor(), document_id, role, folder)
        pictures = documents.scan_pictures(scan, event_config())
    except DelegationError as exc:
        show_error(exc)
        return
    if st.session_state.get("documents.viewed") != document_id:  # once per opening, not per rerun
        documents.log_scan(cursor(), name, scan, "view")
        st.session_state["documents.viewed"] = document_id
    with st.container(border=True, key="documents-scan"):
        st.markdown(f"**{plain(title)}** · {plain(scan.original_name)}")
        st.download_button(
            t("documents.download_scan"),
            lambda: documents.download_scan(cursor(), document_id, role, name, folder),
            file_name=scan.original_name,
            mime=scan.content_type,
            on_click="ignore",
            icon=":material/download:",
            key=f"documents.download.{document_id}",
        )
        for number, picture in enumerate(pictures, start=1):
            caption = t("documents.scan_page").format(page=number) if len(pictures) > 1 else None
            # PNG said, not guessed: Streamlit then neither reopens it to guess nor re-encodes it.
            st.image(picture, caption=caption, output_format="PNG")


def logged_download(kind: str, make: Callable[[], bytes], fmt: str = "xlsx") -> Callable[[], bytes]:
    """Wrap a download's maker so the download is audited, with who asked (known now, not when
    the file is made after the click) and its format ("xlsx", "zip")."""
    actor = user()[0]

    def run() -> bytes:
        data = make()
        append_audit(cursor(), actor, "export", f"list:{kind}", {"format": fmt, "bytes": len(data)})
        return data

    return run
