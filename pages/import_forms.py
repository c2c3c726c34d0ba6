"""Import — upload registration forms; each file is imported in one transaction and reported."""

import datetime as dt

import streamlit as st

from delegation import mailbox, ui
from delegation.documents import documents_folder
from delegation.errors import DelegationError
from delegation.ingest import applied_order, changes_frame, import_uploads, issues_frame
from delegation.sheets import FORM_SUFFIXES
from delegation.word_template import annex2_docx
from delegation.workbooks import annex2_template

ui.require("import_forms")
config = ui.event_config()
lang = ui.language()

st.title(ui.t("page.import"))
st.caption(ui.t("import.help"))
templates = st.container(horizontal=True)  # the Excel and the Word form side by side
ui.file_button(
    templates,
    ui.t("export.template"),
    lambda: annex2_template(config),
    file_name="annex2_registration_form.xlsx",
    key="import.template",
)
ui.file_button(
    templates,
    ui.t("export.template_docx"),
    lambda: annex2_docx(config),
    file_name="annex2_registration_form.docx",
    key="import.template_docx",
)
files = ui.uploader(
    st,
    ui.t("import.files"),
    kinds=FORM_SUFFIXES + mailbox.MAIL_SUFFIXES,
    limit_mb=max(config.max_import_file_mb, config.max_mail_file_mb),
    accept_multiple_files=True,
    key="import.files",
)
today = dt.date.today()
received = st.date_input(
    ui.t("import.received_on"), value=today, max_value=today, width=420, key="import.received_on"
)
left, middle, right = st.columns(3)
dry_run = left.toggle(ui.t("import.dry_run"), key="import.dry_run")
strict = middle.toggle(ui.t("import.strict"), key="import.strict")
force = right.toggle(ui.t("import.force"), key="import.force")

if st.button(ui.t("import.start"), type="primary", disabled=not files, key="import.start"):
    # Saved e-mails in the upload are imported as the mailbox's messages are (after the forms).
    mails = [f for f in files if mailbox.is_saved_mail(f.name)]
    forms = [f for f in files if f not in mails]
    # One upload is one set: applied in the order of the forms' dates, not the browser's.
    try:
        results = import_uploads(
            ui.cursor(),
            config,
            [(upload.name, upload.getvalue()) for upload in forms],
            dry_run=dry_run,
            strict=strict,
            force=force,
            actor=ui.user()[0],
            received_on=received if received != today else None,  # the default: the import day
        )
    except DelegationError as exc:
        ui.show_error(exc)
        st.stop()
    if sum(not isinstance(r, DelegationError) for _, r in results) > 1:
        st.caption(ui.plain(applied_order(results, lang)))
    for _name, result in results:
        if isinstance(result, DelegationError):
            ui.show_error(result)
            continue
        report = result
        (st.info if report.already_imported_at or report.dry_run else st.success)(
            ui.plain(report.summary(lang, app=True))
        )
        if not report.already_imported_at:
            st.caption(ui.plain(report.day_line(lang)))
        if report.changes:
            ui.table(changes_frame(report, lang, config))
        if report.issues:
            ui.table(issues_frame(report, lang))
    for upload in mails:
        try:
            messages = mailbox.saved_messages(upload.name, upload.getvalue(), config)
        except DelegationError as exc:
            ui.show_error(exc)
            continue
        cursor = ui.cursor()
        for result in mailbox.import_messages(
            cursor, config, messages, actor=ui.user()[0], documents_dir=documents_folder()
        ):
            if isinstance(result, DelegationError):
                ui.show_error(result)
                continue
            head, *attachments = result.lines(lang)
            (st.info if result.already or result.unit_id is None else st.success)(ui.plain(head))
            if attachments:
                st.text("\n".join(attachments))
