"""Labels for the sentences of errors and warnings (DelegationError keys): key -> (zh, en)."""

TEXT: dict[str, tuple[str, str]] = {
    # The mail accounts and the mailbox (imap).
    "error.mail.ca_file": (
        "{kind} 服务器的 CA 文件 {path} 无法读取（{reason}）。",
        "The CA file {path} for the {kind} server cannot be read ({reason}).",
    ),
    "error.mail.secrets_toml": (
        "{path} 无法按 TOML 读取（{reason}）。",
        "{path} cannot be read as TOML ({reason}).",
    ),
    "error.mail.where": (
        ".streamlit/secrets.toml 的 [mail.{kind}]（或 DELEGATION_{kind_upper}_*）",
        "[mail.{kind}] in .streamlit/secrets.toml (or DELEGATION_{kind_upper}_*)",
    ),
    "error.mail.not_set": (
        "未设置 {kind} 账户：{where} 中缺少 {missing}。",
        "The {kind} account is not set: {missing} missing in {where}.",
    ),
    "error.mail.security": (
        "{where} 中的 security 必须是 ssl 或 starttls。",
        "security in {where} must be ssl or starttls.",
    ),
    "error.mail.port": ("{where} 中的 port 必须是数字。", "port in {where} must be a number."),
    "error.mail.unread": (
        "邮箱读取失败：{why}；稍后将自动重试。",
        "The mailbox could not be read: {why}; it is tried again later.",
    ),
    "error.mail.why.certificate": (
        "{server} 的证书无法验证（内部服务器请设置 ca_file）",
        "the certificate of {server} could not be verified (for an internal server, set ca_file)",
    ),
    "error.mail.why.timeout": ("{server} 未及时响应", "{server} did not answer in time"),
    "error.mail.why.login": (
        "{server} 拒绝了用户名或密码（QQ 邮箱和 163 需使用授权码）",
        "{server} refused the user name or password (QQ Mail and 163 need an app password)",
    ),
    "error.mail.why.tls": ("与 {server} 的加密连接失败", "the secure connection to {server} failed"),
    "error.mail.why.unreachable": ("无法连接 {server}", "{server} cannot be reached"),
    "error.mail.no_folder": (
        "邮箱中没有文件夹 {folder}；请在 [mail.imap] 中设置 folder。",
        "The mailbox has no folder {folder}; set folder in [mail.imap].",
    ),
    "error.mail.not_a_message": (
        "{name}：这不是保存的邮件（没有发件人和日期）；请在邮件客户端中将邮件另存为 .eml。",
        "{name}: this is not a saved e-mail (it has no From or Date); save the message as .eml from the mail client.",
    ),
    "error.mail.no_message": ("系统中没有这封邮件。", "That message is not in the desk."),
    "error.mail.no_unit": ("系统中没有这个单位。", "That unit is not in the desk."),
    "error.mail.purged": (
        "这封邮件的附件已按规定清除，无法重新归档。",
        "This message's attachments are no longer kept (purged), so they cannot be filed again.",
    ),
    "error.mail.assign_first": (
        "请先为这封邮件指定单位；回执将发给该单位的联系人。",
        "Assign the message to a unit first; an acknowledgement goes to the unit's contact.",
    ),
    # Scans (scans.check).
    "error.scan.kind": (
        "{name}：只接受 PDF、JPEG 或 PNG 格式的扫描件，该文件不是其中任何一种。",
        "{name}: only PDF, JPEG or PNG scans are accepted, and this file is none of them.",
    ),
    "error.scan.empty": ("{name}：文件是空的。", "{name}: the file is empty."),
    "error.scan.pixels": (
        "{name}：图片超过 {millions:g} 百万像素的上限，作为可能的解压炸弹被拒收。",
        "{name}: the image has more than {millions:g} million pixels, so it is refused as a possible decompression bomb.",
    ),
    "error.scan.damaged_image": (
        "{name}：图片已损坏，或并非真正的 {image_format} 文件。",
        "{name}: the image is damaged or is not really a {image_format} file.",
    ),
    "error.scan.no_pages": ("{name}：该 PDF 没有页面。", "{name}: the PDF has no pages."),
    "error.scan.pdf": (
        "{name}：该 PDF 无法打开（文件已损坏或设有密码）。",
        "{name}: the PDF cannot be opened (it is damaged or has a password).",
    ),
    # Invitation-letter batches (batches).
    "error.batch.nobody_ready": (
        "没有可申请的人员：所有申请人都有待补材料或已在批次中。",
        "Nobody is ready for a batch: every applicant is blocked or already in one.",
    ),
    "error.batch.count_changed": (
        "当前可申请 {ready} 人，与您确认的 {expected} 人不符，未冻结；请核对名单后重新确认。",
        "{ready} applicants are ready now, not the {expected} you confirmed; nothing was frozen. Check the lists and confirm again.",
    ),
    "error.batch.none": ("没有第 {batch_id} 批。", "There is no batch {batch_id}."),
    "error.batch.next_only": (
        "第 {batch_id} 批当前为“{current}”，只能进入下一步。",
        "Batch {batch_id} is '{current}'; it can only move to the next step.",
    ),
    # Private files readable by others (exposure).
    "error.private_files_open": (
        "其他用户可以读取以下私密文件（{files}）；请运行：chmod -R go= {shown}",
        "Private files can be read by other users of this computer ({files}); run: chmod -R go= {shown}",
    ),
    # A form reader's refusal names the file (grid.refuse).
    "error.file_named": ("{name}：{said}", "{name}: {said}"),
    # A hand edit refused (registrations.save).
    "error.edit.participant_gone": ("该参团人员已不存在。", "This participant no longer exists."),
    "error.edit.participant_changed": (
        "在您打开之后，他人修改了该参团人员的信息；请刷新查看后再修改。",
        "Someone changed this participant after you opened it; reload to see their change, then edit again.",
    ),
    "error.edit.unit_gone": ("该单位已不存在。", "This unit no longer exists."),
    "error.edit.unit_changed": (
        "在您打开之后，他人修改了该单位的联系人；请刷新查看后再修改。",
        "Someone changed this unit's contact after you opened it; reload to see their change, then edit again.",
    ),
    # What a Word form's reader saw and could not read (the sentence follows the sheet's name).
    "word.note.nested_table": (
        "的单元格内嵌有表格，未读取；请将其内容填入报名表本身的表格。",
        "holds a table inside a cell, which was not read; type its entries into the form's own table.",
    ),
    "word.note.text_boxes": (
        "所在文档含有文本框，其内容未读取；请将其内容填入表格。",
        "is in a document with text boxes, which were not read; type their entries into the table.",
    ),
}
