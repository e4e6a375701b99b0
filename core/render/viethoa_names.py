"""The curated lists behind the capitalisation (viết hoa) check (`tongket.core.render.viethoa`).

Names are facts, not rules: organisations, laws, honours, holidays, provinces and cities are
written here in the decree's canonical form, and nothing is derived from them by rule. To teach
the check a name, add it to its list (a test runs every list's own names through the check and
expects no finding).
"""

from __future__ import annotations

#: Vietnamese organisations (IV.1) and foreign ones in translation (IV.2), canonical forms.
#: Names are irregular (Bộ Công Thương but Bộ Tài chính), so nothing here is derived by rule.
ORGANISATIONS: tuple[str, ...] = (
    "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam",
    "Ban Chấp hành Trung ương Đảng",
    "Ban Chấp hành Trung ương",
    "Bộ Chính trị",
    "Ban Bí thư Trung ương Đảng",
    "Ban Bí thư",
    "Văn phòng Trung ương Đảng",
    "Đảng Cộng sản Việt Nam",
    "Ban Thường vụ Tỉnh ủy",
    "Văn phòng Tỉnh ủy",
    "Ủy ban Thường vụ Quốc hội",
    "Ủy ban nhân dân",
    "Hội đồng nhân dân",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "Mặt trận Tổ quốc Việt Nam",
    "Ngân hàng Nhà nước Việt Nam",
    "Ban Chỉ đạo trung ương về Phòng chống tham nhũng",
    "Bộ Công Thương",
    "Bộ Công an",
    "Bộ Giáo dục và Đào tạo",
    "Bộ Kế hoạch và Đầu tư",
    "Bộ Khoa học và Công nghệ",
    "Bộ Ngoại giao",
    "Bộ Nội vụ",
    "Bộ Nông nghiệp và Phát triển nông thôn",
    "Bộ Nông nghiệp và Môi trường",
    "Bộ Quốc phòng",
    "Bộ Tài chính",
    "Bộ Tài nguyên và Môi trường",
    "Bộ Thông tin và Truyền thông",
    "Bộ Tư pháp",
    "Bộ Văn hóa, Thể thao và Du lịch",
    "Sở Công Thương",
    "Sở Giáo dục và Đào tạo",
    "Sở Kế hoạch và Đầu tư",
    "Sở Khoa học và Công nghệ",
    "Sở Ngoại vụ",
    "Sở Nội vụ",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Nông nghiệp và Môi trường",
    "Sở Tài chính",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Tư pháp",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Liên hợp quốc",
    "Tổ chức Thương mại thế giới",
    "Tổ chức Y tế thế giới",
    "Hiệp hội các quốc gia Đông Nam Á",
    "Liên minh châu Âu",
)
#: Names whose all-lower-case spelling is also an ordinary phrase ("bộ y tế" = a medical kit,
#: "những anh hùng lao động"); a hit starting with a lower-case letter is left alone.
GENERIC_PHRASES: tuple[str, ...] = (
    "Bộ Y tế",
    "Bộ Xây dựng",
    "Sở Y tế",
    "Sở Xây dựng",
    # Orders, medals and honorary titles (V.2)
    "Huân chương Sao vàng",
    "Huân chương Hồ Chí Minh",
    "Huân chương Độc lập",
    "Huân chương Lao động",
    "Huân chương Quân công",
    "Huân chương Chiến công",
    "Huân chương Bảo vệ Tổ quốc",
    "Huân chương Hữu nghị",
    "Anh hùng Lao động",
    "Anh hùng Lực lượng vũ trang nhân dân",
    "Nghệ sĩ Nhân dân",
    "Nghệ sĩ Ưu tú",
    "Nhà giáo Nhân dân",
    "Nhà giáo Ưu tú",
    "Thầy thuốc Nhân dân",
    "Thầy thuốc Ưu tú",
    "Bà mẹ Việt Nam Anh hùng",
    # Laws (V.6): "luật thương mại" is also the field of law, so only a capital "Luật" is read
    # as the drafter naming the law.
    "Hiến pháp",
    "Bộ luật Hình sự",
    "Bộ luật Dân sự",
    "Bộ luật Lao động",
    "Bộ luật Tố tụng hình sự",
    "Bộ luật Tố tụng dân sự",
    "Luật Ban hành văn bản quy phạm pháp luật",
    "Luật Tổ chức Quốc hội",
    "Luật Tổ chức Chính phủ",
    "Luật Tổ chức chính quyền địa phương",
    "Luật Cán bộ, công chức",
    "Luật Viên chức",
    "Luật Thương mại",
    "Luật Đầu tư",
    "Luật Đầu tư công",
    "Luật Doanh nghiệp",
    "Luật Ngân sách nhà nước",
    "Luật Đất đai",
    "Luật Quản lý ngoại thương",
    "Luật Điều ước quốc tế",
    "Luật Thỏa thuận quốc tế",
    "Luật Phòng, chống tham nhũng",
    "Luật Xử lý vi phạm hành chính",
    "Luật Đấu thầu",
)
#: Holidays and tết (V.5, V.8), events (V.9): "ngày" and "tết" lower case mid-sentence.
OCCASIONS: tuple[str, ...] = (
    "ngày Quốc khánh",
    "ngày Tổng tuyển cử đầu tiên",
    "ngày Quốc tế Lao động",
    "ngày Quốc tế Phụ nữ",
    "ngày Giải phóng miền Nam",
    "ngày Nhà giáo Việt Nam",
    "ngày Thầy thuốc Việt Nam",
    "ngày Doanh nhân Việt Nam",
    "ngày Pháp luật Việt Nam",
    "tết Nguyên đán",
    "tết Trung thu",
    "tết Đoan ngọ",
    "tết Hàn thực",
    "tết Thanh minh",
    "Cách mạng tháng Tám",
    "Phong trào Xô viết Nghệ Tĩnh",
)
ITEMS = {
    **dict.fromkeys(ORGANISATIONS, "IV.1"),
    **dict.fromkeys(
        ("Liên hợp quốc", "Tổ chức Thương mại thế giới", "Tổ chức Y tế thế giới"), "IV.2"
    ),
    **dict.fromkeys(
        ("Hiệp hội các quốc gia Đông Nam Á", "Liên minh châu Âu"),
        "IV.2",
    ),
    **dict.fromkeys(GENERIC_PHRASES[:4], "IV.1"),
    **dict.fromkeys(GENERIC_PHRASES[4:21], "V.2"),
    **dict.fromkeys(GENERIC_PHRASES[21:], "V.6"),
    **dict.fromkeys(OCCASIONS[:9], "V.5"),
    **dict.fromkeys(OCCASIONS[9:14], "V.8"),
    **dict.fromkeys(OCCASIONS[14:], "V.9"),
}
REASONS = {
    "IV.1": "tên cơ quan, tổ chức viết theo tên chính thức",
    "IV.2": "tên tổ chức quốc tế dịch nghĩa viết như tên tổ chức Việt Nam",
    "V.2": "tên huân chương, danh hiệu viết hoa chữ đầu các thành phần tên",
    "V.5": "'ngày' viết thường, tên ngày lễ viết hoa chữ đầu",
    "V.6": "tên luật viết hoa chữ đầu loại văn bản và chữ đầu tên",
    "V.8": "'tết' viết thường, tên tết viết hoa chữ đầu",
    "V.9": "tên sự kiện lịch sử viết theo dạng chuẩn",
}

