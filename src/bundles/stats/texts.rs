//! Strings of the statistics page (services bundle only).

catalog! {
    pub struct StatsTexts {
        title, lead, from, to, place, whole_province, show, received, online, paid_online,
        paid_online_detail, bookings,
        /// `{in}`, `{walk}` and `{wait}` are replaced.
        bookings_detail, on_time, satisfied,
        resolved, ratings, no_data, month, unit, field, by_month, on_time_by_month, by_unit,
        by_field,
        /// `{from}`, `{to}`, `{total}`, `{max_label}`, `{max}`, `{min_label}`, `{min}`.
        month_summary,
        /// `{best_label}`, `{best}`, `{worst_label}`, `{worst}`.
        on_time_summary,
        /// `{n}`, `{top_label}`, `{top}`.
        unit_summary,
        table_note, period_error,
        /// `{n}`: out of how many.
        of,
    }
}

pub static VI: StatsTexts = StatsTexts {
    title: "Thống kê dịch vụ công",
    lead: "Số liệu tính trực tiếp từ hồ sơ trên cổng: tiếp nhận, giải quyết đúng hạn, nộp trực tuyến và mức độ hài lòng.",
    from: "Từ tháng",
    to: "Đến tháng",
    place: "Nơi tiếp nhận",
    whole_province: "Toàn tỉnh",
    show: "Xem số liệu",
    received: "Hồ sơ tiếp nhận",
    online: "Nộp trực tuyến",
    paid_online: "Nộp phí trực tuyến",
    paid_online_detail: "khoản phí, lệ phí nộp qua nền tảng thanh toán",
    bookings: "Lịch hẹn tại quầy",
    bookings_detail: "{in} người đến theo hẹn, {walk} số không hẹn; chờ đến lượt (trung vị): {wait} phút",
    on_time: "Giải quyết đúng hạn",
    satisfied: "Hài lòng",
    resolved: "Đã giải quyết",
    ratings: "Lượt đánh giá",
    no_data: "Chưa có số liệu",
    month: "Tháng",
    unit: "Nơi tiếp nhận",
    field: "Lĩnh vực",
    by_month: "Hồ sơ tiếp nhận theo tháng",
    on_time_by_month: "Tỷ lệ giải quyết đúng hạn theo tháng",
    by_unit: "So sánh theo nơi tiếp nhận",
    by_field: "Theo lĩnh vực",
    month_summary: "Từ {from} đến {to} tiếp nhận {total} hồ sơ; nhiều nhất tháng {max_label} ({max}), ít nhất tháng {min_label} ({min}).",
    on_time_summary: "Tháng đúng hạn cao nhất: {best_label} ({best}); thấp nhất: {worst_label} ({worst}).",
    unit_summary: "{n} nơi tiếp nhận có hồ sơ; nhiều nhất là {top_label} ({top} hồ sơ).",
    table_note: "Bảng số liệu đầy đủ:",
    period_error: "Tháng bắt đầu phải trước tháng kết thúc, tối đa 36 tháng",
    of: "trên {n}",
};

pub static EN: StatsTexts = StatsTexts {
    title: "Public service statistics",
    lead: "Figures computed directly from the dossiers on the portal: received, resolved on time, filed online, and satisfaction.",
    from: "From",
    to: "To",
    place: "Received at",
    whole_province: "Whole province",
    show: "Show the figures",
    received: "Dossiers received",
    online: "Filed online",
    paid_online: "Fees paid online",
    paid_online_detail: "payments through the payment platform",
    bookings: "Bookings at the desk",
    bookings_detail: "{in} came as booked, {walk} walk-in numbers; wait to be called (median): {wait} minutes",
    on_time: "Resolved on time",
    satisfied: "Satisfied",
    resolved: "Resolved",
    ratings: "Ratings",
    no_data: "No figures yet",
    month: "Month",
    unit: "Received at",
    field: "Field",
    by_month: "Dossiers received per month",
    on_time_by_month: "Share resolved on time per month",
    by_unit: "By desk",
    by_field: "By field",
    month_summary: "From {from} to {to}, {total} dossiers were received; most in {max_label} ({max}), fewest in {min_label} ({min}).",
    on_time_summary: "Best month on time: {best_label} ({best}); lowest: {worst_label} ({worst}).",
    unit_summary: "{n} desks received dossiers; the most: {top_label} ({top} dossiers).",
    table_note: "All the figures:",
    period_error: "The first month must come before the last, 36 months at most",
    of: "of {n}",
};
