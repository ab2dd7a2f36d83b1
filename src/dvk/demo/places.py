"""Names for the demo province, shaped like Kiên Giang before the 2025 reform (seed 004)."""

PROVINCE = ("KG", "Tỉnh Kiên Giang")

# code suffix, district-level unit name, communes (grassroots localities)
DISTRICTS = [
    ("RG", "Thành phố Rạch Giá", ["Phường Vĩnh Thanh Vân", "Phường Vĩnh Thanh", "Phường Vĩnh Lạc",
     "Phường Vĩnh Bảo", "Phường Vĩnh Hiệp", "Phường Vĩnh Thông", "Phường An Hòa", "Phường An Bình",
     "Phường Rạch Sỏi", "Xã Phi Thông"]),
    ("HT", "Thành phố Hà Tiên", ["Phường Đông Hồ", "Phường Bình San", "Phường Pháo Đài",
     "Phường Tô Châu", "Xã Mỹ Đức", "Xã Thuận Yên", "Xã Tiên Hải"]),
    ("PQ", "Thành phố Phú Quốc", ["Phường Dương Đông", "Phường An Thới", "Xã Cửa Dương",
     "Xã Cửa Cạn", "Xã Gành Dầu", "Xã Bãi Thơm", "Xã Hàm Ninh", "Xã Dương Tơ", "Xã Thổ Châu"]),
    ("KL", "Huyện Kiên Lương", ["Thị trấn Kiên Lương", "Xã Kiên Bình", "Xã Hòa Điền",
     "Xã Dương Hòa", "Xã Bình An", "Xã Bình Trị", "Xã Sơn Hải", "Xã Hòn Nghệ"]),
    ("HD", "Huyện Hòn Đất", ["Thị trấn Hòn Đất", "Thị trấn Sóc Sơn", "Xã Bình Sơn", "Xã Bình Giang",
     "Xã Mỹ Lâm", "Xã Mỹ Hiệp Sơn", "Xã Sơn Kiên", "Xã Lình Huỳnh", "Xã Thổ Sơn", "Xã Mỹ Thái"]),
    ("TH", "Huyện Tân Hiệp", ["Thị trấn Tân Hiệp", "Xã Tân Hiệp A", "Xã Tân Hiệp B",
     "Xã Thạnh Đông", "Xã Thạnh Đông A", "Xã Thạnh Đông B", "Xã Tân Hội", "Xã Tân Thành",
     "Xã Thạnh Trị"]),
    ("CT", "Huyện Châu Thành", ["Thị trấn Minh Lương", "Xã Mong Thọ A", "Xã Mong Thọ B",
     "Xã Giục Tượng", "Xã Vĩnh Hòa Hiệp", "Xã Vĩnh Hòa Phú", "Xã Minh Hòa", "Xã Thạnh Lộc"]),
    ("GR", "Huyện Giồng Riềng", ["Thị trấn Giồng Riềng", "Xã Thạnh Hưng", "Xã Thạnh Phước",
     "Xã Long Thạnh", "Xã Bàn Tân Định", "Xã Ngọc Chúc", "Xã Hòa Thuận", "Xã Vĩnh Thạnh"]),
    ("GQ", "Huyện Gò Quao", ["Thị trấn Gò Quao", "Xã Định Hòa", "Xã Định An", "Xã Thủy Liễu",
     "Xã Vĩnh Hòa Hưng Bắc", "Xã Vĩnh Phước A", "Xã Thới Quản", "Xã Vĩnh Tuy"]),
    ("AB", "Huyện An Biên", ["Thị trấn Thứ Ba", "Xã Đông Thái", "Xã Nam Yên", "Xã Tây Yên",
     "Xã Hưng Yên", "Xã Đông Yên", "Xã Nam Thái"]),
    ("AM", "Huyện An Minh", ["Thị trấn Thứ Mười Một", "Xã Vân Khánh Tây", "Xã Vân Khánh",
     "Xã Đông Hòa", "Xã Thuận Hòa", "Xã Đông Hưng", "Xã Tân Thạnh"]),
    ("VT", "Huyện Vĩnh Thuận", ["Thị trấn Vĩnh Thuận", "Xã Vĩnh Bình Nam", "Xã Vĩnh Bình Bắc",
     "Xã Tân Thuận", "Xã Phong Đông", "Xã Vĩnh Phong"]),
    ("UMT", "Huyện U Minh Thượng", ["Xã Thạnh Yên", "Xã An Minh Bắc", "Xã Minh Thuận",
     "Xã Vĩnh Hòa", "Xã Hòa Chánh", "Xã Thạnh Yên A"]),
    ("GT", "Huyện Giang Thành", ["Xã Tân Khánh Hòa", "Xã Phú Mỹ", "Xã Phú Lợi", "Xã Vĩnh Điều",
     "Xã Vĩnh Phú"]),
    ("KH", "Huyện Kiên Hải", ["Xã Hòn Tre", "Xã Lại Sơn", "Xã An Sơn", "Xã Nam Du"]),
]

