//! Strings of the statistics page (services bundle only).

use super::Lang;

pub struct StatsTexts {
    pub title: &'static str,
    pub lead: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub place: &'static str,
    pub whole_province: &'static str,
    pub show: &'static str,
    pub received: &'static str,
    pub online: &'static str,
    pub on_time: &'static str,
    pub satisfied: &'static str,
    pub resolved: &'static str,
    pub ratings: &'static str,
    pub no_data: &'static str,
    pub month: &'static str,
    pub unit: &'static str,
    pub field: &'static str,
    pub by_month: &'static str,
    pub on_time_by_month: &'static str,
    pub by_unit: &'static str,
    pub by_field: &'static str,
    /// `{from}`, `{to}`, `{total}`, `{max_label}`, `{max}`, `{min_label}`, `{min}`.
    pub month_summary: &'static str,
    /// `{best_label}`, `{best}`, `{worst_label}`, `{worst}`.
    pub on_time_summary: &'static str,
    /// `{n}`, `{top_label}`, `{top}`.
    pub unit_summary: &'static str,
    pub table_note: &'static str,
    pub period_error: &'static str,
    /// `{n}`: out of how many.
    pub of: &'static str,
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

pub fn texts(lang: Lang) -> &'static StatsTexts {
    match lang {
        Lang::Vi => &VI,
        Lang::En => &EN,
    }
}
