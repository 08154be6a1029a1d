//! Password hashing and checking with argon2id.
//!
//! These functions are deliberately synchronous and slow (tens of milliseconds): callers run
//! them on a bounded blocking pool, never on the async runtime.

use std::cell::RefCell;
use std::sync::OnceLock;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{
    Decimal, Ident, Output, ParamsString, PasswordHash, PasswordHasher, PasswordVerifier, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Block, Params, Version};

/// OWASP's recommended argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
pub const MEMORY_KIB: u32 = 19 * 1024;
pub const ITERATIONS: u32 = 2;
pub const PARALLELISM: u32 = 1;

fn params() -> Params {
    Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("constant argon2 parameters are valid")
}

thread_local! {
    /// argon2's working memory, kept by each hashing thread for all its hashes. Allocated
    /// afresh for every hash, 19 MiB blocks fragmented the allocator's heaps until the process
    /// held about 20 of them (400 MB) after a few dozen sign-ins; kept, it is one per thread.
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// argon2, PHC strings in and out, computing in the calling thread's kept memory. Verifying
/// goes through `PasswordVerifier`'s own comparison (constant time), as with `Argon2`.
struct KeptMemory;

impl PasswordHasher for KeptMemory {
    type Params = Params;

    fn hash_password_customized<'a>(
        &self,
        password: &[u8],
        algorithm: Option<Ident<'a>>,
        version: Option<Decimal>,
        params: Params,
        salt: impl Into<Salt<'a>>,
    ) -> argon2::password_hash::Result<PasswordHash<'a>> {
        let algorithm = algorithm.map(Algorithm::try_from).transpose()?.unwrap_or(Algorithm::Argon2id);
        let version = version.map(Version::try_from).transpose()?.unwrap_or_default();
        let argon2 = Argon2::new(algorithm, version, params.clone());
        let salt = salt.into();
        let mut salt_bytes = [0u8; 64];
        let salt_bytes = salt.decode_b64(&mut salt_bytes)?;
        let output = Output::init_with(params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN), |out| {
            MEMORY.with_borrow_mut(|memory| {
                if memory.len() < params.block_count() {
                    memory.resize(params.block_count(), Block::default());
                }
                Ok(argon2.hash_password_into_with_memory(
                    password,
                    salt_bytes,
                    out,
                    &mut memory[..params.block_count()],
                )?)
            })
        })?;
        Ok(PasswordHash {
            algorithm: algorithm.ident(),
            version: Some(version.into()),
            params: ParamsString::try_from(&params)?,
            salt: Some(salt),
            hash: Some(output),
        })
    }
}

/// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`): the parameters travel with
/// the hash, so they can be raised later without invalidating stored passwords.
pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    KeptMemory
        .hash_password_customized(password.as_bytes(), None, None, params(), &salt)
        .expect("argon2 hashing of a bounded input cannot fail")
        .to_string()
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Correct. `rehash` says the stored hash uses other parameters than today's.
    Correct {
        rehash: bool,
    },
    Wrong,
}

/// Checks a password against a stored PHC string. A malformed stored hash counts as wrong.
pub fn verify(password: &str, phc: &str) -> Verdict {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return Verdict::Wrong;
    };
    if KeptMemory.verify_password(password.as_bytes(), &parsed).is_err() {
        return Verdict::Wrong;
    }
    let current = parsed.algorithm.as_str() == "argon2id"
        && Params::try_from(&parsed)
            .is_ok_and(|p| p.m_cost() == MEMORY_KIB && p.t_cost() == ITERATIONS && p.p_cost() == PARALLELISM);
    Verdict::Correct { rehash: !current }
}

/// Does the same work as [`verify`] against a hash no password matches, so that an unknown
/// user name costs as much time as a wrong password and cannot be told apart by timing.
pub fn verify_dummy(password: &str) -> Verdict {
    static DUMMY: OnceLock<String> = OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash("gatehouse dummy password that is never anyone's"));
    let _ = verify(password, phc);
    Verdict::Wrong
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let phc = hash("correct horse battery staple");
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert_eq!(verify("correct horse battery staple", &phc), Verdict::Correct { rehash: false });
        assert_eq!(verify("correct horse battery stapl", &phc), Verdict::Wrong);
        assert_ne!(hash("correct horse battery staple"), phc, "salts differ");
    }

    #[test]
    fn hashes_with_old_parameters_verify_and_ask_for_a_rehash() {
        let weak = Argon2::new(Algorithm::Argon2id, Version::V0x13, Params::new(8 * 1024, 1, 1, None).unwrap());
        let salt = SaltString::generate(&mut OsRng);
        let phc = weak.hash_password(b"pw", &salt).unwrap().to_string();
        assert_eq!(verify("pw", &phc), Verdict::Correct { rehash: true });
    }

    #[test]
    fn hashes_agree_with_the_argon2_crates_own_in_both_directions() {
        // Stored hashes were made by `Argon2::hash_password` before the memory was kept.
        let stock = Argon2::new(Algorithm::Argon2id, Version::V0x13, params());
        let salt = SaltString::generate(&mut OsRng);
        let theirs = stock.hash_password(b"lantern orbit", &salt).unwrap().to_string();
        let ours = KeptMemory.hash_password_customized(b"lantern orbit", None, None, params(), &salt).unwrap();
        assert_eq!(ours.to_string(), theirs);
        assert_eq!(verify("lantern orbit", &theirs), Verdict::Correct { rehash: false });
        assert_eq!(verify("lantern orbiT", &theirs), Verdict::Wrong);
        assert!(stock.verify_password(b"lantern orbit", &PasswordHash::new(&hash("lantern orbit")).unwrap()).is_ok());
    }

    #[test]
    fn malformed_stored_hashes_and_dummies_are_wrong() {
        assert_eq!(verify("pw", "not a phc string"), Verdict::Wrong);
        assert_eq!(verify_dummy("gatehouse dummy password that is never anyone's"), Verdict::Wrong);
    }
}
