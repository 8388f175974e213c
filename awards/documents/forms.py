"""The wording and layout of each document, written once: the DOCX default template is built from
it (with its Jinja fields left for docxtpl) and the PDF is drawn from it (the fields filled).

A document is a list of blocks:
  ("heading", above, issuer, number)   the two-column heading of Decree 30/2020 (or the Party's)
  ("title", text)                      a bold centred line in the document's title size
  ("line", text, style)                a paragraph: "centre", "bold", "italic" or "body" (justified)
  ("each", loop, text)                 one body line per item of the context's list `loop` (item: h)
  ("table", loop, [(header, cell)])    one row per item of the list `loop` (item: n)
  ("sign", [(title, name)])            signature blocks side by side, the last on the right
"""

SUBMISSION, MINUTES, DECISION = "submission", "minutes", "decision"
KINDS = (SUBMISSION, MINUTES, DECISION)

FORMS = {
    SUBMISSION: [
        ("heading", "{{ unit_above }}", "{{ unit_upper }}", "Số: {{ reference }}"),
        ("title", "TỜ TRÌNH"),
        ("line", "Về việc đề nghị khen thưởng năm {{ year }}{% if campaign %} ({{ campaign }}){% endif %}", "bold"),
        ("line", "Kính gửi: {{ authority }}", "centre"),
        ("line", "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15 và các văn bản hướng dẫn thi hành; căn cứ kết quả "
                 "bình xét của Hội đồng Thi đua – Khen thưởng{% if meeting %} ngày {{ meeting.date }}{% endif %}, "
                 "{{ unit }} kính đề nghị {{ authority }} xét, khen thưởng cho {{ count }} cá nhân, tập thể có thành "
                 "tích {{ kind }} năm {{ year }}:", "body"),
        ("each", "by_honour", "– {{ h.title }}: {{ h.count }};"),
        ("line", "(Danh sách kèm theo)", "italic"),
        ("table", "nominees", [("STT", "{{ n.index }}"), ("Họ và tên", "{{ n.name }}"),
                               ("Cấp bậc, chức vụ", "{{ n.rank_position }}"), ("Đơn vị", "{{ n.unit }}"),
                               ("Hình thức đề nghị", "{{ n.honour }}"), ("Tóm tắt thành tích", "{{ n.summary }}")]),
        ("line", "{{ unit }} kính trình {{ authority }} xem xét, quyết định.", "body"),
        ("sign", [("THỦ TRƯỞNG ĐƠN VỊ", "")]),
    ],
    MINUTES: [
        ("heading", "{{ unit_upper }}", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", ""),
        ("title", "BIÊN BẢN"),
        ("line", "Họp Hội đồng Thi đua – Khen thưởng xét đề nghị khen thưởng năm {{ year }}", "bold"),
        ("line", "Thời gian: ngày {{ meeting.date }}. Địa điểm: {{ meeting.place }}.", "body"),
        ("line", "Chủ trì: {{ meeting.chair }}. Thư ký: {{ meeting.secretary }}.", "body"),
        ("line", "Thành viên có mặt: {{ meeting.present }}/{{ meeting.total }} (đủ số thành viên theo quy định: ít "
                 "nhất {{ meeting.needed }}).", "body"),
        ("line", "Hội đồng bỏ phiếu kín; kết quả tính trên tổng số {{ meeting.total }} thành viên Hội đồng:", "body"),
        ("table", "votes", [("STT", "{{ n.index }}"), ("Họ và tên", "{{ n.name }}"), ("Hình thức", "{{ n.honour }}"),
                            ("Đồng ý", "{{ n.agree }}"), ("Không đồng ý", "{{ n.disagree }}"),
                            ("Tỷ lệ", "{{ n.share }}% (cần {{ n.threshold }}%)"), ("Kết quả", "{{ n.result }}")]),
        ("line", "Hội đồng thống nhất đề nghị {{ passed_count }} cá nhân, tập thể đạt tỷ lệ phiếu theo quy định.",
         "body"),
        ("sign", [("THƯ KÝ", "{{ meeting.secretary }}"), ("CHỦ TỊCH HỘI ĐỒNG", "{{ meeting.chair }}")]),
    ],
    DECISION: [
        ("heading", "{{ authority_above }}", "{{ authority_upper }}", "Số: {{ number }}"),
        ("title", "QUYẾT ĐỊNH"),
        ("line", "{{ subject }}", "bold"),
        ("line", "{{ authority_upper }}", "bold"),
        ("line", "Căn cứ Luật Thi đua, khen thưởng số 06/2022/QH15; căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ "
                 "quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;", "body"),
        ("line", "Xét đề nghị của {{ proposers }},", "body"),
        ("line", "QUYẾT ĐỊNH:", "bold"),
        ("line", "Điều 1. Tặng {{ honours }} cho {{ count }} cá nhân, tập thể có tên trong danh sách kèm theo "
                 "(“{{ reason }}”).", "body"),
        ("line", "Điều 2. Các cơ quan, đơn vị và cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này.",
         "body"),
        ("sign", [("{{ signer_title }}", "{{ signer_name }}")]),
        ("title", "DANH SÁCH KHEN THƯỞNG"),
        ("line", "(Kèm theo Quyết định số {{ number }})", "italic"),
        ("table", "nominees", [("STT", "{{ n.index }}"), ("Họ và tên", "{{ n.name }}"),
                               ("Cấp bậc, chức vụ", "{{ n.rank_position }}"), ("Đơn vị", "{{ n.unit }}"),
                               ("Hình thức", "{{ n.honour }}")]),
    ],
}

# The heading's right column: the nation's motto, or the Party's name for a Party body.
MOTTO = ("{% if party %}ĐẢNG CỘNG SẢN VIỆT NAM{% else %}CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM{% endif %}",
         "{% if not party %}Độc lập – Tự do – Hạnh phúc{% endif %}")
DATE_LINE = "{{ place }}, ngày {{ day }} tháng {{ month }} năm {{ year_now }}"
SIGN_NOTE = "(Ký, ghi rõ họ tên)"