# Party committees directly under the province (district-equivalent), with their grassroots units.
DIRECT_COMMITTEES = [
    ("CCQ", "Đảng ủy Khối Các cơ quan tỉnh", "dang", [
        ("Sở Tài nguyên và Môi trường", "chinh-quyen"), ("Bệnh viện Đa khoa tỉnh", "chinh-quyen"),
        ("Sở Giáo dục và Đào tạo", "chinh-quyen"), ("Sở Y tế", "chinh-quyen"),
        ("Văn phòng Tỉnh ủy", "dang"), ("Ủy ban MTTQ Việt Nam tỉnh", "mat-tran-doan-the"),
        ("Hội Liên hiệp Phụ nữ tỉnh", "mat-tran-doan-the"), ("Liên hiệp các Hội Văn học Nghệ thuật tỉnh", "hoi-quan-chung")]),
    ("KDN", "Đảng ủy Khối Doanh nghiệp tỉnh", "doanh-nghiep", [
        ("Công ty Điện lực Kiên Giang", "doanh-nghiep"), ("Công ty Cấp thoát nước Kiên Giang", "doanh-nghiep"),
        ("Ngân hàng Nông nghiệp chi nhánh Kiên Giang", "doanh-nghiep"), ("Công ty Xổ số kiến thiết Kiên Giang", "doanh-nghiep")]),
    ("QS", "Đảng ủy Quân sự tỉnh", "quan-su", [
        ("Trung đoàn Bộ binh 897", "quan-su"), ("Phòng Chính trị Bộ CHQS tỉnh", "quan-su"),
        ("Ban CHQS thành phố Rạch Giá", "quan-su")]),
    ("CA", "Đảng ủy Công an tỉnh", "cong-an", [
        ("Phòng Cảnh sát giao thông", "cong-an"), ("Phòng Cảnh sát quản lý hành chính về trật tự xã hội", "cong-an"),
        ("Phòng An ninh nội địa", "cong-an"), ("Công an thành phố Rạch Giá", "cong-an"),
        ("Công an huyện Hòn Đất", "cong-an"), ("Công an huyện Gò Quao", "cong-an")]),
    ("BP", "Đảng ủy Bộ đội Biên phòng tỉnh", "bien-phong", [
        ("Đồn Biên phòng Hòn Đất", "bien-phong"), ("Đồn Biên phòng Xà Xía", "bien-phong"),
        ("Đồn Biên phòng Cửa khẩu quốc tế Hà Tiên", "bien-phong")]),
]

# Organisations of every commune: (code suffix, name prefix, kind, sector code)
COMMUNE_ORGS = [
    ("DU", "Đảng ủy", "grassroots", "dang"),
    ("UB", "Ủy ban nhân dân", "grassroots", "chinh-quyen"),
    ("MT", "Ủy ban MTTQ", "grassroots", "mat-tran-doan-the"),
    ("PN", "Hội Liên hiệp Phụ nữ", "grassroots", "mat-tran-doan-the"),
    ("ND", "Hội Nông dân", "grassroots", "mat-tran-doan-the"),
    ("DTN", "Đoàn Thanh niên", "grassroots", "mat-tran-doan-the"),
    ("CCB", "Hội Cựu chiến binh", "grassroots", "mat-tran-doan-the"),
    ("CA", "Công an", "grassroots", "cong-an"),
    ("QS", "Ban Chỉ huy Quân sự", "grassroots", "quan-su"),
    ("CTD", "Hội Chữ thập đỏ", "grassroots", "hoi-quan-chung"),
]
HAMLETS = ["Ấp Phước Tiền", "Ấp Thuận Hòa", "Ấp An Hòa", "Ấp Minh Cường", "Khu phố 6"]

