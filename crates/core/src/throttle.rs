//! Slowing down guessing without letting anyone lock a real person out (NIST SP 800-63B
//! §3.2.2): counters per kind of attempt, in the database, so every server process sees the
//! same counts.
//!
//! Every attempt is *reserved* before anything is checked: one conditional upsert takes it,
//! or refuses while a wait runs or while as many attempts are being checked as the counter
//! may let through (its free attempts left, at least one). Three hundred concurrent guesses
//! therefore get the free attempts and nothing more, however they are spread over server
//! processes. Each reserved attempt is then settled: a failure counts and starts the wait its
//! count earns ([`fail`]); anything else gives it back ([`release`]), so concurrent correct
//! attempts never start a wait. A completed sign-in forgives the person's counters
//! ([`forgive`]).
//!
//! The counters and their schedules (the README states the same policy):
//! - wrong passwords for one user name from one client address: 5 free, then 1 s doubling
//!   to 15 min. This is the counter that stops one attacker quickly.
//! - wrong passwords for one user name from anywhere: 20 free, then 1 s doubling to only
//!   1 min, and a one-hour cool-down at 100 in a row (NIST's limit). Soft, so that an attacker
//!   elsewhere slows the person down by seconds at most, until they reach 100.
//! - wrong codes for one person: 5 free, then doubling to 15 min, one-hour cool-down at 100.
//!   Only someone past the first step (password or provider) gets here.
//! - wrong passwords and codes from one client address (IPv6: its /64): 30 free, doubling
//!   to 15 min; offices share an address.
//! - refused passkeys from one client address: 30 free, doubling to 15 min. Passkeys have
//!   counters of their own: password failures never hold back a passkey.
//!
//! Counts are forgotten a day after their last attempt; expired rows are purged.

use crate::store::{Reservation, StoreError, Throttles};
use crate::token::TokenHash;
use crate::Timestamp;
use gatehouse_l10n::say;

pub const FORGET_AFTER_SECS: i64 = 24 * 60 * 60;
pub const MAX_DELAY_SECS: i64 = 15 * 60;
pub const COOL_DOWN_AT: i64 = 100;
pub const COOL_DOWN_SECS: i64 = 60 * 60;
/// A reserved attempt never settled after this long (its process died) no longer counts.
pub const STALE_AFTER_SECS: i64 = 60;
/// How much of a user name goes into a counter's key: the longest email address there is.
pub const USER_NAME_MAX_BYTES: usize = 254;

/// How hard a counter holds back: `free` attempts in a row cost no wait; the `free`-th and
/// each one after it start a wait, doubling from one second up to `cap_secs`; counters about
/// one person also need an hour's cool-down at the 100th failure in a row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Schedule {
    pub free: i64,
    pub cap_secs: i64,
    pub cool_down: bool,
}

impl Schedule {
    /// The wait that starts with the `n`-th attempt in a row.
    pub fn wait_after(self, n: i64) -> i64 {
        if self.cool_down && n >= COOL_DOWN_AT {
            return COOL_DOWN_SECS;
        }
        let over = n - self.free;
        if over < 0 {
            0
        } else {
            (1i64 << over.min(30)).min(self.cap_secs)
        }
    }

    /// The same schedule as thresholds, largest first: from the `count`-th attempt on, wait
    /// `secs`. Storage turns this into SQL, so the count and its wait change in one statement.
    pub fn ladder(self) -> Vec<(i64, i64)> {
        let mut steps = Vec::new();
        let mut n = self.free.max(1);
        loop {
            let secs = self.wait_after(n);
            steps.push((n, secs));
            if secs >= self.cap_secs || (self.cool_down && n + 1 >= COOL_DOWN_AT) {
                break;
            }
            n += 1;
        }
        if self.cool_down {
            steps.push((COOL_DOWN_AT, COOL_DOWN_SECS));
        }
        steps.reverse();
        steps
    }
}

