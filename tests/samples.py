"""Tiny plan texts shaped like the real ones: task lines, unit headings, a signature."""

PLAN_A = """ỦY BAN NHÂN DÂN
TỈNH NINH THUẬN

Số: 12/KH-UBND

Ninh Thuận, ngày 05 tháng 8 năm 2024

KẾ HOẠCH

Triển khai Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ về công tác thông tin đối ngoại

Thực hiện Nghị quyết số 47/NQ-CP ngày 15/4/2024 của Chính phủ và Kế hoạch số 240-KH/TU ngày 13/9/2023 của Ban Thường vụ Tỉnh ủy; Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU
1. Triển khai thực hiện công tác thông tin đối ngoại cả trên không gian thực và không gian mạng.
II. CÁC NHÓM NHIỆM VỤ
1. Công tác phối hợp
1.1. Kịp thời khen thưởng các tổ chức, cá nhân có đóng góp cho công tác quảng bá hình ảnh của tỉnh.
- Đơn vị thực hiện: Sở Nội vụ.
- Đơn vị phối hợp: Ban Tuyên giáo Tỉnh ủy; Sở Thông tin và Truyền thông.
- Thời gian thực hiện: Hàng năm.
1.2. Tổ chức đào tạo, bồi dưỡng đội ngũ cán bộ làm công tác thông tin đối ngoại.
- Đơn vị thực hiện: Sở Thông tin và Truyền thông.
- Thời gian thực hiện: Thường xuyên.
IV. TỔ CHỨC THỰC HIỆN
1. Định kỳ hằng năm (trước 15 tháng 12), các sở báo cáo kết quả về Sở Thông tin và Truyền thông.

Nơi nhận:
- Bộ Thông tin và Truyền thông;
- Lưu: VT.
"""

PLAN_B = """Số: /KH-UBND

Bắc Giang, ngày tháng 7 năm 2024

KẾ HOẠCH

Triển khai Chương trình hành động của Chính phủ về thông tin đối ngoại

Thực hiện Kết luận số 57-KL/TW ngày 15/6/2023 của Bộ Chính trị; Chủ tịch UBND tỉnh ban hành Kế hoạch triển khai thực hiện như sau:

VI. TỔ CHỨC THỰC HIỆN

1. Sở Tài chính

Thẩm định dự toán ngân sách hằng năm cho các hoạt động thông tin đối ngoại.

2. Sở Nội vụ

Chủ trì, phối hợp với Sở Thông tin và Truyền thông tham mưu việc bố trí vị trí việc làm chuyên trách và khen thưởng đối với các tổ chức, cá nhân.

Định kỳ trước ngày 15/11 hằng năm, các cơ quan báo cáo kết quả triển khai thực hiện.

Trên đây là Kế hoạch, thay thế Kế hoạch số 192/KH-UBND ngày 26/11/2023 của Chủ tịch UBND tỉnh./.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Mai Sơn
"""
