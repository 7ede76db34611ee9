//! Dossier statuses as the national portal numbers them, and which moves
//! between them are allowed. The portal enforces these; the app explains them.

use serde::{Deserialize, Serialize};

/// On the wire it is its national number, 1–10 (as the national portal's
/// `TrangThaiHoSo`); in code it is this enum, so no number goes unchecked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[repr(u8)]
pub enum DossierStatus {
    /// 1 Mới đăng ký.
    Registered = 1,
    /// 2 Được tiếp nhận.
    Accepted = 2,
    /// 3 Không được tiếp nhận.
    Rejected = 3,
    /// 4 Đang xử lý.
    Processing = 4,
    /// 5 Yêu cầu bổ sung giấy tờ.
    SupplementRequested = 5,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính.
    PaymentRequested = 6,
    /// 7 Công dân yêu cầu rút hồ sơ.
    WithdrawalRequested = 7,
    /// 8 Dừng xử lý.
    Stopped = 8,
    /// 9 Đã xử lý xong.
    Resolved = 9,
    /// 10 Đã trả kết quả.
    Returned = 10,
}

use DossierStatus::*;

impl From<DossierStatus> for u8 {
    fn from(s: DossierStatus) -> u8 {
        s.number()
    }
}

impl TryFrom<u8> for DossierStatus {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Self::from_number(n).ok_or_else(|| format!("no dossier status {n} (1–10)"))
    }
}

impl DossierStatus {
    pub const ALL: [DossierStatus; 10] = [
        Registered,
        Accepted,
        Rejected,
        Processing,
        SupplementRequested,
        PaymentRequested,
        WithdrawalRequested,
        Stopped,
        Resolved,
        Returned,
    ];

    pub fn number(self) -> u8 {
        self as u8
    }

    pub fn from_number(n: u8) -> Option<Self> {
        Self::ALL.iter().copied().find(|s| s.number() == n)
    }