#: Acronyms of international organisations (IV.2): all capitals, as in the original.
ACRONYMS: tuple[str, ...] = ("ASEAN", "UNESCO", "UNICEF", "WTO", "APEC")

#: Provinces and centrally-run cities, for "Tỉnh Quảng Ngãi" → "tỉnh Quảng Ngãi".
PROVINCES: frozenset[str] = frozenset(
    """An Giang|Bà Rịa|Bà Rịa - Vũng Tàu|Bạc Liêu|Bắc Giang|Bắc Kạn|Bắc Ninh|Bến Tre|Bình Dương|
    Bình Định|Bình Phước|Bình Thuận|Cà Mau|Cao Bằng|Đắk Lắk|Đắk Nông|Điện Biên|Đồng Nai|
    Đồng Tháp|Gia Lai|Hà Giang|Hà Nam|Hà Tĩnh|Hải Dương|Hậu Giang|Hòa Bình|Hưng Yên|Khánh Hòa|
    Kiên Giang|Kon Tum|Lai Châu|Lâm Đồng|Lạng Sơn|Lào Cai|Long An|Nam Định|Nghệ An|Ninh Bình|
    Ninh Thuận|Phú Thọ|Phú Yên|Quảng Bình|Quảng Nam|Quảng Ngãi|Quảng Ninh|Quảng Trị|Sóc Trăng|
    Sơn La|Tây Ninh|Thái Bình|Thái Nguyên|Thanh Hóa|Thừa Thiên Huế|Tiền Giang|Trà Vinh|
    Tuyên Quang|Vĩnh Long|Vĩnh Phúc|Yên Bái""".replace("\n", "")
    .replace("    ", "")
    .split("|")
)
CITIES: frozenset[str] = frozenset(
    """Hà Nội|Hải Phòng|Đà Nẵng|Cần Thơ|Huế|Quảng Ngãi|Thái Nguyên|Nam Định|Vũng Tàu|
    Nha Trang|Đà Lạt|Buôn Ma Thuột|Biên Hòa|Quy Nhơn|Vinh|Hạ Long|Thủ Đức|Việt Trì|Hội An|
    Tam Kỳ|Pleiku|Kon Tum|Tuy Hòa|Phan Thiết|Cà Mau|Rạch Giá|Long Xuyên|Mỹ Tho|Bến Tre|
    Thủ Dầu Một|Bắc Ninh|Lạng Sơn|Lào Cai|Điện Biên Phủ|Sơn La|Thanh Hóa|Đồng Hới|
    Đông Hà|Hà Tĩnh|Ninh Bình|Hải Dương|Hưng Yên|Thái Bình|Phủ Lý|Vĩnh Yên|Tuyên Quang|
    Yên Bái|Hòa Bình|Cao Bằng|Hà Giang|Bắc Kạn|Bắc Giang|Uông Bí|Móng Cái|Cẩm Phả|
    Sóc Trăng|Trà Vinh|Vĩnh Long|Cao Lãnh|Sa Đéc|Vị Thanh|Bạc Liêu|Tân An|Tây Ninh|
    Đồng Xoài|Bảo Lộc|Gia Nghĩa|Phan Rang - Tháp Chàm|Cam Ranh|Châu Đốc|Hà Tiên|Phú Quốc""".replace(
        "\n", ""
    )
    .replace("    ", "")
    .split("|")
)
#: First syllables that make "Phường Lê Lợi", "Quận Hai Bà Trưng" possibly a person's or an
#: event's name, which keeps the capital unit noun (III.1b); and words that start an
#: organisation rather than a place ("Tỉnh Đảng bộ", "Huyện Đoàn").
SURNAMES: frozenset[str] = frozenset(
    [
        "Nguyễn",
        "Trần",
        "Lê",
        "Phạm",
        "Hoàng",
        "Huỳnh",
        "Phan",
        "Vũ",
        "Võ",
        "Đặng",
        "Bùi",
        "Đỗ",
        "Hồ",
        "Ngô",
        "Dương",
        "Lý",
        "Đinh",
        "Đào",
        "Cao",
        "Lâm",
        "Trịnh",
        "Mai",
        "Trương",
        "Tô",
        "Hà",
        "Tạ",
        "Thái",
        "Lương",
        "Châu",
        "Tăng",
        "Lưu",
        "Quách",
        "Kiều",
        "Triệu",
        "Doãn",
        "Đoàn",
        "Chu",
        "Vương",
        "Lại",
        "Hứa",
        "Khổng",
        "La",
        "Mạc",
        "Thân",
        "Từ",
        "Đàm",
        "Nông",
        "Lục",
        "Lã",
        "Văn",
        "Quang",
        "Hai",
        "Bà",
        "Điện",
        "Bạch",
        "Tôn",
        "Phùng",
        "Nghiêm",
        "Âu",
        "Giáp",
        "Hàn",
        "Khúc",
        "Kim",
        "Mạc",
        "Ông",
        "Tống",
        "Vi",
    ]
)
NOT_PLACES = frozenset(
    [
        "Đảng",
        "Ủy",
        "Uỷ",
        "Đoàn",
        "Hội",
        "Đội",
        "Ban",
        "Sở",
        "Phòng",
        "Công",
        "Nhà",
        "Đại",
        "Chỉ",
        "Bí",
        "Quân",
        "Chính",
        "Ngoại",
        "Thương",
        "Lào",
    ]
)
#: Lower-case titles before a person's name (V.3), with the capitals they take there.
TITLES: dict[str, str] = {
    title.lower(): title
    for title in (
        "Giám đốc",
        "Phó Giám đốc",
        "Tổng Giám đốc",
        "Chủ tịch",
        "Phó Chủ tịch",
        "Bí thư",
        "Phó Bí thư",
        "Tổng Bí thư",
        "Bộ trưởng",
        "Thứ trưởng",
        "Thủ tướng",
        "Phó Thủ tướng",
        "Chủ nhiệm",
        "Trưởng phòng",
        "Phó Trưởng phòng",
        "Chánh Văn phòng",
        "Giáo sư",
        "Phó Giáo sư",
        "Tiến sĩ",
    )
}
#: Kinds of document (V.6), canonical: capitalised before "số" or a ký hiệu.
DOCUMENT_TYPES: tuple[str, ...] = (
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
    "Nghị định",
    "Nghị quyết liên tịch",
    "Nghị quyết",
    "Quyết định",
    "Chỉ thị",
    "Thông tư liên tịch",
    "Thông tư",
    "Công văn",
    "Công điện",
    "Kế hoạch",
    "Báo cáo",
    "Thông báo",
    "Chương trình",
    "Đề án",
    "Tờ trình",
    "Hướng dẫn",
    "Kết luận",
    "Quy định",
    "Quy chế",
    "Hiệp định",
)
HEAVENLY_STEMS = ["Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý"]
EARTHLY_BRANCHES = [
    "Tý",
    "Sửu",
    "Dần",
    "Mão",
    "Mẹo",
    "Thìn",
    "Tỵ",
    "Tị",
    "Ngọ",
    "Mùi",
    "Thân",
    "Dậu",
    "Tuất",
    "Hợi",
]
#: Before "Sông …"/"Vịnh …" mid-sentence: words after which it is the river, not a district
#: (huyện Sông Hinh) or a company (Tổng công ty Sông Đà).
RIVER_CUES = frozenset(
    [
        "trên",
        "dưới",
        "ven",
        "dọc",
        "bờ",
        "vực",
        "qua",
        "tại",
        "ở",
        "và",
        "sang",
        "đến",
        "tới",
        "phía",
        "trong",
        "ngoài",
        "vào",
        "ra",
        "khu",
        "vùng",
        "quanh",
        "khắp",
        ",",
        "cửa",
    ]
)


#: People's Committees and Councils as a sentence writes them, by their words in lower case
#: (`council_of`).
COUNCILS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("ubnd",), "UBND"),
    (("ủy", "ban", "nhân", "dân"), "Ủy ban nhân dân"),
    (("uỷ", "ban", "nhân", "dân"), "Ủy ban nhân dân"),
    (("hđnd",), "HĐND"),
    (("hội", "đồng", "nhân", "dân"), "Hội đồng nhân dân"),
)
#: The councils that are People's Committees (a Council signs differently).
PEOPLES_COMMITTEES = ("UBND", "Ủy ban nhân dân")


def council_of(name: str) -> tuple[str, list[str]] | None:
    """A name that opens with a People's Committee or Council ("ỦY BAN NHÂN DÂN HUYỆN BÌNH
    SƠN"): that council as a sentence writes it and the rest of the words in lower case
    (("Ủy ban nhân dân", ["huyện", "bình", "sơn"])); None for any other name."""
    words = name.lower().split()
    for spoken, written in COUNCILS:
        if tuple(words[: len(spoken)]) == spoken:
            return written, words[len(spoken) :]
    return None
