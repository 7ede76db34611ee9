//! Password hashing with a fixed cost, whatever arrives.
//!
//! Each argon2id check needs about 19 MiB of working memory. Run on the
//! blocking pool with no cap, a burst of wrong sign-ins took hundreds of MB
//! (and the allocator kept it). Here a few worker threads, one per core up
//! to [`MAX_WORKERS`], each own one working buffer allocated once and used
//! for every hash, so the memory of hashing is `workers × 19 MiB` for the
//! life of the process. Requests wait in a queue of [`QUEUE`]; past it they
//! are answered at once with [`Busy`] (the handler says 503 with
//! `Retry-After`), never queued without end.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender, TrySendError};
use std::sync::{Arc, Mutex, OnceLock};

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// Worker threads at most (each holds one working buffer).
pub const MAX_WORKERS: usize = 4;
/// Checks waiting for a worker at most; more are refused with [`Busy`].
pub const QUEUE: usize = 48;
/// The largest working memory a stored hash may ask for (64 MiB): a hash
/// with more is not ours and does not verify.
const MAX_BLOCKS: u32 = 64 * 1024;

/// Every worker is busy and the queue is full: try again in a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Busy;

enum Job {
    Hash(String, tokio::sync::oneshot::Sender<Result<String, String>>),
    Check(String, String, tokio::sync::oneshot::Sender<bool>),
}

struct Pool {
    jobs: SyncSender<Job>,
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| {
        let workers =
            std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(1, MAX_WORKERS);
        let (jobs, queue) = sync_channel::<Job>(QUEUE);
        let queue = Arc::new(Mutex::new(queue));
        for n in 0..workers {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&queue))
                .expect("starting a password worker");
        }
        Pool { jobs }
    })
}

/// One worker: its buffer is allocated on the first job and kept.
fn work(queue: &Mutex<Receiver<Job>>) {
    let mut blocks: Vec<Block> = Vec::new();
    loop {
        let job = {
            let q = queue.lock().unwrap_or_else(|p| p.into_inner());
            match q.recv() {
                Ok(job) => job,
                Err(_) => return,
            }
        };
        match job {
            Job::Hash(pw, answer) => {
                let _ = answer.send(hash_with(&pw, &mut blocks));
            }
            Job::Check(pw, stored, answer) => {
                let _ = answer.send(check_with(&pw, &stored, &mut blocks));
            }
        }
    }
}

fn submit(job: Job) -> Result<(), Busy> {
    match pool().jobs.try_send(job) {
        Ok(()) => Ok(()),
        Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => Err(Busy),
    }
}

/// An argon2id PHC string of `pw`, with its own salt and the default
/// parameters (`Err(Ok(Busy))` when the queue is full).
pub async fn hash(pw: &str) -> Result<Result<String, String>, Busy> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    submit(Job::Hash(pw.to_string(), tx))?;
    Ok(rx.await.unwrap_or_else(|_| Err("password worker stopped".into())))
}

/// Whether `pw` is the password of the stored PHC string.
pub async fn check(pw: &str, stored: &str) -> Result<bool, Busy> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    submit(Job::Check(pw.to_string(), stored.to_string(), tx))?;
    Ok(rx.await.unwrap_or(false))
}

/// The working buffer, grown to `count` blocks if it is smaller (never shrunk).
fn room(blocks: &mut Vec<Block>, count: usize) -> &mut [Block] {
    if blocks.len() < count {
        blocks.resize(count, Block::default());
    }
    &mut blocks[..count]
}

/// Hash `pw` with a fresh salt, in `blocks`.
pub fn hash_with(pw: &str, blocks: &mut Vec<Block>) -> Result<String, String> {
    let salt =
        SaltString::encode_b64(&crate::secrets::random_bytes::<16>()).map_err(|e| e.to_string())?;
    let params = Params::default();
    let mut raw = [0u8; 16];
    let salt_bytes = salt.as_salt().decode_b64(&mut raw).map_err(|e| e.to_string())?;
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let count = params.block_count();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone())
        .hash_password_into_with_memory(pw.as_bytes(), salt_bytes, &mut out, room(blocks, count))
        .map_err(|e| e.to_string())?;
    let phc = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|e| e.to_string())?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| e.to_string())?),
    };
    Ok(phc.to_string())
}

/// Check `pw` against a stored PHC string, in `blocks`.
pub fn check_with(pw: &str, stored: &str, blocks: &mut Vec<Block>) -> bool {
    let Ok(phc) = PasswordHash::new(stored) else { return false };
    let (Ok(algorithm), Ok(params)) = (Algorithm::try_from(phc.algorithm), Params::try_from(&phc))
    else {
        return false;
    };
    let version = phc.version.map_or(Ok(Version::V0x13), Version::try_from);
    let (Ok(version), Some(salt), Some(expected)) = (version, phc.salt, phc.hash) else {
        return false;
    };
    if params.m_cost() > MAX_BLOCKS {
        return false;
    }
    let mut raw = [0u8; 64];
    let Ok(salt) = salt.decode_b64(&mut raw) else { return false };
    let mut out = vec![0u8; expected.len()];
    let count = params.block_count();
    let done = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
        pw.as_bytes(),
        salt,
        &mut out,
        room(blocks, count),
    );
    done.is_ok() && crate::secrets::same_bytes(&out, expected.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_here_and_with_the_crates_own_verifier() {
        use argon2::password_hash::PasswordVerifier;
        let mut blocks = Vec::new();
        let h = hash_with("Mk!2026abc", &mut blocks).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(check_with("Mk!2026abc", &h, &mut blocks));
        assert!(!check_with("Mk!2026abd", &h, &mut blocks));
        let phc = PasswordHash::new(&h).unwrap();
        assert!(Argon2::default().verify_password(b"Mk!2026abc", &phc).is_ok());
        // Hashes made by the crate's own hasher (as stored before) verify too.
        let old = crate::secrets::hash_password("Lan@2026vn").unwrap();
        assert!(check_with("Lan@2026vn", &old, &mut blocks));
        assert!(!check_with("x", "not a hash", &mut blocks));
        // One buffer, reused: the default's 19 MiB, never more.
        assert_eq!(blocks.len(), Params::default().block_count());
        let greedy = "$argon2id$v=19$m=1048576,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g";
        assert!(!check_with("x", greedy, &mut blocks));
        assert_eq!(blocks.len(), Params::default().block_count());
    }

    #[tokio::test]
    async fn a_burst_beyond_the_queue_is_told_busy_not_queued_without_end() {
        let stored = crate::secrets::hash_password("Mk!2026abc").unwrap();
        let tries: Vec<_> = (0..(QUEUE + MAX_WORKERS) * 3)
            .map(|_| {
                let s = stored.clone();
                tokio::spawn(async move { check("wrong", &s).await })
            })
            .collect();
        let mut busy = 0;
        for t in tries {
            match t.await.unwrap() {
                Ok(right) => assert!(!right),
                Err(Busy) => busy += 1,
            }
        }
        assert!(busy > 0, "some were refused at once");
        assert!(check("Mk!2026abc", &stored).await.unwrap(), "and it works after");
    }
}
