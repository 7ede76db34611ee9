//! Hostile bytes at the file checks, many of them: truncated, flipped,
//! deeply nested, huge counts, garbage. Each is checked as the serving
//! portal checks it (the PDF parse in the `portal check-pdf` child), and
//! must be answered, yes or no, within the time budget; the pictures'
//! check runs in this process and must never panic. Deterministic: a
//! fixed seed, so a failure is found again.

use std::time::{Duration, Instant};

use portal::filecheck::{check_pdf, picture_ok, Parser, PDF_TIME};

use crate::support::one_page_pdf;

/// A small xorshift generator: the same cases every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One hostile variant of a valid PDF.
fn mutate(rng: &mut Rng, good: &[u8]) -> Vec<u8> {
    let mut b = good.to_vec();
    match rng.below(8) {
        // Cut off anywhere.
        0 => b.truncate(rng.below(b.len())),
        // Bytes flipped.
        1 => {
            for _ in 0..=rng.below(20) {
                let i = rng.below(b.len());
                b[i] = rng.next() as u8;
            }
        }
        // Deep nesting spliced in, balanced or not.
        2 => {
            let at = rng.below(b.len());
            let depth = 50 + rng.below(50_000);
            let open = if rng.below(2) == 0 { "[" } else { "<< /A " };
            let mut n = open.repeat(depth).into_bytes();
            if rng.below(2) == 0 {
                n.extend("]".repeat(depth).bytes());
            }
            b.splice(at..at, n);
        }
        // Huge object counts.
        3 => {
            let mut extra = String::new();
            for k in 0..(1_000 + rng.below(30_000)) {
                extra.push_str(&format!("{} 0 obj\n[{k}]\nendobj\n", 10 + k));
            }
            b.splice(9..9, extra.into_bytes());
        }
        // Strings and comments that never close.
        4 => {
            let at = rng.below(b.len());
            let s: &[u8] = [b"(".as_slice(), b"%", b"<", b"/", b"stream\n"][rng.below(5)];
            b.splice(at..at, s.iter().copied());
        }
        // Garbage after the header.
        5 => {
            let len = rng.below(200_000);
            b.truncate(9);
            b.extend((0..len).map(|_| rng.next() as u8));
        }
        // An object stream whose contents are garbage or nesting.
        6 => {
            use std::io::Write;
            let inside: Vec<u8> = if rng.below(2) == 0 {
                (0..rng.below(100_000)).map(|_| rng.next() as u8).collect()
            } else {
                format!("1 0 {}", "[".repeat(rng.below(1_000_000))).into_bytes()
            };
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(&inside).unwrap();
            let z = z.finish().unwrap();
            let mut s = format!(
                "9 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length {} >>\nstream\n",
                z.len()
            )
            .into_bytes();
            s.extend(&z);
            s.extend(b"\nendstream\nendobj\n");
            b.splice(9..9, s);
        }
        // The valid file, unchanged.
        _ => {}
    }
    b
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_pdfs_are_answered_in_bounded_time_and_never_reach_the_portal() {
    let dir = tempfile::tempdir().unwrap();
    let parser = Parser::Child(env!("CARGO_BIN_EXE_portal").into());
    let good = one_page_pdf("");
    // The valid one passes: the check is not a wall that refuses all.
    let path = dir.path().join("good.pdf");
    std::fs::write(&path, &good).unwrap();
    assert_eq!(check_pdf(&parser, &path).await, Ok(()));
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut refused, mut slowest) = (0, Duration::ZERO);
    for n in 0..120 {
        let bytes = mutate(&mut rng, &good);
        let path = dir.path().join(format!("case-{n}.pdf"));
        std::fs::write(&path, &bytes).unwrap();
        let started = Instant::now();
        let verdict = check_pdf(&parser, &path).await;
        let took = started.elapsed();
        slowest = slowest.max(took);
        assert!(took < PDF_TIME + Duration::from_secs(2), "case {n}: {took:?}");
        refused += usize::from(verdict.is_err());
    }
    assert!(refused > 50, "most hostile variants are refused ({refused})");
    assert!(slowest < PDF_TIME + Duration::from_secs(2));
}

#[test]
fn hostile_pictures_never_panic() {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    let jpeg: Vec<u8> = crate::support::JPEG.to_vec();
    for _ in 0..3000 {
        let mut b = jpeg.clone();
        match rng.below(4) {
            0 => b.truncate(rng.below(b.len())),
            1 => {
                for _ in 0..=rng.below(8) {
                    let i = rng.below(b.len());
                    b[i] = rng.next() as u8;
                }
            }
            2 => b = (0..rng.below(4096)).map(|_| rng.next() as u8).collect(),
            _ => {
                b = b"\x89PNG\r\n\x1a\n".to_vec();
                b.extend((0..rng.below(64)).map(|_| rng.next() as u8));
            }
        }
        let _ = picture_ok(&b);
    }
}
