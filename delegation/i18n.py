"""Every label the app shows, in Chinese and English, from one table.

A test fails when a key lacks a language or when code uses a key that is not here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from delegation.provinces import PROVINCES

if TYPE_CHECKING:
    from delegation.config import EventConfig

LANGUAGES = {"zh": "中文", "en": "English"}

TEXT: dict[str, tuple[str, str]] = {
    # key: (zh, en)
    "app.title": ("赴美商务代表团报名台", "Delegation Desk"),
    "page.overview": ("总览", "Overview"),
    "page.registrations": ("报名名单", "Registrations"),
    "page.data_quality": ("数据质量", "Data quality"),
    "page.import": ("导入报名表", "Import forms"),
    "import.help": (
        "上传单位发来的报名信息采集表（可用的文件类型和大小见下方上传框）。每个文件单独导入，要么全部成功，要么不作任何更改；重复上传同一文件不会重复计数。",
        "Upload the forms units send (the upload box below says which kinds and sizes it takes). Each file is imported whole or not at all; the same file twice is counted once.",
    ),
    "import.files": ("报名表文件", "Form files"),
    "table.empty": ("（没有记录）", "(nothing to list)"),
    # A file box's own words (Streamlit's are English): its button, what it takes, and a file it
    # turned away in the browser for being over the limit (any other refusal is the app's sentence).
    "upload.button": ("选择文件", "Choose files"),
    "upload.takes": ("每个文件不超过 {mb} MB：{kinds}", "Up to {mb} MB per file: {kinds}"),
    "upload.too_big": ("超过 {mb} MB，未上传", "Over {mb} MB: not uploaded"),
    "import.dry_run": ("试运行（不保存）", "Dry run (save nothing)"),
    "import.strict": ("严格模式（有错误行则整份拒绝）", "Strict (refuse a file with any bad row)"),
    "import.force": ("重新导入相同文件", "Import the same file again"),
    "registrations.unit_link": (
        "该单位专用的在线报名链接（复制后发给该单位；经此链接提交的报名自动归入该单位）：",
        "This unit's own link to the online form (copy it to the unit; what is sent through it is filed under the unit):",
    ),
    "import.received_on": (
        "收到文件的日期（报名表未写报名日期的行按此日期计）",
        "Day the files were received (for rows without a registration date)",
    ),
    "export.template_docx": (
        "下载报名信息采集表模板（附件2，Word 版）",
        "Download the Annex 2 form template (Word)",
    ),
    "import.start": ("导入", "Import"),
    "column.severity": ("类型", "Type"),
    # sidebar
    "sidebar.present": ("演示模式（投屏）", "Presentation mode"),
    "sidebar.as_of": ("统计截至", "As of"),
    "sidebar.filters": ("筛选", "Filters"),
    "sidebar.clear": ("清除筛选", "Clear filters"),
    "sidebar.url_left_out": (
        "链接中的以下筛选条件无法识别，已忽略：{values}。",
        "The link named filters this app does not know; they were left out: {values}.",
    ),
    "filter.provinces": ("省份", "Province"),
    "filter.sectors": ("行业", "Sector"),
    "filter.themes": ("论坛主题", "Forum theme"),
    "filter.cities": ("考察城市", "Visit city"),
    "filter.unit_ids": ("单位", "Unit"),
    "filter.statuses": ("报名状态", "Registration status"),
    "filter.all": ("全部", "All"),
    "filter.unit_search": ("查找单位", "Find a unit"),
    "filter.unit_search_hint": ("名称、拼音或首字母", "Name, pinyin or initials"),
    # values
    "value.unknown": ("未知", "Unknown"),
    "value.yes": ("是", "Yes"),
    "value.no": ("否", "No"),
    "value.empty": ("（空）", "(empty)"),
    "status.registered": ("已报名", "Registered"),
    "status.confirmed": ("已确认", "Confirmed"),
    "status.withdrawn": ("已退出", "Withdrawn"),
    "gender.M": ("男", "Male"),
    "gender.F": ("女", "Female"),
    # overview
    "overview.exit_presentation": ("退出演示", "Exit presentation"),
    "overview.as_of": (
        "统计截至 {date} · 每 {seconds} 秒自动刷新",
        "As of {date} · refreshes every {seconds} s",
    ),
    "overview.units": ("报名单位", "Units"),
    "overview.participants": ("参团人数", "Participants"),
    "overview.applicants": ("经商会申请邀请函", "Invitation-letter applicants"),
    "overview.by_province": ("按省份", "By province"),
    "overview.by_sector": ("按行业", "By sector"),
    "overview.by_theme": ("按论坛主题（可多选）", "By forum theme (several allowed)"),
    "overview.by_city": ("按考察城市（可多选）", "By visit city (several allowed)"),
    "overview.empty": (
        "当前筛选条件下没有报名数据。可放宽筛选，或在“导入报名表”页面导入单位发来的报名表。",
        "No registrations for these filters. Widen the filters, or import the forms units sent on the Import forms page.",
    ),
    "overview.go_import": ("前往“导入报名表”", "Go to Import forms"),
    "overview.missing_documents": ("缺交材料（份）", "Documents missing"),
    "overview.missing_of": (
        "{what}：缺 {missing} 份，共 {required} 份",
        "{what}: {missing} of {required} missing",
    ),
    "overview.everyone_visits": ("全体参团人员均赴{cities}。", "Everyone visits {cities}."),
    "countdown.passed": ("已过 {days} 天", "{days} days ago"),
    "countdown.today": ("今天", "Today"),
    "countdown.days": ("还有 {days} 天", "{days} days left"),
    "chart.signups": ("累计报名", "Cumulative sign-ups"),
    "chart.projection": ("按近两周速度预测", "Projection at the last two weeks' pace"),
    "chart.deadline": ("报名截止", "Registration deadline"),
    "chart.cumulative": ("累计", "Cumulative"),
    # Date ticks on the time charts (d3 format): plotly's own are English ("Feb 12") with the year
    # on a second line that the legend cut in half.
    "chart.date_format": ("%-m月%-d日", "%b %-d"),
    "chart.date_format_year": ("%Y年%-m月%-d日", "%b %-d, %Y"),
    "chart.participants_axis": ("人数", "Participants"),
    # registrations
    "registrations.search": ("搜索", "Search"),
    "registrations.search_hint": (
        "单位或姓名：中文、拼音、首字母或英文",
        "Unit or name: Chinese, pinyin, initials or English",
    ),
    "registrations.show_full": ("显示完整个人信息", "Show full personal data"),
    "registrations.units": ("单位", "Units"),
    "registrations.participants": ("参团人员", "Participants"),
    "registrations.sort": ("排序", "Sort by"),
    "registrations.descending": ("倒序", "Descending"),
    "registrations.page_size": ("每页行数", "Rows per page"),
    "registrations.page": ("页码", "Page"),
    "registrations.count_units": (
        "共 {count} 家单位 · 第 {page}/{pages} 页",
        "Units: {count} · page {page} of {pages}",
    ),
    "registrations.count_people": (
        "共 {count} 人 · 第 {page}/{pages} 页",
        "Participants: {count} · page {page} of {pages}",
    ),
    "registrations.unit_detail": ("单位详情及参团人员", "Unit details and participants"),
    "registrations.withdraw_who": ("退出/恢复报名", "Withdraw or restore"),
    "registrations.edit_who": ("修改人员信息", "Edit a participant"),
    "registrations.contact_needs_full": (
        "如需修改单位联系人，请先打开上方的“显示完整个人信息”。",
        "To edit the unit's contact, turn on 'Show full personal data' above.",
    ),
    "registrations.edit_contact": (
        "单位联系人（催交邮件的收件人）",
        "The unit's contact (whom chase messages go to)",
    ),
    "registrations.whole_unit": ("整个单位", "The whole unit"),
    "registrations.choose_status": ("请先选择“已退出”或“已报名”。", "Choose withdrawn or registered first."),
    "sort.name": ("姓名", "Name"),
    "sort.province": ("省份", "Province"),
    "sort.sector": ("行业", "Sector"),
    "sort.participants": ("人数", "Participants"),
    "sort.invitation_applicants": ("申请邀请函人数", "Invitation applicants"),
    "sort.registered_on": ("报名日期", "Registration date"),
    "sort.unit": ("单位", "Unit"),
    "sort.passport_expiry": ("护照有效期", "Passport expiry"),
    "sort.position": ("职务", "Position"),
    # table columns
    "column.name": ("姓名", "Name"),  # a person's; a unit's name is unit_name
    "column.province": ("省份", "Province"),
    "column.sector": ("行业", "Sector"),
    "column.participants": ("人数", "Participants"),
    "column.invitation_applicants": ("申请邀请函", "Invitation applicants"),
    "column.registered_on": ("报名日期", "Registered on"),
    "column.contact_name": ("联系人", "Contact"),
    "column.contact_mobile": ("联系人手机", "Contact mobile"),
    "column.contact_email": ("联系人邮箱", "Contact e-mail"),
    "column.status": ("状态", "Status"),
    "column.unit_name": ("单位", "Unit"),
    "column.pinyin_name": ("拼音", "Pinyin"),
    "column.gender": ("性别", "Gender"),
    "column.position": ("职务", "Position"),
    "column.mobile": ("手机", "Mobile"),
    "column.email": ("邮箱", "E-mail"),
    "column.date_of_birth": ("出生日期", "Date of birth"),
    "column.passport_number": ("护照号码", "Passport No."),
    "column.passport_expiry": ("护照有效期", "Passport expiry"),
    "column.applies_via_chamber": ("经商会申请邀请函", "Invitation via chamber"),
    "column.holds_us_visa": ("持有美国签证", "Holds US visa"),
    "column.us_visa_expiry": ("美国签证有效期", "US visa expiry"),
    "column.themes": ("论坛主题", "Forum themes"),
    "column.cities": ("考察城市", "Visit cities"),
    "column.field": ("项目", "Field"),
    "column.before": ("原值", "Was"),
    "column.after": ("新值", "Now"),
    "column.value": ("内容", "Value"),
    "column.imported_at": ("导入时间", "Imported at"),
    "column.file_name": ("文件", "File"),
    "column.sheet": ("工作表", "Sheet"),
    "column.row_number": ("行号", "Row"),
    "column.reason": ("原因", "Reason"),
    "column.sector_as_written": ("填写的行业", "Sector as written"),
    "column.units": ("单位数", "Units"),
    "column.unit_names": ("单位名称", "Unit names"),
    "column.participant_names": ("姓名", "Names"),
    "column.days_short": ("差几天", "Days short"),
    # data quality
    "quality.conflicts": ("报名表之间不一致的内容", "Values forms disagree on"),
    "quality.conflicts.help": (
        "同一批导入的报名表改动了前一份刚填写的内容，或单位联系人与此前报名表不同；已采用较晚的报名表。核对后如需更正，请在“报名名单”页面修改，然后选中并点“已核对”。",
        "A form of one import changed what an earlier one had just set, or a unit's contact differs from an earlier form's; the later form's is kept. Check it (correct it on the Registrations page if needed), then select it and press Settled.",
    ),
    "quality.settle": ("已核对（保留当前内容）", "Settled (keep what is stored)"),
    "audit.action.issue.settled": ("核对报名表不一致", "Settled a conflict between forms"),
    "quality.skipped_rows": ("未导入的行", "Skipped rows"),
    "quality.skipped_rows.help": (
        "导入时因缺少姓名或单位而跳过的行，请联系单位补充后重新导入。",
        "Rows an import skipped for want of a name or unit; ask the unit and import again.",
    ),
    "quality.unknown_sectors": ("无法识别的行业", "Unknown sectors"),
    "quality.unknown_sectors.help": (
        "填写的行业与活动配置中的行业及其同义词都不匹配，已归入“其他”；可请管理员在活动配置的行业同义词中补充。",
        "Sectors that matched no sector of the event's configuration or its synonyms, and count as 'other'; an administrator can add them to the sector's synonyms in the event's configuration.",
    ),
    "quality.duplicate_passports": ("多个单位重复的护照号", "Passport numbers in several units"),
    "quality.duplicate_passports.help": (
        "同一护照号出现在不同单位，可能是录入错误或同一人重复报名。",
        "The same passport number under different units: a typo, or one person registered twice.",
    ),
    "quality.passport_format": ("格式异常的护照号", "Passport numbers in an unexpected format"),
    "quality.passport_format.help": (
        "不符合中国护照号码格式（如 E12345678、EA1234567）。",
        "Not in the PRC passport format (e.g. E12345678, EA1234567).",
    ),
    "quality.passport_expiring": ("护照有效期不足或未填", "Passports too short or expiry unknown"),
    "quality.passport_expiring.help": (
        "经商会申请邀请函的人员，护照须有效至 {date}（活动配置中的护照有效期要求）。",
        "Applicants through the chamber need a passport valid through {date} (the passport validity the event's configuration requires).",
    ),
    "quality.none": ("无", "None"),
    # documents
    "page.documents": ("材料", "Documents"),
    "page.chase": ("催交清单", "Chase list"),
    "page.batch": ("邀请函批次", "Invitation batch"),
    "documents.missing_kind": ("缺少{what}", "Missing: {what}"),
    "documents.by_province": ("缺交材料（按省份）", "Missing documents by province"),
    "documents.by_unit": ("缺交材料（按单位）", "Missing documents by unit"),
    "documents.completion": ("材料收齐进度", "Documents received over time"),
    "documents.none_missing": ("没有缺交的材料。", "No documents missing."),
    "documents.none_received": ("尚未收到任何材料。", "No documents received yet."),
    "documents.none_required": ("没有应交的材料。", "No documents are due from these registrations."),
    "documents.received_axis": ("已收到", "Received"),
    "documents.required_line": ("应交总数", "Required"),
    "documents.only_missing": ("只看有缺交的单位", "Only units with something missing"),
    "documents.owner": ("负责人", "Owner"),
    "documents.all_owners": ("全部负责人", "All owners"),
    "documents.checklist": ("单位材料清单", "Unit checklist"),
    "documents.pick_unit": ("选择单位", "Choose a unit"),
    "documents.pick_unit_hint": ("选择一个单位，查看它的材料清单", "Choose a unit to see its checklist"),
    "documents.item": ("材料", "Document"),
    "documents.action": ("操作", "Action"),
    "documents.upload": ("上传扫描件", "Upload a scan"),  # the box names the kinds and size
    "documents.mark": ("标记", "Mark as"),
    "documents.reason": ("退回原因", "Reason for rejection"),
    "documents.save": ("保存", "Save"),
    "documents.saved": ("已保存。", "Saved."),
    "documents.pick_scan": (
        "点选清单中的一行，可在下方查看该材料的扫描件（每次查看和下载都记入审计日志）。",
        "Select a row of the checklist to see its scan below (every view and download is logged).",
    ),
    "documents.no_scan": (
        "这份材料没有存档的扫描件（尚未收到，或按纸质件标记）。",
        "No scan is stored for this document (not received yet, or marked on paper).",
    ),
    "documents.download_scan": ("下载扫描件", "Download the scan"),
    "documents.scan_page": ("第 {page} 页", "Page {page}"),
    "audit.action.document.view": ("查看扫描件", "Viewed a scan"),
    "audit.action.mail.import": ("导入报名邮件", "Imported a registration e-mail"),
    "audit.action.mail.assign": ("为报名邮件指定单位", "Assigned a registration e-mail to a unit"),
    "audit.action.mail.sent": ("发送邮件", "Sent an e-mail"),
    "audit.action.document.download": ("下载扫描件", "Downloaded a scan"),
    "documents.unit_itself": ("（单位）", "(unit)"),
    "documents.passport_validity": ("护照有效期不足或未知", "Passports too short or expiry unknown"),
    "state.missing": ("缺少", "Missing"),
    "state.received": ("已收到", "Received"),
    "state.verified": ("已核验", "Verified"),
    "state.rejected": ("退回重交", "Rejected"),
    "chase.help": (
        "每家单位缺交或有问题的具体事项，以及可直接复制发送的催交邮件（右上角复制按钮）。",
        "Each unit's missing or invalid items, with a ready-to-send message (copy button at its top right).",
    ),
    "chase.units": ("需催交单位：{count} 家", "Units to chase: {count}"),
    "chase.showing": (
        "第 {first}–{last} 家 · 第 {page}/{pages} 页",
        "Units {first}–{last} · page {page} of {pages}",
    ),
    "chase.assign": ("指定负责人", "Assign owner"),
    "chase.assign.placeholder": (
        "秘书处负责跟进此单位的同事姓名",
        "The secretariat member who follows up this unit",
    ),
    "chase.items": ("待补 {count} 项", "{count} to chase"),
    "chase.contact": (
        "联系人：{name} · 手机：{mobile} · 邮箱：{email}",
        "Contact: {name} · mobile: {mobile} · e-mail: {email}",
    ),
    "chase.message_zh": ("中文催交邮件", "Message in Chinese"),
    "chase.message_en": ("英文催交邮件", "Message in English"),
    "chase.download": ("下载催交清单（CSV）", "Download the chase list (CSV)"),
    "chase.none": ("没有需要催交的单位。", "Nothing to chase."),
    "chase.item.passport_renew": (
        "护照有效期不足（须有效至 {date}），请换发新护照后提供新护照首页扫描件",
        "Passport not valid long enough (it must be valid through {date}): please renew it and send the new passport's cover page (scan)",
    ),
    "chase.item.passport_expiry_unknown": ("未填写护照有效期", "Passport expiry not given"),
    "chase.item.passport_number": ("未填写护照号码", "Passport number not given"),
    "chase.item.annex2_fields": ("报名信息采集表缺少{fields}", "Annex 2 row incomplete: {fields}"),
    "chase.item.rejected": (
        "请重新提交{what}（已退回，原因：{reason}）",
        "Send again: {what} (rejected: {reason})",
    ),
    "chase.your_unit": ("贵单位", "Your unit"),
    # The chase message, part by part (checklists.chase_message).
    "chase.subject": ("主题：{subject}", "Subject: {subject}"),
    "chase.greeting_named": ("{name}您好：", "Dear {name},"),
    "chase.greeting": ("您好：", "Dear colleague,"),
    "chase.intro": (
        "感谢贵单位报名参加{event}。经核对，以下材料或信息尚未收齐或需要更正。",
        "Thank you for registering for the {event}. We have checked what you sent; the items below are still missing or need correcting.",
    ),
    "chase.group.documents": (
        "请于 {date}（{milestone}）前补交以下材料：",
        "Please send the following by {date} ({milestone}):",
    ),
    "chase.group.documents_asap": ("请尽快补交以下材料：", "Please send the following as soon as possible:"),
    "chase.group.roster": (
        "请于 {date}（{milestone}）前补全以下报名信息：",
        "Please complete the following registration details by {date} ({milestone}):",
    ),
    "chase.group.roster_asap": (
        "请尽快补全以下报名信息：",
        "Please complete the following registration details as soon as possible:",
    ),
    "chase.group.both": (
        "请于 {date}（{milestone}）前补交以下材料和信息：",
        "Please send the following by {date} ({milestone}):",
    ),
    "chase.group.both_asap": (
        "请尽快补交以下材料和信息：",
        "Please send the following as soon as possible:",
    ),
    "chase.send_to": (
        "请将材料发送至秘书处邮箱 {address}，邮件主题请注明“{subject}”。请尽快补齐，以免影响统一办理。感谢您的配合！",
        'Please send them to the secretariat at {address} with the e-mail subject "{subject}", as soon as you can, so that the joint application is not delayed. Thank you for your help.',
    ),
    # The acknowledgement of a registration e-mail (outbox.acknowledgement).
    "mail.ack.received": (
        "我们已收到贵单位 {day} 发来的邮件（主题：{subject}），附件处理如下：",
        'We have received your e-mail of {day} ("{subject}"). Its attachments:',
    ),
    "mail.ack.nothing": ("- （邮件中没有附件）", "- (the message had no attachments)"),
    "mail.ack.complete": (
        "经核对，贵单位的报名材料目前已齐全，感谢配合！",
        "We have checked your registration: nothing is missing at present. Thank you.",
    ),
    "mail.ack.missing": (
        "经核对，以下材料或信息尚未收齐或需要更正：",
        "We have checked your registration; the items below are still missing or need correcting:",
    ),
    "chase.signature": ("{organiser} 秘书处", "Secretariat, {organiser}"),
    # When a unit was last chased (checklists.last_chased) and marking a message as sent.
    "chase.never": ("尚未催交", "Not chased yet"),
    "chase.today": ("今天", "today"),
    "chase.yesterday": ("昨天", "yesterday"),
    "chase.days_ago": ("{days} 天前", "{days} days ago"),
    "chase.last": ("上次催交：{when}（{who}）", "Last chased {when} by {who}"),
    "chase.mark_sent": ("标记为已发送", "Mark as sent"),
    "chase.marked": ("已记录：{unit} 的催交邮件已发送。", "Recorded: the message to {unit} was sent."),
    "chase.not_chased_days": (
        "只看多少天内未催交的单位（0 为全部）",
        "Only units not chased for this many days (0: all)",
    ),
    "batch.help": (
        "经商会申请邀请函的人员：材料齐全、护照有效期足够且未在其他批次中的为“可申请”。冻结后生成编号批次。",
        "Applicants through the chamber: ready when every document is in, the passport is valid long enough and they are in no batch yet. Freezing makes a numbered batch.",
    ),
    "batch.ready": ("可申请：{count} 人", "Ready: {count}"),
    "batch.blocked": ("暂不可申请：{count} 人", "Blocked: {count}"),
    "batch.freeze": ("冻结为新批次", "Freeze a new batch"),
    "batch.frozen": ("已生成第 {batch} 批（{count} 人）。", "Batch {batch} frozen ({count} people)."),
    "batch.in_batch": ("已在批次中：{count} 人", "In a batch: {count}"),
    "batch.filters_ignored": (
        "侧栏的筛选条件和统计日期只影响下方名单的显示。邀请函统一批量申请：冻结时总是包括今天全部可申请的 {count} 人（下方名单显示 {shown} 人）。",
        "The sidebar's filters and as-of day change only the lists below. The letters are applied for in one batch: a freeze always takes all {count} people ready today (the list below shows {shown}).",
    ),
    "batch.confirm": (
        "确认将今天全部可申请的 {count} 人冻结为一个新批次？冻结后他们不再出现在可申请名单中，此操作会记入审计日志。",
        "Freeze all {count} people ready today into a new batch? They then leave the ready list; the freeze is recorded in the audit log.",
    ),
    "batch.confirm_yes": ("确认冻结 {count} 人", "Freeze {count} people"),
    "batch.cancel": ("取消", "Cancel"),
    "batch.number": ("第 {batch} 批", "Batch {batch}"),
    "batch.list": ("批次", "Batches"),
    "batch.next": ("进入下一步：{status}", "Move on to: {status}"),
    "batch.roster": ("下载名单（Excel）", "Download roster (Excel)"),
    "batch.scans": ("下载扫描件（ZIP）", "Download scans (ZIP)"),
    "batch.missing": ("缺少{what}", "missing {what}"),
    "batch.passport.no_number": ("未填护照号", "no passport number"),
    "batch.passport.expiry_unknown": ("护照有效期未知", "passport expiry unknown"),
    "batch.passport.expires_too_early": ("护照有效期不足", "passport expires too early"),
    "batch.status.draft": ("草稿", "Draft"),
    "batch.status.submitted": ("已提交", "Submitted"),
    "batch.status.letters_received": ("已收到邀请函", "Letters received"),
    "batch.status.sent_to_units": ("已发给单位", "Sent to units"),
    "column.reasons": ("原因", "Reasons"),
    "column.batch_id": ("批次", "Batch"),
    "column.created_at": ("冻结时间", "Frozen at"),
    "column.created_by": ("操作人", "By"),
    "column.status_changed_at": ("状态更新", "Status changed"),
    "column.kind": ("材料", "Document"),
    "column.required": ("应交", "Required"),
    "column.missing": ("缺交", "Missing"),
    "column.participant_name": ("人员", "Participant"),
    "column.received_at": ("收到时间", "Received at"),
    "column.original_name": ("原文件名", "Original file"),
    "column.owner": ("负责人", "Owner"),
    "column.last_chased": ("上次催交", "Last chased"),
    "column.item": ("事项", "Item"),
    "column.detail": ("说明", "Detail"),
    "workbook.summary": ("总览", "Summary"),
    "workbook.chart_data": ("图表数据", "Chart data"),
    "overview.countdowns": ("倒计时", "Countdowns"),
    "overview.passport_invalid": ("护照有效期不足", "Passports too short"),
    "export.sheet.ready": ("可申请", "Ready"),
    "export.sheet.blocked": ("暂不可申请", "Blocked"),
    "export.leadership": ("领导汇报工作簿", "Leadership workbook"),
    "export.leadership.help": (
        "下载领导汇报工作簿（Excel，无个人信息）",
        "Download the leadership workbook (Excel, no personal data)",
    ),
    "export.template": ("下载报名信息采集表模板（附件2）", "Download the Annex 2 form template"),
    "page.audit": ("审计日志", "Audit log"),
    "audit.help": (
        "登录、导入、修改、材料与批次变更、导出和查看完整个人信息的记录；只追加，不可修改。",
        "Logins, imports, edits, document and batch changes, exports and 'show full': appended, never changed.",
    ),
    "audit.backup": ("立即备份数据库", "Back up the database now"),
    "audit.backup_done": ("已写入备份：{file}", "Backup written: {file}"),
    "backup.key_file": (
        "加密扫描件和备份的密钥文件：{path}",
        "Key file (it encrypts the stored scans and the backups): {path}",
    ),
    "backup.key_reminder": (
        "请将密钥文件 {path} 另存一份，且不要与备份放在一起：没有它，备份无法读取。",
        "Keep a copy of the key file {path} somewhere other than the backups: without it they cannot be read.",
    ),
    # `python -m delegation check`: every block read and its checksum verified by DuckDB
    "check.intact": ("数据库完好：{tables} 张表，{rows} 行", "database intact: {tables} tables, {rows} rows"),
    "audit.actions": ("操作类型", "Actions"),
    "audit.actor": ("操作人", "Who"),
    "audit.days": ("日期范围", "Days"),
    "audit.count": (
        "共 {count} 条（最多显示最近 {limit} 条）",
        "Entries: {count} (the latest {limit} at most)",
    ),
    # The audit log's hash chain (audit.verify_chain): the page and `audit verify` say the same.
    "audit.chain.intact": ("审计链完整（{rows} 行）", "audit chain intact ({rows} rows)"),
    "audit.chain.changed": (
        "审计链已断开：第 {row} 条记录在写入后被修改过。",
        "The audit chain is broken: row {row} was changed after it was written.",
    ),
    "audit.chain.inserted": (
        "审计链已断开：第 {row} 条记录不是本系统写入的（被插入）。",
        "The audit chain is broken: row {row} was not written by the desk (it was inserted).",
    ),
    "audit.chain.removed": (
        "审计链已断开：第 {row} 条记录被删除（第 {next} 条之前的记录已不存在）。",
        "The audit chain is broken: row {row} was removed (the row before row {next} is gone).",
    ),
    "audit.chain.removed_first": (
        "审计链已断开：第 {next} 条之前的记录被删除。",
        "The audit chain is broken: the rows before row {next} were removed.",
    ),
    "audit.chain.removed_between": (
        "审计链已断开：第 {after} 条与第 {next} 条之间的记录被删除。",
        "The audit chain is broken: rows between row {after} and row {next} were removed.",
    ),
    "audit.chain.missing": (
        "审计链已断开：备份时最新的第 {row} 条记录已不存在或已改变（此后删除了末尾的记录，或整条链被改写）。",
        "The audit chain is broken: row {row}, the newest when the backup was made, is gone or different "
        "(rows were removed from the end, or the log rewritten, since).",
    ),
    # What each action in the audit log is called (audit.action_label).
    "audit.action.login": ("登录", "Signed in"),
    "audit.action.login.failed": ("登录失败", "Sign-in failed"),
    "audit.action.login.locked": ("登录暂时锁定", "Sign-in locked for a while"),
    "audit.action.logout": ("退出登录", "Signed out"),
    "audit.action.logout.idle": ("闲置超时退出", "Signed out after being idle"),
    "audit.action.show_full": ("查看完整个人信息", "Showed full personal data"),
    "audit.action.export": ("导出名单", "Exported a list"),
    "audit.action.import": ("导入报名表", "Imported a form"),
    "audit.action.demo": ("载入演示数据", "Loaded demo data"),
    "audit.action.unit.update": ("单位信息变更", "Unit changed"),
    "audit.action.unit.edit": ("编辑单位联系人", "Edited a unit's contact"),
    "audit.action.unit.chased": ("记录催交", "Recorded a chase"),
    "audit.action.participant.update": ("人员信息变更", "Participant changed"),
    "audit.action.participant.edit": ("编辑人员信息", "Edited a participant"),
    "audit.action.document.change": ("材料状态变更", "Document changed"),
    "audit.action.batch.change": ("邀请函批次变更", "Invitation batch changed"),
    "audit.action.backup": ("备份数据库", "Backed up the database"),
    "audit.action.purge": ("清除到期个人信息", "Purged personal data due"),
    "audit.action.purge.backups": ("清除触及备份", "Purge reached the backups"),
    "audit.action.keys.rotate": ("轮换加密密钥", "Rotated the encryption key"),
    # The targets and details of the audit log, in words (audit.audit_entries).
    "audit.target.participant": ("参团人员 {first}（{second}）", "participant {first} ({second})"),
    "audit.target.unit": ("单位 {first}", "unit {first}"),
    "audit.target.document": ("{second}的{first}", "{first} of {second}"),
    "audit.target.import": ("第 {number} 次导入（{first}）", "import {number} ({first})"),
    "audit.target.list": ("名单：{name}", "list: {name}"),
    "audit.target.page": ("页面：{name}", "page: {name}"),
    "audit.target.user": ("账户 {name}", "account {name}"),
    "audit.details.import": (
        "{file}：读取 {rows_read} 行，新增 {added} 人，更新 {updated} 人，无变化 {unchanged} 人，跳过 {skipped} 行",
        "{file}: {rows_read} rows read, {added} added, {updated} updated, {unchanged} unchanged, {skipped} skipped",
    ),
    "audit.details.rows": ("{rows} 行", "{rows} rows"),
    "audit.details.filters": ("筛选：{filters}", "filters: {filters}"),
    "audit.details.as_of": ("统计截至 {date}", "as of {date}"),
    "audit.details.full": ("含完整个人信息", "with full personal data"),
    "audit.details.reason": ("原因：{reason}", "reason: {reason}"),
    "audit.details.file": ("文件：{file}", "file: {file}"),
    "audit.details.frozen": ("冻结为草稿，{count} 人", "frozen as a draft, {count} people"),
    "audit.details.chased": ("催交邮件已发送，{items} 项", "message sent, {items} items"),
    "audit.details.settled": ("工作表“{sheet}”第 {row} 行", "sheet '{sheet}', row {row}"),
    "audit.details.role": ("角色：{role}", "role: {role}"),
    "audit.details.idle": ("{minutes} 分钟无操作", "after {minutes} minutes without a click"),
    "audit.details.demo": (
        "{participants} 人，{units} 家单位",
        "{participants} participants in {units} units",
    ),
    "audit.details.purge": (
        "清除 {participants} 人的个人信息，删除 {files} 个文件",
        "cleared {participants} participants' personal data, deleted {files} files",
    ),
    "audit.details.purge_backups": (
        "改写 {rewritten} 个备份，删除 {deleted} 个",
        "rewrote {rewritten} backups, deleted {deleted}",
    ),
    "audit.details.rotate": (
        "新密钥 {key_id}：重新加密 {scans} 个扫描件和 {backups} 个备份，{failed} 个失败",
        "new key {key_id}: re-encrypted {scans} scans and {backups} backups, {failed} failed",
    ),
    # What each list is called (the export's about sheet, the audit log).
    "list.participants": ("参团人员名单", "Participants"),
    "list.units": ("单位名单", "Units"),
    "list.documents": ("材料清单", "Documents"),
    "list.chase": ("催交清单", "Chase list"),
    "list.batch": ("邀请函批次", "Invitation batch"),
    "list.quality": ("数据质量", "Data quality"),
    "list.audit": ("审计日志", "Audit log"),
    "list.summary": ("领导汇报工作簿", "Leadership workbook"),
    "list.batch_roster": ("批次名单（Excel）", "Batch roster (Excel)"),
    "list.batch_scans": ("批次扫描件（ZIP）", "Batch scans (ZIP)"),
    "column.logged_at": ("时间", "When"),
    "column.actor": ("操作人", "Who"),
    "column.action": ("操作", "Action"),
    "column.target": ("对象", "Target"),
    "column.details": ("详情", "Details"),
    "login.title": ("登录 · 赴美商务代表团报名台", "Sign in · Delegation Desk"),
    "login.user": ("用户名", "User name"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.sso": ("使用单位账号登录", "Sign in with your organisation account"),
    "login.no_role": (
        "该账号没有访问权限，请联系管理员。",
        "This account has no access; ask an administrator.",
    ),
    "login.logout": ("退出登录", "Sign out"),
    "login.idle_ended": (
        "{minutes} 分钟无操作，已自动退出登录；请重新登录。",
        "You were signed out after {minutes} minutes without a click; sign in again.",
    ),
    "access.refused": ("您的角色无权打开此页面。", "Your role may not open this page."),
    "access.local_admin": (
        "尚未配置任何账户：本应用以本地管理员身份运行，仅限本机访问。添加账户的方法见使用说明的“权限与隐私”一节。",
        "No accounts are set up: the app runs as the local admin, reachable from this computer only. The user's guide (Access and privacy) says how to add accounts.",
    ),
    "access.signed_in": ("已登录：{user}（{role}）", "Signed in: {user} ({role})"),
    "role.viewer": ("查看者", "Viewer"),
    "role.staff": ("工作人员", "Staff"),
    "role.admin": ("管理员", "Admin"),
    "export.about": ("导出说明", "About this export"),
    "export.event": ("活动", "Event"),
    "export.list": ("名单", "List"),
    "export.filters": ("筛选条件", "Filters"),
    "export.as_of": ("统计截至", "As of"),
    "export.exported_at": ("导出时间", "Exported at"),
    "export.user": ("导出人", "Exported by"),
    "export.rows": ("行数", "Rows"),
    "export.headers": ("表头语言", "Header language"),
    "export.both": ("中英双语", "Both"),
    "export.csv": ("导出 CSV", "Export CSV"),
    "export.xlsx": ("导出 Excel", "Export Excel"),
    "roster.unit_name": ("单位", "Unit"),
    "roster.unit_name_en": ("单位英文名称", "Company (English)"),
    "roster.position_en": ("英文职务", "Position (English)"),
    "roster.name": ("中文姓名", "Chinese name"),
    "roster.pinyin_name": ("拼音姓名", "Pinyin name"),
    "roster.pinyin_generated": ("拼音为自动生成", "Pinyin generated"),
    "roster.gender": ("性别", "Gender"),
    "roster.date_of_birth": ("出生日期", "Date of birth"),
    "roster.position": ("职务", "Position"),
    "roster.passport_number": ("护照号码", "Passport No."),
    "roster.passport_expiry": ("护照有效期", "Passport expiry"),
    "roster.holds_us_visa": ("持有美国签证", "Holds US visa"),
}


def text(key: str, lang: str) -> str:
    """The label for `key` in `lang` ("zh" or "en")."""
    zh, en = TEXT[key]
    return zh if lang == "zh" else en


def value_words(value: object, lang: str, field: str = "", config: EventConfig | None = None) -> str:
    """A stored value as a reader says it: （空）/ (empty), 是/否, 男/女, a theme's, city's, sector's
    or province's name (a list of them joined), else as it is. `field`: the field it is of."""
    if value is None or value == "" or value == [] or value == ():
        return text("value.empty", lang)
    if isinstance(value, bool):
        return text("value.yes" if value else "value.no", lang)
    if field == "gender" and value in ("M", "F"):
        return text(f"gender.{value}", lang)
    names: dict[str, str] = {}
    if config is not None and field in ("themes", "cities", "sector"):
        choices = {"themes": config.themes, "cities": config.cities, "sector": config.sectors}[field]
        names = {c.key: c.label(lang) for c in choices}
    elif field == "province":
        names = {p.key: p.short_zh if lang == "zh" else p.key for p in PROVINCES}
    if isinstance(value, list | tuple):
        return ("、" if lang == "zh" else ", ").join(names.get(v, str(v)) for v in value)
    return names.get(value, str(value)) if isinstance(value, str) else str(value)
