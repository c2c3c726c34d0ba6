"""Sentences of the mail desk and the scan filing: what became of a message, an attachment, a
scanned file, an inbox file and a message sent: key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # Why an attachment was not opened (`mail.unpacked`).
    "mail.problem.rar_7z": (
        "RAR 或 7z 压缩包无法打开；请该单位改发 ZIP",
        "a RAR or 7z archive cannot be opened; ask the unit for a ZIP",
    ),
    "mail.problem.zip_damaged": ("ZIP 文件已损坏", "the ZIP is damaged"),
    "mail.problem.zip_bomb": (
        "ZIP 解压后的数据量远超正常材料（疑似压缩炸弹）",
        "the ZIP unpacks to far more than a unit's materials (a zip bomb?)",
    ),
    "mail.problem.zip_password": (
        "ZIP 设有密码；请该单位改发无密码的压缩包",
        "the ZIP is password-protected; ask the unit for one without a password",
    ),
    "mail.problem.outside_zip": (
        "其名称指向压缩包之外，未打开",
        "its name reaches outside the ZIP; it was not opened",
    ),
    "mail.problem.member_damaged": ("该文件在压缩包中已损坏", "it is damaged in the ZIP"),
    "mail.problem.nested_zip": ("多层嵌套的压缩包未打开", "a ZIP inside a ZIP inside a ZIP is not opened"),
    # What a message became (`MailReport.lines`), and each of its attachments.
    "mail.report.already": ("{name}：已导入过，未做更改。", "{name}: imported before; nothing changed."),
    "mail.report.unit": ("{name}：{unit}", "{name}: {unit}"),
    "mail.report.unmatched": ("未匹配单位，待工作人员指定", "unmatched, for staff to assign"),
    "mail.report.unit_by": ("{unit}（{by}）", "{unit} ({by})"),
    "mail.matched_by.subject": ("按邮件主题", "by the subject"),
    "mail.matched_by.form": ("按所附报名表", "by the attached form"),
    "mail.matched_by.sender": ("按发件人邮箱", "by the sender's address"),
    "mail.matched_by.staff": ("由工作人员指定", "assigned by staff"),
    "mail.outcome.form_row": ("报名表：导入 {count} 行", "form: {count} row imported"),
    "mail.outcome.form_rows": ("报名表：导入 {count} 行", "form: {count} rows imported"),
    "mail.outcome.no_unit": ("未归档：邮件未对应任何单位", "not filed: the message names no unit"),
    "mail.outcome.not_matched": ("未匹配：{why}", "not matched: {why}"),
    "mail.outcome.filed_for": ("{whose}的{document}", "{document} of {whose}"),
    "mail.outcome.already": ("已有相同文件", "already on file"),
    "mail.unmatched": ("未匹配", "unmatched"),
    # One round of the IMAP reader.
    "mail.fetched": ("邮箱：{count} 封新邮件。", "Mailbox: {count} new messages."),
    # A folder scan's report, and why a file of it was not placed.
    "scan.summary": (
        "新记录 {recorded} 份材料，已有 {already} 份，无法匹配 {unmatched} 个文件。",
        "{recorded} documents recorded, {already} already known, {unmatched} files not matched.",
    ),
    "scan.no_document": ("文件名中没有可识别的材料类型", "the file name names no known document"),
    "scan.no_participant": (
        "文件名中没有该单位任何参团人员的姓名或护照号",
        "no participant of the unit is named in the file name",
    ),
    "scan.two_participants": ("文件名可对应多名参团人员", "the file name fits more than one participant"),
    "scan.not_pdf": ("不是 PDF、JPEG 或 PNG 文件", "not a PDF, JPEG or PNG file"),
    "scan.no_unit_folder": ("文件夹名称与任何已报名单位都不对应", "the folder names no registered unit"),
    "scan.folder_unreadable": ("无法读取该文件夹", "the folder cannot be read"),
    "scan.symlink": ("这是符号链接，扫描不会跟随", "a symbolic link, which the scan does not follow"),
    "scan.not_regular": ("不是普通文件", "not a regular file"),
    "scan.too_large": (
        "文件大小 {size} MB，超过 {max_mb} MB 的上限",
        "the file is {size} MB, more than the limit of {max_mb} MB",
    ),
    "scan.cannot_open": ("无法打开该文件", "the file cannot be opened"),
    # The live inbox.
    "inbox.abandoned": (
        "{name}：读取此文件时系统中断，因此不再重复读取；请检查后放回收件箱重试。",
        "{name}: the desk stopped while reading this file, so it was not read again; "
        "check it, then put it back into the inbox to retry.",
    ),
    "inbox.round_failed": ("收件箱处理失败：{error}", "inbox round failed: {error}"),
    # Messages out (`outbox`).
    "outbox.reply_prefix": ("回复：", "Re: "),
    "outbox.sent_today": (
        "{unit}：这封邮件今天已发送（{when}），未重复发送。",
        "{unit}: this message was sent already today ({when}); nothing was sent again.",
    ),
    "outbox.being_sent": (
        "{unit}：这封邮件正在发送，未重复发送。",
        "{unit}: this message is being sent already; nothing was sent again.",
    ),
    "outbox.no_email": (
        "{unit}：该单位未提供联系人邮箱，未发送。",
        "{unit}: the unit gave no contact e-mail; nothing was sent.",
    ),
    "outbox.rate_limited": (
        "{unit}：尚未发送，每分钟最多发送 {limit} 封；请一分钟后再发送。",
        "{unit}: not sent yet, at most {limit} messages go out a minute; send it again in a minute.",
    ),
    "outbox.not_sent": ("{unit}：未发送，{why}。", "{unit}: not sent, {why}."),
    "outbox.sent": ("{unit}：已发送至 {to}。", "{unit}: sent to {to}."),
    "outbox.failure.recipient": ("服务器拒收该收件人", "the server refused the recipient"),
    "outbox.failure.other": ("无法使用 {server}（{error}）", "{server} could not be used ({error})"),
}