# District-level organisations (grassroots units directly under the district).
DISTRICT_ORGS = [
    ("PN", "Hội Liên hiệp Phụ nữ", "mat-tran-doan-the"),
    ("ND", "Hội Nông dân", "mat-tran-doan-the"),
    ("DTN", "Huyện đoàn", "mat-tran-doan-the"),
    ("MT", "Ủy ban MTTQ", "mat-tran-doan-the"),
    ("VP", "Văn phòng HĐND-UBND", "chinh-quyen"),
    ("BV", "Bệnh viện Đa khoa", "chinh-quyen"),
]

TITLES = [
    "Khéo vận động góp vốn xoay vòng mua bảo hiểm y tế",
    "Khéo vận động làm đường chiếu sáng nông thôn",
    "Khéo vận động xây dựng cầu bê tông nông thôn mới",
    "Khéo vận động nhân dân hiến đất làm đường giao thông",
    "Khéo vận động hội viên phát triển kinh tế hộ gia đình",
    "Hũ gạo tình thương",
    "Khéo vận động hòa giải ở cơ sở",
    "Khéo vận động thu gom, phân loại rác thải tại nguồn",
    "Khéo vận động nguồn lực cất nhà cho hộ nghèo",
    "Khéo vận động tổ chức bếp ăn từ thiện",
    "Khéo vận động người dân hiến máu cứu người",
    "Chính quyền thân thiện, phục vụ nhân dân",
    "Khéo vận động thành lập tổ hợp tác sản xuất lúa chất lượng cao",
    "Khéo vận động nhân dân tham gia bảo vệ an ninh trật tự",
    "Khéo vận động thanh niên lập nghiệp",
    "Khéo vận động cải cách thủ tục hành chính một cửa",
    "Khéo vận động phụ nữ tiết kiệm giúp nhau giảm nghèo",
    "Khéo vận động nông dân chuyển đổi cơ cấu cây trồng",
    "Khéo vận động phòng, chống dịch Covid-19",
    "Tuyến đường hoa, cờ Tổ quốc",
]

PEOPLE = ["Nguyễn Thành Nhơn", "Trần Thị Tuyết Nhung", "Lê Văn Hùng", "Phạm Thị Lan",
          "Đặng Văn Cường", "Huỳnh Thị Mỹ", "Võ Minh Tâm", "Dương Văn Bé", "Lâm Thị Hồng",
          "Trương Quốc Việt"]

# The smaller An Giang before the reform: district-level units and their communes.
AN_GIANG_BEFORE = ("AG", "Tỉnh An Giang")
AN_GIANG_DISTRICTS = [
    ("LX", "Thành phố Long Xuyên", ["Phường Mỹ Bình", "Phường Mỹ Long", "Phường Mỹ Xuyên",
     "Phường Bình Đức", "Xã Mỹ Hòa Hưng"]),
    ("CD", "Thành phố Châu Đốc", ["Phường Châu Phú A", "Phường Châu Phú B", "Phường Núi Sam",
     "Xã Vĩnh Châu"]),
    ("CP", "Huyện Châu Phú", ["Thị trấn Cái Dầu", "Xã Bình Long", "Xã Bình Chánh",
     "Xã Khánh Hòa", "Xã Bình Mỹ"]),
    ("TT", "Huyện Tri Tôn", ["Thị trấn Tri Tôn", "Xã Núi Tô", "Xã Cô Tô", "Xã Ô Lâm"]),
]

# The province formed on 01/07/2025 (Kiên Giang merged into An Giang; no districts since).
NEW_PROVINCE = ("AGN", "Tỉnh An Giang")
# The old province-level Party committees and the new province's units that take them over:
# old code suffix -> (new code suffix, name, sector).
DIRECT_SUCCESSORS = {
    "CCQ": ("CCQ", "Đảng ủy các cơ quan Đảng tỉnh", "dang"),
    "KDN": ("UBT", "Đảng ủy Ủy ban nhân dân tỉnh", "chinh-quyen"),
    "QS": ("QS", "Đảng ủy Quân sự tỉnh", "quan-su"),
    "CA": ("CA", "Đảng ủy Công an tỉnh", "cong-an"),
    "BP": ("BP", "Đảng ủy Bộ đội Biên phòng tỉnh", "bien-phong"),
}
