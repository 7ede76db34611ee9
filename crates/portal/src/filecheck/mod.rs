//! What an uploaded file is, checked by its content, without letting a
//! hostile file risk the process.
//!
//! - The type comes from the first bytes (JPEG, PNG, PDF), never the name.
//! - Pictures: their dimensions are read from the frame header wherever it
//!   is in the file (a JPEG may carry megabytes of metadata before it).
//! - PDFs, in three steps:
//!   1. [`pdf_shape`], a scan of the raw bytes that never recurses: nesting
//!      of arrays and dictionaries at most [`MAX_DEPTH`], at most
//!      [`MAX_OBJECTS`] objects, object streams inflated (at most
//!      [`MAX_INFLATED`] in all) and scanned alike, and no name of active
//!      content ([`ACTIVE`]: scripts, XFA forms, embedded files, launch, URI,
//!      submit and import actions, rich media) in any spelling (`#xx`).
//!   2. The parse by `lopdf` (cross-reference table, objects, pages,
//!      encryption), whose parser recurses: it runs in a child process
//!      (`portal check-pdf FILE`) with its own memory and CPU limits, killed
//!      after [`PDF_TIME`]. A file that crashes or outlasts it is refused;
//!      the portal never notices.
//!   3. The parsed objects walked again for [`ACTIVE`] names.
//!
//! Without a child (the library's tests, the officer's command line) step 2
//! runs on a thread with a large stack, after step 1 has bounded nesting.
//! Step 1 lives in `shape.rs`.

use std::path::{Path, PathBuf};
use std::time::Duration;

mod shape;
pub use shape::pdf_shape;

/// Nesting of arrays and dictionaries deeper than any real document.
pub const MAX_DEPTH: usize = 64;
/// Objects in one PDF at most (a 300-page scan has a few thousand).
pub const MAX_OBJECTS: usize = 20_000;
/// Bytes inflated from object streams at most, for one file.
pub const MAX_INFLATED: usize = 32 * 1024 * 1024;
/// The longest a PDF's parse may take before it is refused.
pub const PDF_TIME: Duration = Duration::from_secs(8);
/// Memory the child that parses a PDF may map.
pub const CHILD_MEMORY: u64 = 1536 * 1024 * 1024;
/// Stack of the thread that parses (virtual: only what is used is paid).
const PARSE_STACK: usize = 256 * 1024 * 1024;

/// Names that make a PDF do something when opened or clicked, rather than
/// show pages: scripts, XFA forms, attached files, launching programs,
/// opening or submitting to addresses, importing data, rich media.
pub const ACTIVE: &[&[u8]] = &[
    b"JS",
    b"JavaScript",
    b"Launch",
    b"URI",
    b"SubmitForm",
    b"ImportData",
    b"XFA",
    b"EmbeddedFile",
    b"EmbeddedFiles",
    b"FileAttachment",
    b"RichMedia",
    b"RichMediaExecute",
    b"GoToE",
    b"GoToR",
    b"Rendition",
    b"Movie",
    b"Sound",
];

/// Why a file was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not a PDF a parser reads whole, or no pages.
    Damaged,
    /// Opens only with a password.
    Encrypted,
    /// Carries active content.
    Active,
    /// Nested, counted or sized beyond any real document, or too slow to read.
    Complex,
    /// A picture whose dimensions are too large, or that has none.
    Picture,
}

impl Refused {
    pub fn word(self) -> &'static str {
        match self {
            Refused::Damaged => "damaged",
            Refused::Encrypted => "encrypted",
            Refused::Active => "active",
            Refused::Complex => "complex",
            Refused::Picture => "picture",
        }
    }

    pub fn from_word(w: &str) -> Option<Refused> {
        [Refused::Damaged, Refused::Encrypted, Refused::Active, Refused::Complex, Refused::Picture]
            .into_iter()
            .find(|r| r.word() == w)
    }

    /// What the citizen reads, Vietnamese first.
    pub fn message(self) -> &'static str {
        match self {
            Refused::Damaged => "Tệp PDF bị hỏng hoặc không đọc được; hãy xuất (lưu) lại tệp PDF hoặc chụp ảnh giấy tờ / The PDF is damaged or cannot be read; export it again or take a photo of the paper",
            Refused::Encrypted => "Tệp PDF có đặt mật khẩu; hãy lưu lại tệp không đặt mật khẩu / The PDF has a password; save it again without one",
            Refused::Active => "Tệp PDF chứa mã chạy được, liên kết, biểu mẫu XFA hoặc tệp đính kèm; hãy in ra PDF (Print to PDF) hoặc chụp ảnh giấy tờ / The PDF carries scripts, links, an XFA form or attached files; print it to PDF again or take a photo of the paper",
            Refused::Complex => "Tệp PDF quá phức tạp để kiểm tra (quá nhiều đối tượng hoặc lồng nhau quá sâu); hãy in ra PDF (Print to PDF) hoặc chụp ảnh giấy tờ / The PDF is too complex to check (too many objects or nested too deep); print it to PDF again or take a photo of the paper",
            Refused::Picture => "Ảnh có kích thước điểm ảnh quá lớn hoặc không đọc được; hãy chụp lại hoặc thu nhỏ ảnh / The picture's dimensions are too large or cannot be read; take it again or make it smaller",
        }
    }
}