    /// Its name in Vietnamese, or else in English.
    pub fn label(self, vietnamese: bool) -> &'static str {
        if vietnamese {
            self.vi()
        } else {
            self.en()
        }
    }

    pub fn vi(self) -> &'static str {
        match self {
            Registered => "Mới đăng ký",
            Accepted => "Được tiếp nhận",
            Rejected => "Không được tiếp nhận",
            Processing => "Đang xử lý",
            SupplementRequested => "Yêu cầu bổ sung giấy tờ",
            PaymentRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
            WithdrawalRequested => "Công dân yêu cầu rút hồ sơ",
            Stopped => "Dừng xử lý",
            Resolved => "Đã xử lý xong",
            Returned => "Đã trả kết quả",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Registered => "Submitted",
            Accepted => "Accepted",
            Rejected => "Not accepted",
            Processing => "Being processed",
            SupplementRequested => "More documents requested",
            PaymentRequested => "Payment requested",
            WithdrawalRequested => "Withdrawal requested",
            Stopped => "Processing stopped",
            Resolved => "Resolved",
            Returned => "Result returned",
        }
    }

    /// What the citizen should do now, in Vietnamese or else in English
    /// (the status page, and the portal's first paint of a QR link).
    pub fn next_step(self, vietnamese: bool) -> &'static str {
        let (vi, en) = match self {
            Registered => (
                "Hồ sơ đã được gửi. Cán bộ Bộ phận Một cửa sẽ kiểm tra và tiếp nhận; bạn chưa cần làm gì.",
                "The dossier was sent. The one-stop desk will check and accept it; nothing to do yet.",
            ),
            Accepted => (
                "Hồ sơ đã được tiếp nhận và chuyển xử lý. Bạn chưa cần làm gì.",
                "The dossier was accepted and passed on. Nothing to do yet.",
            ),
            Rejected => (
                "Hồ sơ không được tiếp nhận. Xem lý do bên dưới; bạn có thể nộp lại hồ sơ mới khi đã đủ giấy tờ.",
                "The dossier was not accepted. See why below; you can file a new one once you have everything.",
            ),
            Processing => (
                "Hồ sơ đang được xử lý. Bạn chưa cần làm gì; kết quả sẽ có trước ngày hẹn trả.",
                "The dossier is being processed. Nothing to do; the result comes by the due date.",
            ),
            SupplementRequested => (
                "Cơ quan cần bạn bổ sung giấy tờ. Xem yêu cầu và gửi giấy tờ bên dưới.",
                "More documents are needed. See what is asked and send them below.",
            ),
            PaymentRequested => (
                "Bạn cần nộp phí, lệ phí để hồ sơ được xử lý tiếp. Xem số tiền và cách nộp bên dưới.",
                "Fees must be paid before processing goes on. See the amount and how to pay below.",
            ),
            WithdrawalRequested => (
                "Bạn đã yêu cầu rút hồ sơ. Cán bộ sẽ dừng xử lý.",
                "You asked to withdraw the dossier. Officers will stop processing it.",
            ),
            Stopped => (
                "Hồ sơ đã dừng xử lý. Xem lý do bên dưới.",
                "Processing has stopped. See why below.",
            ),
            Resolved => (
                "Hồ sơ đã xử lý xong. Nhận kết quả theo hình thức bạn đã chọn.",
                "The dossier is resolved. Collect the result the way you chose.",
            ),
            Returned => (
                "Kết quả đã được trả. Cảm ơn bạn đã sử dụng dịch vụ.",
                "The result has been handed over. Thank you for using the service.",
            ),
        };
        if vietnamese {
            vi
        } else {
            en
        }
    }

    /// No further move is possible.
    pub fn is_final(self) -> bool {
        matches!(self, Rejected | Stopped | Returned)
    }

    /// Statuses an officer may move a dossier to from this one.
    pub fn next(self) -> &'static [DossierStatus] {
        match self {
            Registered => &[Accepted, Rejected, WithdrawalRequested],
            Accepted => &[Processing, WithdrawalRequested],
            Processing => {
                &[SupplementRequested, PaymentRequested, Resolved, Stopped, WithdrawalRequested]
            }
            SupplementRequested => &[Processing, Stopped, WithdrawalRequested],
            PaymentRequested => &[Processing, Stopped, WithdrawalRequested],
            WithdrawalRequested => &[Stopped],
            Resolved => &[Returned],
            Rejected | Stopped | Returned => &[],
        }
    }

    pub fn can_move_to(self, to: DossierStatus) -> bool {
        self.next().contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        for s in DossierStatus::ALL {
            assert_eq!(DossierStatus::from_number(s.number()), Some(s));
        }
        assert_eq!(DossierStatus::from_number(0), None);
        assert_eq!(DossierStatus::from_number(11), None);
    }

    #[test]
    fn final_statuses_have_no_moves() {
        for s in DossierStatus::ALL {
            assert_eq!(s.is_final(), s.next().is_empty(), "{s:?}");
        }
    }

    /// Every one of the 100 pairs, against the table written out by hand.
    #[test]
    fn every_allowed_and_every_forbidden_move() {
        let allowed: &[(u8, u8)] = &[
            (1, 2),
            (1, 3),
            (1, 7),
            (2, 4),
            (2, 7),
            (4, 5),
            (4, 6),
            (4, 7),
            (4, 8),
            (4, 9),
            (5, 4),
            (5, 7),
            (5, 8),
            (6, 4),
            (6, 7),
            (6, 8),
            (7, 8),
            (9, 10),
        ];
        for from in DossierStatus::ALL {
            for to in DossierStatus::ALL {
                let want = allowed.contains(&(from.number(), to.number()));
                assert_eq!(from.can_move_to(to), want, "{from:?} -> {to:?}");
            }
        }
    }

    #[test]
    fn transitions() {
        assert!(Registered.can_move_to(Accepted));
        assert!(Processing.can_move_to(SupplementRequested));
        assert!(SupplementRequested.can_move_to(Processing));
        assert!(!Returned.can_move_to(Processing));
        assert!(!Registered.can_move_to(Returned));
        assert!(!Resolved.can_move_to(WithdrawalRequested));
    }
}
