//! Strings of signing a kiosk in from the citizen's phone (both screens).
//! Services bundle only, so a catalog of its own.

use crate::i18n::Texts;

catalog! {
    pub struct PairingTexts {
        k_title, k_lead, k_step_scan, k_step_sign_in,
        /// `{check}` is replaced.
        k_step_check,
        k_check_label, k_qr, k_waiting, k_opened, k_expired, k_new_code, k_failed,
        k_password_title, p_title,
        /// `{name}` is replaced.
        p_lead,
        p_check, p_warning, p_confirm, p_cancel, p_done, p_done_next, p_gone,
    }
}

pub static VI: PairingTexts = PairingTexts {
    k_title: "Đăng nhập bằng điện thoại của bạn",
    k_lead: "Không cần gõ mật khẩu trên máy dùng chung này.",
    k_step_scan: "Mở camera của điện thoại và quét mã QR này.",
    k_step_sign_in: "Đăng nhập trên điện thoại, nếu điện thoại hỏi.",
    k_step_check: "Kiểm tra số đối chiếu {check} trên điện thoại rồi chọn “Xác nhận”.",
    k_check_label: "Số đối chiếu",
    k_qr: "Mã QR để đăng nhập máy này bằng điện thoại",
    k_waiting: "Đang chờ điện thoại quét mã…",
    k_opened: "Điện thoại đã mở mã. Hãy xác nhận trên điện thoại.",
    k_expired: "Mã đã hết hạn.",
    k_new_code: "Tạo mã mới",
    k_failed: "Chưa tạo được mã QR. Kiểm tra kết nối rồi chọn “Tạo mã mới”.",
    k_password_title: "Hoặc đăng nhập bằng mật khẩu",
    p_title: "Đăng nhập máy kiosk",
    p_lead: "Một máy kiosk đang chờ đăng nhập bằng tài khoản của bạn, {name}.",
    p_check: "Số đối chiếu",
    p_warning: "Chỉ xác nhận khi bạn đang đứng trước máy kiosk và số trên màn hình của nó đúng là số này. Nếu ai đó gửi mã này cho bạn, đừng xác nhận.",
    p_confirm: "Xác nhận đăng nhập máy kiosk",
    p_cancel: "Không, hủy",
    p_done: "Máy kiosk đã đăng nhập bằng tài khoản của bạn.",
    p_done_next: "Tiếp tục trên máy kiosk. Khi xong việc, chọn “Kết thúc phiên” trên máy kiosk để đăng xuất.",
    p_gone: "Mã QR này đã hết hạn hoặc đã được dùng. Trên máy kiosk, chọn “Tạo mã mới” rồi quét lại.",
};

pub static EN: PairingTexts = PairingTexts {
    k_title: "Sign in with your phone",
    k_lead: "No need to type a password on this shared screen.",
    k_step_scan: "Open your phone's camera and scan this QR code.",
    k_step_sign_in: "Sign in on the phone if it asks.",
    k_step_check: "Check the number {check} on the phone, then choose “Confirm”.",
    k_check_label: "Check number",
    k_qr: "QR code to sign this screen in with your phone",
    k_waiting: "Waiting for a phone to scan the code…",
    k_opened: "A phone opened the code. Confirm on the phone.",
    k_expired: "The code has expired.",
    k_new_code: "New code",
    k_failed: "The QR code could not be made. Check the connection and choose “New code”.",
    k_password_title: "Or sign in with a password",
    p_title: "Sign in a kiosk",
    p_lead: "A kiosk is waiting to be signed in with your account, {name}.",
    p_check: "Check number",
    p_warning: "Confirm only if you are standing at the kiosk and its screen shows this same number. If someone sent you this code, do not confirm.",
    p_confirm: "Confirm: sign the kiosk in",
    p_cancel: "No, cancel",
    p_done: "The kiosk is signed in with your account.",
    p_done_next: "Carry on at the kiosk. When you are done, choose “End session” on the kiosk to sign out.",
    p_gone: "This QR code has expired or was already used. On the kiosk, choose “New code” and scan again.",
};

/// The pairing strings in the language of `t`.
pub fn pt(t: &Texts) -> &'static PairingTexts {
    texts(t.lang)
}