/// What the first bytes say a file is; `None` for anything else.
pub fn sniff(data: &[u8]) -> Option<&'static str> {
    if data.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if data.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]) {
        Some("image/png")
    } else if data.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

// ------------------------------------------------------------------ pictures

/// Largest picture accepted, in pixels: a phone's 50 MP, not a "bomb"
/// whose few KB decompress to gigabytes when someone opens it.
const MAX_PIXELS: u64 = 50_000_000;
/// Largest side accepted, in pixels.
const MAX_SIDE: u64 = 20_000;

fn size_ok(w: u64, h: u64) -> bool {
    w > 0 && h > 0 && w <= MAX_SIDE && h <= MAX_SIDE && w * h <= MAX_PIXELS
}

/// The picture's dimensions are within reason, read from the whole file:
/// the frame header where the segments lead (`imagesize`), and for a JPEG
/// every frame header anywhere in it (after megabytes of metadata, in a
/// thumbnail, behind a broken segment), since a decoder may find any of
/// them. A PNG must say its size; a JPEG without any frame header has no
/// pixels to decode.
pub fn picture_ok(data: &[u8]) -> bool {
    let jpeg = data.starts_with(&[0xFF, 0xD8]);
    let first = match imagesize::blob_size(data) {
        Ok(size) => size_ok(size.width as u64, size.height as u64),
        Err(_) => jpeg,
    };
    first && (!jpeg || jpeg_frames(data).all(|(w, h)| size_ok(w, h)))
}

/// Every JPEG frame header (SOF0–SOF15 but DHT, JPG and DAC) in `data`:
/// its (width, height). Entropy-coded data stuffs `FF 00`, so a marker
/// byte pair there is a real marker.
fn jpeg_frames(data: &[u8]) -> impl Iterator<Item = (u64, u64)> + '_ {
    data.windows(10).filter_map(|w| {
        let marker =
            w[0] == 0xFF && (0xC0..=0xCF).contains(&w[1]) && ![0xC4, 0xC8, 0xCC].contains(&w[1]);
        // A frame header's own shape (length = 8 + 3 × components, 8-, 12-
        // or 16-bit samples, 1 to 4 components): bytes of metadata that
        // only happen to hold a marker pair are not taken for one.
        let (length, precision, parts) = (u16::from_be_bytes([w[2], w[3]]), w[4], w[9]);
        let shaped = matches!(precision, 8 | 12 | 16)
            && (1..=4).contains(&parts)
            && length == 8 + 3 * u16::from(parts);
        (marker && shaped).then(|| {
            let h = u64::from(u16::from_be_bytes([w[5], w[6]]));
            let wd = u64::from(u16::from_be_bytes([w[7], w[8]]));
            (wd, h.max(1))
        })
    })
}

// ---------------------------------------------------------------- PDF parse

/// The whole check of a PDF in this process: its shape, then the parse
/// (callers run it where a crash costs nothing, see [`check_pdf`]).
pub fn pdf_verdict(data: &[u8]) -> Result<(), Refused> {
    pdf_shape(data)?;
    let doc = lopdf::Document::load_mem(data).map_err(|_| Refused::Damaged)?;
    if doc.is_encrypted() {
        return Err(Refused::Encrypted);
    }
    if doc.objects.len() > MAX_OBJECTS {
        return Err(Refused::Complex);
    }
    if doc.get_pages().is_empty() {
        return Err(Refused::Damaged);
    }
    if doc.objects.values().any(|o| active(o, 0)) {
        return Err(Refused::Active);
    }
    Ok(())
}

/// Does this object, or one nested in it, name active content?
fn active(o: &lopdf::Object, depth: usize) -> bool {
    use lopdf::Object;
    let dict = |d: &lopdf::Dictionary| {
        d.iter().any(|(k, v)| ACTIVE.contains(&k.as_slice()) || active(v, depth + 1))
    };
    // Nesting deeper than any real document: refused as well.
    depth > MAX_DEPTH
        || match o {
            Object::Name(n) => ACTIVE.contains(&n.as_slice()),
            Object::Dictionary(d) => dict(d),
            Object::Stream(s) => dict(&s.dict),
            Object::Array(a) => a.iter().any(|v| active(v, depth + 1)),
            _ => false,
        }
}

/// [`pdf_verdict`] on a thread of its own with a large stack, so that
/// what recursion is left cannot reach the caller's stack.
pub fn pdf_verdict_on_thread(data: Vec<u8>) -> Result<(), Refused> {
    std::thread::Builder::new()
        .name("pdf-check".into())
        .stack_size(PARSE_STACK)
        .spawn(move || pdf_verdict(&data))
        .map_err(|_| Refused::Complex)?
        .join()
        .unwrap_or(Err(Refused::Damaged))
}

