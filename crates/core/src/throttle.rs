//! Slowing down guessing, per account and per client address, without letting an attacker
//! lock a real person out for good (NIST SP 800-63B §5.2.2).
//!
//! A few failures are free (typos); after that each failure adds a growing wait, capped at
//! 15 minutes. At 100 consecutive failures on one account it needs a one-hour cool-down.
//! Nothing is permanent: waits expire, counts are forgotten a day after the last failure,
//! and a successful sign-in clears the account's count. The state is in the database, so
//! every server process sees the same counts.

use crate::store::{StoreError, Throttles};
use crate::Timestamp;

pub const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;
pub const MAX_DELAY_SECS: i64 = 15 * 60;
pub const ACCOUNT_COOL_DOWN_AT: i64 = 100;
pub const ACCOUNT_COOL_DOWN_SECS: i64 = 60 * 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// Keyed by the user name as typed (normalised), so unknown names behave like real ones.
    Account,
    /// Keyed by client address; more generous, since offices share one address.
    Address,
}

impl Scope {
    fn free_failures(self) -> i64 {
        match self {
            Scope::Account => 5,
            Scope::Address => 30,
        }
    }
}

pub fn key(scope: Scope, value: &str) -> String {
    match scope {
        Scope::Account => format!("account:{}", value.trim().to_lowercase()),
        Scope::Address => format!("address:{value}"),
    }
}

/// The wait imposed after the `failures`-th consecutive failure.
pub fn delay_secs(scope: Scope, failures: i64) -> i64 {
    if scope == Scope::Account && failures >= ACCOUNT_COOL_DOWN_AT {
        return ACCOUNT_COOL_DOWN_SECS;
    }
    let over = failures - scope.free_failures();
    if over < 0 {
        0
    } else {
        (1i64 << over.min(20)).min(MAX_DELAY_SECS)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("Too many failed attempts. Try again in {}.", wait_words(*wait_secs))]
pub struct Blocked {
    pub wait_secs: i64,
}

pub fn wait_words(secs: i64) -> String {
    match secs {
        s if s <= 60 => format!("{} second{}", s.max(1), if s == 1 { "" } else { "s" }),
        s => {
            let m = (s + 59) / 60;
            format!("{m} minute{}", if m == 1 { "" } else { "s" })
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Refuses when any of the keys is in a wait.
pub async fn check<S: Throttles + ?Sized>(store: &S, keys: &[String], now: Timestamp) -> Result<(), ThrottleError> {
    let mut wait = 0;
    for k in keys {
        if let Some(row) = store.throttle(k).await? {
            wait = wait.max(row.blocked_until.0 - now.0);
        }
    }
    if wait > 0 {
        return Err(Blocked { wait_secs: wait }.into());
    }
    Ok(())
}

/// Counts a failure on each key and starts the wait it earns.
pub async fn fail<S: Throttles + ?Sized>(
    store: &S,
    keys: &[(Scope, String)],
    now: Timestamp,
) -> Result<(), StoreError> {
    for (scope, k) in keys {
        let failures = store.record_failure(k, now, now.plus_secs(-FORGET_AFTER_SECS)).await?;
        let delay = delay_secs(*scope, failures);
        if delay > 0 {
            store.block_until(k, now.plus_secs(delay)).await?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_are_free_then_waits_double_up_to_a_cap() {
        let delays: Vec<_> = (1..=16).map(|f| delay_secs(Scope::Account, f)).collect();
        assert_eq!(delays, [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(delay_secs(Scope::Address, 29), 0);
        assert_eq!(delay_secs(Scope::Address, 31), 2);
        assert_eq!(delay_secs(Scope::Address, 1000), MAX_DELAY_SECS);
    }

    #[test]
    fn a_hundred_failures_need_an_hour_and_nothing_is_permanent() {
        assert_eq!(delay_secs(Scope::Account, 99), MAX_DELAY_SECS);
        assert_eq!(delay_secs(Scope::Account, 100), ACCOUNT_COOL_DOWN_SECS);
        assert_eq!(delay_secs(Scope::Account, i64::MAX), ACCOUNT_COOL_DOWN_SECS);
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(Blocked { wait_secs: 1 }.to_string(), "Too many failed attempts. Try again in 1 second.");
        assert_eq!(Blocked { wait_secs: 45 }.to_string(), "Too many failed attempts. Try again in 45 seconds.");
        assert_eq!(Blocked { wait_secs: 61 }.to_string(), "Too many failed attempts. Try again in 2 minutes.");
    }

    #[test]
    fn account_keys_ignore_case_and_spaces() {
        assert_eq!(key(Scope::Account, " Ada@Example.com "), "account:ada@example.com");
        assert_eq!(key(Scope::Address, "192.0.2.1"), "address:192.0.2.1");
    }
}
