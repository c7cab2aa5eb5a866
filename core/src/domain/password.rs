//! Password hashing with argon2id. Both functions are CPU-heavy by design: call
//! them off the async runtime (`spawn_blocking`).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

use std::sync::{Condvar, Mutex, OnceLock};

use crate::error::{Error, Result};

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 iterations, 1 lane.
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Lets at most one hash a core be worked out at once. Each holds 19 MiB
/// while it runs: fifty colleagues signing in at nine would take about a
/// gigabyte for a moment, and on two cores they finish no sooner.
struct Gate {
    busy: Mutex<usize>,
    freed: Condvar,
}

static GATE: Gate = Gate {
    busy: Mutex::new(0),
    freed: Condvar::new(),
};

fn gated<T>(work: impl FnOnce() -> T) -> T {
    static ROOM: OnceLock<usize> = OnceLock::new();
    let room = *ROOM.get_or_init(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    let lock = || GATE.busy.lock().unwrap_or_else(|e| e.into_inner());
    {
        let mut busy = lock();
        while *busy >= room {
            busy = GATE.freed.wait(busy).unwrap_or_else(|e| e.into_inner());
        }
        *busy += 1;
    }
    struct Leave;
    impl Drop for Leave {
        fn drop(&mut self) {
            *GATE.busy.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
            GATE.freed.notify_one();
        }
    }
    let _leave = Leave;
    work()
}

pub fn hash(password: &str) -> Result<String> {
    let salt_bytes: [u8; 16] = rand::random();
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| Error::Internal(e.to_string()))?;
    gated(|| {
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
    })
    .map_err(|e| Error::Internal(e.to_string()))
}

/// Checks against a stored PHC string. Parameters come from the string, so hashes
/// made with older parameters keep working.
pub fn verify(password: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(parsed) => gated(|| hasher().verify_password(password.as_bytes(), &parsed)).is_ok(),
        Err(_) => false,
    }
}

/// A hash of a password nobody knows, verified against when the email is unknown
/// so that a login takes as long whether or not the account exists.
pub fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash("decoy password never used").expect("hashing works"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_with_owasp_parameters() {
        let phc = hash("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify("correct horse battery", &phc));
        assert!(!verify("wrong horse battery", &phc));
    }

    #[test]
    fn no_more_hashes_run_at_once_than_there_are_cores() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (running, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..cores * 3 {
                s.spawn(|| {
                    gated(|| {
                        let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        running.fetch_sub(1, Ordering::SeqCst);
                    })
                });
            }
        });
        assert!(most.load(Ordering::SeqCst) <= cores);
    }

    #[test]
    fn same_password_gets_different_salts() {
        assert_ne!(
            hash("same password").unwrap(),
            hash("same password").unwrap()
        );
    }

    #[test]
    fn garbage_hash_never_verifies() {
        assert!(!verify("anything", "not a phc string"));
    }
}