/// `portal check-pdf FILE`: the child's side. Limits its own memory and
/// CPU, checks the file and prints one word (`ok` or why not).
pub fn child_main(path: &Path) -> ! {
    use rustix::process::{setrlimit, Resource, Rlimit};
    let cpu = PDF_TIME.as_secs() + 2;
    let _ = setrlimit(Resource::Cpu, Rlimit { current: Some(cpu), maximum: Some(cpu) });
    let mem = Some(CHILD_MEMORY);
    let _ = setrlimit(Resource::As, Rlimit { current: mem, maximum: mem });
    let _ = setrlimit(Resource::Core, Rlimit { current: Some(0), maximum: Some(0) });
    let verdict = match std::fs::read(path) {
        Ok(data) => pdf_verdict_on_thread(data),
        Err(_) => Err(Refused::Damaged),
    };
    println!("{}", verdict.err().map_or("ok", Refused::word));
    std::process::exit(0)
}

/// How PDFs are parsed: in a child process (the portal's own binary), or
/// on a thread of this one.
#[derive(Clone, Debug)]
pub enum Parser {
    Child(PathBuf),
    Thread,
}

/// Check the PDF at `path` as `parser` says, within [`PDF_TIME`].
pub async fn check_pdf(parser: &Parser, path: &Path) -> Result<(), Refused> {
    match parser {
        Parser::Thread => {
            let path = path.to_path_buf();
            let job = tokio::task::spawn_blocking(move || match std::fs::read(&path) {
                Ok(data) => pdf_verdict_on_thread(data),
                Err(_) => Err(Refused::Damaged),
            });
            match tokio::time::timeout(PDF_TIME, job).await {
                Ok(Ok(v)) => v,
                Ok(Err(_)) => Err(Refused::Damaged),
                Err(_) => Err(Refused::Complex),
            }
        }
        Parser::Child(exe) => {
            let child = tokio::process::Command::new(exe)
                .arg("check-pdf")
                .arg(path)
                .env_remove("RUST_LOG")
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .kill_on_drop(true)
                .spawn();
            let child = match child {
                Ok(c) => c,
                Err(e) => {
                    tracing::error!(error = %e, exe = %exe.display(), "cannot start the PDF check");
                    return Err(Refused::Complex);
                }
            };
            match tokio::time::timeout(PDF_TIME, child.wait_with_output()).await {
                Ok(Ok(out)) => {
                    let word = String::from_utf8_lossy(&out.stdout).trim().to_string();
                    if word == "ok" && out.status.success() {
                        Ok(())
                    } else {
                        // Killed by its limits or crashed: nothing it read is trusted.
                        if !out.status.success() {
                            tracing::warn!(status = %out.status, "a PDF check ended abnormally");
                        }
                        Err(Refused::from_word(&word).unwrap_or(Refused::Complex))
                    }
                }
                Ok(Err(_)) => Err(Refused::Complex),
                Err(_) => {
                    tracing::warn!("a PDF check ran out of time");
                    Err(Refused::Complex)
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_first_bytes() {
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some("image/jpeg"));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"%PDF-1.7\n"), Some("application/pdf"));
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"GIF89a"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn a_frame_header_is_found_wherever_it_is() {
        let frame = |w: u16, h: u16| {
            let mut f = vec![0xFF, 0xC0, 0x00, 0x11, 8];
            f.extend(h.to_be_bytes());
            f.extend(w.to_be_bytes());
            f.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
            f
        };
        let with_meta = |meta: usize, w: u16, h: u16| {
            let mut j = vec![0xFF, 0xD8];
            // Metadata in APP segments of 64 KB each, before the frame.
            for _ in 0..meta {
                j.extend([0xFF, 0xE1, 0xFF, 0xFF]);
                j.extend(std::iter::repeat_n(0u8, 0xFFFD));
            }
            j.extend(frame(w, h));
            j.extend([0xFF, 0xD9]);
            j
        };
        assert!(picture_ok(&with_meta(0, 4000, 3000)));
        assert!(picture_ok(&with_meta(5, 4000, 3000)), "after 320 KB of metadata");
        assert!(!picture_ok(&with_meta(5, 65535, 65535)), "a bomb after 320 KB of metadata");
        // A small first frame and a huge one further on (a thumbnail trick).
        let mut two = with_meta(0, 100, 100);
        two.extend(frame(60000, 60000));
        assert!(!picture_ok(&two));
        // A JPEG with no frame at all has nothing to decode.
        assert!(picture_ok(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0, 0xFF, 0xD9]));
        assert!(!picture_ok(b"\x89PNG\r\n\x1a\n"), "a PNG must say its size");
    }

    #[test]
    fn refusals_read_back_from_their_words() {
        for r in [Refused::Damaged, Refused::Encrypted, Refused::Active, Refused::Complex] {
            assert_eq!(Refused::from_word(r.word()), Some(r));
            assert!(r.message().contains(" / "), "both languages");
        }
    }
}
