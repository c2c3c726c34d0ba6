"""What leaves the app as a file, each audited: a list's CSV and Excel buttons, a document's scan
(viewed on the page and downloaded), any other download.

Every file is made in the page's run by a first click and saved by a second (`file_button`): a
download made when clicked (`st.download_button(data=callable)`) is stored by Streamlit unreferenced,
and the end of any session's run sweeps such files — in a meeting room of viewers refreshing, often
before the browser fetched it (docs/performance.md, "Exports under load")."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from delegation import figures
from delegation.db import append_audit
from delegation.errors import DelegationError
from delegation.filters import Filters
from delegation.ui.auth import user
from delegation.ui.messages import plain, show_error
from delegation.ui.state import cursor, event_config, language, t


def export_buttons(kind: str, filters: Filters, **options: Any) -> None:
    """Header language, CSV and Excel buttons for one list: exactly what the page shows for these
    filters and search (every page of it), each made by its first click (`file_button`)."""
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
    for fmt, label in (("csv", t("export.csv")), ("xlsx", t("export.xlsx"))):
        file_button(
            buttons,
            label,
            lambda fmt=fmt: exported(kind, fmt, filters, header_lang, actor=actor, **options),
            file_name=exports.file_name(kind, filters, fmt),
            key=f"{kind}.export.{fmt}",
            made_of=(filters, header_lang, tuple(sorted(options.items()))),
        )


# What a made file is, by its name's ending, unless the caller says (a scan: as it was stored).
MIME = {
    ".csv": "text/csv",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".zip": "application/zip",
}
HELD = "downloads.held"  # the session's one made file (`Held`), until saved past or outdated


@dataclass(frozen=True)
class Held:
    """A file made by a click, kept for its save button: which button, what it was made of (the
    caller's inputs, the file name and the data version), its bytes."""

    key: str
    made_of: tuple
    data: bytes


def file_button(
    where: Any,
    label: str,
    make: Callable[[], bytes],
    *,
    file_name: str,
    key: str,
    mime: str | None = None,
    made_of: Hashable = (),
    icon: str | None = None,
    help: str | None = None,
) -> None:
    """A download in two clicks: `label` makes the file in this run (`make`, which audits it), and
    the button in its place saves it (a plain `st.download_button` holding the bytes, which Streamlit
    keeps while the page shows it). One made file is held per session; it is dropped, and `label`
    offered again, once the inputs it was made of (`made_of`, `file_name`) or the data changed.
    A refusal (`DelegationError`) is shown in its one sentence and nothing is held."""

    def made_of_now() -> tuple:  # the data version read now: a change after it outdates the file
        return (made_of, file_name, figures.counted_version(cursor()))

    held = st.session_state.get(HELD)
    if held is not None and held.key == key:
        if held.made_of == made_of_now():
            _save_button(where, held, file_name, mime, key)
            return
        del st.session_state[HELD]  # made of other filters or older data: not offered as this
    slot = where.empty()
    if not slot.button(label, key=key, icon=icon, help=help):
        return
    made = made_of_now()  # before the file is made
    try:
        with st.spinner(t("download.making")):
            data = make()
    except DelegationError as exc:
        show_error(exc)
        return
    st.session_state[HELD] = held = Held(key, made, data)
    _save_button(slot, held, file_name, mime, key)


def _save_button(where: Any, held: Held, file_name: str, mime: str | None, key: str) -> None:
    where.download_button(
        t("download.save").format(name=file_name),
        held.data,
        file_name=file_name,
        mime=mime or MIME.get(file_name[file_name.rfind(".") :].lower()),
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        key=f"{key}.save",
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
        file_button(
            st,
            t("documents.download_scan"),
            lambda: documents.download_scan(cursor(), document_id, role, name, folder),
            file_name=scan.original_name,
            mime=scan.content_type,
            icon=":material/download:",
            key=f"documents.download.{document_id}",
        )
        for number, picture in enumerate(pictures, start=1):
            caption = t("documents.scan_page").format(page=number) if len(pictures) > 1 else None
            # PNG said, not guessed: Streamlit then neither reopens it to guess nor re-encodes it.
            st.image(picture, caption=caption, output_format="PNG")


def logged_download(kind: str, make: Callable[[], bytes], fmt: str = "xlsx") -> Callable[[], bytes]:
    """Wrap a download's maker (for `file_button`) so the download is audited, with who asked and its
    format ("xlsx", "zip")."""
    actor = user()[0]

    def run() -> bytes:
        data = make()
        append_audit(cursor(), actor, "export", f"list:{kind}", {"format": fmt, "bytes": len(data)})
        return data

    return run