const QUICK: Schedule = Schedule { free: 5, cap_secs: MAX_DELAY_SECS, cool_down: false };
const SOFT_ACCOUNT: Schedule = Schedule { free: 20, cap_secs: 60, cool_down: true };
const CODE: Schedule = Schedule { free: 5, cap_secs: MAX_DELAY_SECS, cool_down: true };
const ADDRESS: Schedule = Schedule { free: 30, cap_secs: MAX_DELAY_SECS, cool_down: false };
const KNOWN_BROWSER: Schedule = Schedule { free: 5, cap_secs: MAX_DELAY_SECS, cool_down: true };

/// One counter an attempt is reserved on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    pub name: String,
    pub schedule: Schedule,
    /// About one person: a completed sign-in clears it. (An address's count is not a
    /// person's: one person's success must not wipe it for everyone behind the address.)
    pub person: bool,
}

fn user_name_key(name: &str) -> String {
    let name = name.trim().to_lowercase();
    let mut end = name.len().min(USER_NAME_MAX_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

fn key(name: String, schedule: Schedule, person: bool) -> Key {
    Key { name, schedule, person }
}

/// The counters of a password attempt for `user_name` (as typed: unknown names behave exactly
/// like real ones) from `address` (already grouped, see [`crate::signin::Client`]). From a
/// browser known to belong to that person (`known_browser`: its token's hash), only the
/// counter of that browser: guesses from anywhere else never hold it back.
pub fn password_keys(user_name: &str, address: Option<&str>, known_browser: Option<&TokenHash>) -> Vec<Key> {
    let name = user_name_key(user_name);
    if let Some(hash) = known_browser {
        return vec![browser_key(&name, hash)];
    }
    let mut keys = Vec::new();
    if let Some(a) = address {
        keys.push(key(format!("pair:{name}|{a}"), QUICK, true));
    }
    keys.push(key(format!("account:{name}"), SOFT_ACCOUNT, true));
    if let Some(a) = address {
        keys.push(key(format!("address:{a}"), ADDRESS, false));
    }
    keys
}

fn browser_key(name: &str, hash: &TokenHash) -> Key {
    key(format!("browser:{name}|{}", &hash.0[..hash.0.len().min(16)]), KNOWN_BROWSER, true)
}

/// The counters a completed sign-in of this person clears.
pub fn person_keys(email: &str, address: Option<&str>, browser: Option<&TokenHash>) -> Vec<Key> {
    let mut keys = password_keys(email, address, None);
    keys.extend(browser.map(|hash| browser_key(&user_name_key(email), hash)));
    keys.extend(code_keys(email, address));
    keys.retain(|k| k.person);
    keys
}

/// The counters of a code attempt (sign-in or step-up) for the person with this email.
pub fn code_keys(email: &str, address: Option<&str>) -> Vec<Key> {
    let mut keys = vec![key(format!("code:{}", user_name_key(email)), CODE, true)];
    if let Some(a) = address {
        keys.push(key(format!("address:{a}"), ADDRESS, false));
    }
    keys
}

/// The counter of refused passkeys from one address; password failures never touch it.
pub fn passkey_keys(address: Option<&str>) -> Vec<Key> {
    address.map(|a| key(format!("passkey:{a}"), ADDRESS, false)).into_iter().collect()
}

/// Invitations (made, sent again, or refused because the address has a user) per person
/// inviting: 30 in a row, then waits doubling to an hour, forgotten after a quiet day. Enough
/// to bring a team in; it bounds how fast an owner can probe which addresses have users in
/// other accounts, and how much mail they can cause.
const INVITER: Schedule = Schedule { free: 30, cap_secs: 60 * 60, cool_down: false };

pub fn invite_keys(inviter_id: &str) -> Vec<Key> {
    vec![key(format!("invite:{inviter_id}"), INVITER, false)]
}

const SUPPORT_ADDRESS: Schedule = Schedule { free: 10, cap_secs: 60 * 60, cool_down: false };
const SUPPORT_MAILBOX: Schedule = Schedule { free: 5, cap_secs: 60 * 60, cool_down: false };

/// The support form's limits on filing, taken before any file is read: per client address (10,
/// then waits doubling to an hour), and for a signed-in requester per person as well. Never
/// per email typed: a stranger typing someone's address must not use up that person's
/// requests.
pub fn support_keys(address: Option<&str>, requester_id: Option<&str>) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(a) = address {
        keys.push(key(format!("support-address:{a}"), SUPPORT_ADDRESS, false));
    }
    if let Some(id) = requester_id {
        keys.push(key(format!("support-person:{id}"), SUPPORT_ADDRESS, false));
    }
    keys
}

/// Requests confirmed from one mailbox (5, then waits doubling to an hour): counted only
/// when the mailbox's owner opens the link, so only they can use it up.
pub fn support_mailbox_keys(email: &str) -> Vec<Key> {
    vec![key(format!("support-mailbox:{}", user_name_key(email)), SUPPORT_MAILBOX, false)]
}

const RESET_ADDRESS: Schedule = Schedule { free: 10, cap_secs: 60 * 60, cool_down: false };

/// **Forgot password?** asks per client address (10, then waits doubling to an hour), whatever
/// address they name: what limits a stranger asking for someone's links. Never per person.
pub fn reset_keys(address: Option<&str>) -> Vec<Key> {
    address.map(|a| key(format!("reset-address:{a}"), RESET_ADDRESS, false)).into_iter().collect()
}

/// Counts refused single sign-on callbacks per address, to bound how often they are audited.
pub fn sso_refusal_key(address: &str) -> Key {
    key(format!("sso-refused:{address}"), ADDRESS, false)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", say("error-blocked", &wait_args(*wait_secs)))]
pub struct Blocked {
    pub wait_secs: i64,
}

/// A wait's variables for messages that say it (`{ wait }` in the FTL files): `$minutes` is 0
/// for a minute or less, which is then said in `$seconds`.
pub fn wait_args(secs: i64) -> [(&'static str, gatehouse_l10n::Arg); 2] {
    let seconds = secs.clamp(1, 60);
    let minutes = if secs <= 60 { 0 } else { (secs + 59) / 60 };
    [("seconds", seconds.into()), ("minutes", minutes.into())]
}

#[derive(Debug, thiserror::Error)]
pub enum ThrottleError {
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A wait that a failure started: worth one audit entry, however many attempts it refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WaitStarted {
    pub key: String,
    pub failures: i64,
    pub wait_secs: i64,
}

/// Reserves one attempt on every key. Refused, with the longest wait, when any key is
/// waiting or full; what was already taken is given back then, so a refused attempt costs
/// nothing.
pub async fn reserve<S: Throttles + ?Sized>(store: &S, keys: &[Key], now: Timestamp) -> Result<(), ThrottleError> {
    let (forget_before, stale_before) = (now.plus_secs(-FORGET_AFTER_SECS), now.plus_secs(-STALE_AFTER_SECS));
    for (i, k) in keys.iter().enumerate() {
        match store.reserve_attempt(&k.name, k.schedule.free, now, forget_before, stale_before).await? {
            Reservation::Granted => {}
            Reservation::Refused { wait_secs } => {
                release(store, &keys[..i]).await?;
                return Err(Blocked { wait_secs: wait_secs.max(1) }.into());
            }
        }
    }
    Ok(())
}

/// The reserved attempt failed: every key counts it and starts the wait its count earns.
pub async fn fail<S: Throttles + ?Sized>(
    store: &S,
    keys: &[Key],
    now: Timestamp,
) -> Result<Vec<WaitStarted>, StoreError> {
    let mut started = Vec::new();
    for k in keys {
        let row = store.record_failure(&k.name, &k.schedule.ladder(), now).await?;
        if k.schedule.wait_after(row.failures) > 0 {
            started.push(WaitStarted {
                key: k.name.clone(),
                failures: row.failures,
                wait_secs: row.blocked_until.0 - now.0,
            });
        }
    }
    Ok(started)
}

/// The reserved attempt was no failure (a correct password, though the person is not signed
/// in yet; or a request that could not be checked): every key gives it back.
pub async fn release<S: Throttles + ?Sized>(store: &S, keys: &[Key]) -> Result<(), StoreError> {
    for k in keys {
        store.release_attempt(&k.name).await?;
    }
    Ok(())
}

/// A completed sign-in: the person's own counters start again (for this address; another
/// address's guesses stay counted). Keys of this request that are not the person's are
/// given back.
pub async fn forgive<S: Throttles + ?Sized>(store: &S, keys: &[Key]) -> Result<(), StoreError> {
    let (person, others): (Vec<&Key>, Vec<&Key>) = keys.iter().partition(|k| k.person);
    store.clear_throttles(&person.iter().map(|k| k.name.as_str()).collect::<Vec<_>>()).await?;
    for k in others {
        store.release_attempt(&k.name).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_free_attempts_then_waits_double_up_to_a_cap() {
        let waits: Vec<_> = (1..=16).map(|n| QUICK.wait_after(n)).collect();
        assert_eq!(waits, [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
        assert_eq!(ADDRESS.wait_after(29), 0);
        assert_eq!(ADDRESS.wait_after(31), 2);
        assert_eq!(ADDRESS.wait_after(1000), MAX_DELAY_SECS);
        assert_eq!(QUICK.wait_after(i64::MAX), MAX_DELAY_SECS);
    }

    #[test]
    fn the_account_wide_counter_is_soft_until_a_hundred_in_a_row() {
        assert_eq!(SOFT_ACCOUNT.wait_after(19), 0);
        assert_eq!(SOFT_ACCOUNT.wait_after(20), 1);
        assert_eq!(SOFT_ACCOUNT.wait_after(99), 60);
        assert_eq!(SOFT_ACCOUNT.wait_after(100), COOL_DOWN_SECS);
        assert_eq!(CODE.wait_after(99), MAX_DELAY_SECS);
        assert_eq!(CODE.wait_after(100), COOL_DOWN_SECS);
        assert_eq!(CODE.wait_after(i64::MAX), COOL_DOWN_SECS);
    }

    #[test]
    fn the_ladder_says_what_wait_after_says() {
        for schedule in [QUICK, SOFT_ACCOUNT, CODE, ADDRESS] {
            let ladder = schedule.ladder();
            assert!(ladder.windows(2).all(|w| w[0].0 > w[1].0), "{ladder:?}");
            for n in 1..300 {
                let from_ladder = ladder.iter().find(|(count, _)| n >= *count).map(|(_, s)| *s).unwrap_or(0);
                assert_eq!(from_ladder, schedule.wait_after(n), "{schedule:?} at {n}");
            }
        }
    }

    #[test]
    fn waits_read_as_words() {
        assert_eq!(Blocked { wait_secs: 1 }.to_string(), "Too many failed attempts. Try again in 1 second.");
        assert_eq!(Blocked { wait_secs: 45 }.to_string(), "Too many failed attempts. Try again in 45 seconds.");
        assert_eq!(Blocked { wait_secs: 61 }.to_string(), "Too many failed attempts. Try again in 2 minutes.");
    }

    #[test]
    fn keys_ignore_case_and_spaces_and_are_bounded() {
        let keys = password_keys(" Ada@Example.com ", Some("192.0.2.1"), None);
        let names: Vec<_> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["pair:ada@example.com|192.0.2.1", "account:ada@example.com", "address:192.0.2.1"]);
        let long = format!("{}@example.com", "é".repeat(400));
        assert!(password_keys(&long, None, None)[0].name.len() <= "account:".len() + USER_NAME_MAX_BYTES);
        let hash = TokenHash("ab".repeat(32));
        let known: Vec<_> =
            password_keys("ada@example.com", Some("192.0.2.1"), Some(&hash)).into_iter().map(|k| k.name).collect();
        assert_eq!(known, ["browser:ada@example.com|abababababababab"], "a known browser counts apart");
    }

    #[test]
    fn passkeys_never_share_a_counter_with_passwords() {
        let password: Vec<_> =
            password_keys("ada@example.com", Some("192.0.2.1"), None).into_iter().map(|k| k.name).collect();
        let code: Vec<_> = code_keys("ada@example.com", Some("192.0.2.1")).into_iter().map(|k| k.name).collect();
        for k in passkey_keys(Some("192.0.2.1")) {
            assert!(!password.contains(&k.name) && !code.contains(&k.name), "{}", k.name);
        }
    }
}
