//! Passkeys: WebAuthn registration and usernameless (discoverable) sign-in, through
//! webauthn-rs. A passkey signs in on its own, with no password and no code, because the
//! authenticator itself verifies the person (user verification is required throughout).
//!
//! Ceremony state lives in the database under a random id for five minutes and is deleted
//! before it is checked: it works once, and start and finish may reach different processes.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use gatehouse_l10n::say;
use webauthn_rs::prelude::{
    CredentialID, DiscoverableAuthentication, DiscoverableKey, Passkey, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder, WebauthnError,
};
use webauthn_rs_proto::{ResidentKeyRequirement, UserVerificationPolicy};

use crate::model::{AuditKind, Ceremony, CeremonyKind, StoredPasskey, User};
use crate::signin::{audit, count_failure, signed_in, Client, SignInError};
use crate::store::{AuditLog, Conflict, Directory, Passkeys, StoreError, Throttles};
use crate::throttle::{self, Blocked};
use crate::{Id, Timestamp};

pub const CEREMONY_TTL_SECS: i64 = 5 * 60;
pub const NAME_MAX_CHARS: usize = 64;

/// This site as a WebAuthn relying party: its id is the public URL's host, and only that
/// origin is accepted.
pub struct RelyingParty {
    webauthn: Webauthn,
}

impl RelyingParty {
    pub fn new(public_url: &str, product: &str) -> Result<Self, String> {
        let origin = Url::parse(public_url).map_err(|e| format!("public URL “{public_url}”: {e}"))?;
        let host = origin.host_str().ok_or_else(|| format!("public URL “{public_url}” has no host"))?.to_owned();
        let webauthn = WebauthnBuilder::new(&host, &origin)
            .and_then(|b| b.rp_name(product).build())
            .map_err(|e| format!("WebAuthn relying party {host} for {origin}: {e}"))?;
        Ok(RelyingParty { webauthn })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PasskeyError {
    #[error("{}", say("error-passkey-ceremony-gone", &[]))]
    CeremonyGone,
    #[error("{}", say("error-passkey-unknown-credential", &[]))]
    UnknownCredential,
    #[error("{}", say("error-passkey-not-verified", &[]))]
    NotVerified,
    #[error("{}", say("error-passkey-not-yours", &[]))]
    NotYours,
    #[error("{}", say("error-passkey-wrong-origin", &[]))]
    WrongOrigin,
    #[error("{}", say("error-passkey-cloned", &[]))]
    Cloned,
    #[error("{}", say("error-passkey-already-registered", &[]))]
    AlreadyRegistered,
    #[error("{}", say("error-passkey-bad-name", &[("max", NAME_MAX_CHARS.into())]))]
    BadName,
    #[error("{}", say("error-passkey-not-found", &[]))]
    NotFound,
    #[error("{}", say("error-passkey-malformed", &[]))]
    Malformed,
    #[error("{}", say("error-passkey-rejected", &[]))]
    Rejected(String),
    #[error(transparent)]
    Blocked(#[from] Blocked),
    #[error("passkey state could not be used: {0}")]
    Internal(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl PasskeyError {
    /// A passkey that was refused, as opposed to a request that could not be checked (a
    /// spent ceremony, a garbled answer, a failure on our side): only refusals count.
    fn is_refusal(&self) -> bool {
        !matches!(
            self,
            PasskeyError::CeremonyGone
                | PasskeyError::Malformed
                | PasskeyError::Internal(_)
                | PasskeyError::Store(_)
                | PasskeyError::Blocked(_)
        )
    }
}

impl From<SignInError> for PasskeyError {
    fn from(e: SignInError) -> Self {
        match e {
            SignInError::Blocked(b) => PasskeyError::Blocked(b),
            SignInError::Store(s) => PasskeyError::Store(s),
            other => PasskeyError::Internal(other.to_string()),
        }
    }
}

fn verification_error(e: WebauthnError) -> PasskeyError {
    use WebauthnError::*;
    match e {
        InvalidRPOrigin | InvalidRPIDHash | CredentialCrossOrigin => PasskeyError::WrongOrigin,
        UserNotVerified | UserNotPresent => PasskeyError::NotVerified,
        CredentialPossibleCompromise | CredentialCounterUpdateFailure => PasskeyError::Cloned,
        CredentialExcludedFromRequest | CredentialAlreadyExists => PasskeyError::AlreadyRegistered,
        MismatchedChallenge | ChallengeNotFound => PasskeyError::CeremonyGone,
        ParseBase64Failure(_) | ParseCBORFailure(_) | ParseJSONFailure(_) | ParseNOMFailure => PasskeyError::Malformed,
        other => PasskeyError::Rejected(other.to_string()),
    }
}

fn internal(e: impl std::fmt::Display) -> PasskeyError {
    PasskeyError::Internal(e.to_string())
}

/// The opaque user handle stored on the authenticator: the user's random id as a UUID, so
/// it reveals nothing and needs no column of its own.
pub fn user_handle(user: &User) -> Uuid {
    let mut bytes = [0u8; 16];
    for (i, b) in bytes.iter_mut().enumerate() {
        *b = u8::from_str_radix(user.id.as_str().get(2 * i..2 * i + 2).unwrap_or("00"), 16).unwrap_or(0);
    }
    Uuid::from_bytes(bytes)
}

fn credential_key(id: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(id)
}

/// The browser's answer to a ceremony: which ceremony, and the credential as WebAuthn JSON.
#[derive(Clone, Copy, Debug)]
pub struct Answer<'a> {
    pub ceremony: &'a str,
    pub credential: &'a str,
}

/// What the browser needs to run a ceremony: the id to finish it with and the WebAuthn
/// options as JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Challenge {
    pub ceremony: Id,
    pub options: String,
}

async fn put_ceremony<S: Passkeys + ?Sized>(
    store: &S,
    kind: CeremonyKind,
    user: Option<&User>,
    state: String,
    options: String,
    now: Timestamp,
) -> Result<Challenge, PasskeyError> {
    let ceremony = Ceremony {
        id: Id::random(),
        kind,
        user_id: user.map(|u| u.id.clone()),
        state,
        expires_at: now.plus_secs(CEREMONY_TTL_SECS),
    };
    store.put_ceremony(&ceremony, now).await?;
    Ok(Challenge { ceremony: ceremony.id, options })
}

/// Takes the ceremony out of storage: from here on it can never be used again, whatever
/// the outcome.
async fn take_ceremony<S: Passkeys + ?Sized>(
    store: &S,
    id: &str,
    kind: CeremonyKind,
    user: Option<&User>,
    now: Timestamp,
) -> Result<String, PasskeyError> {
    let c = store.take_ceremony(id.trim()).await?.ok_or(PasskeyError::CeremonyGone)?;
    if c.kind != kind || c.expires_at <= now || c.user_id.as_ref() != user.map(|u| &u.id) {
        return Err(PasskeyError::CeremonyGone);
    }
    Ok(c.state)
}

/// A name people give a passkey: trimmed, 1–64 characters, no control characters.
pub fn clean_name(name: &str) -> Result<String, PasskeyError> {
    let name = name.trim();
    let count = name.chars().count();
    if count == 0 || count > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(PasskeyError::BadName);
    }
    Ok(name.to_owned())
}

/// Starts adding a passkey for a signed-in user: a discoverable credential with user
/// verification, never one of the user's existing credentials again.
pub async fn start_registration<S: Passkeys + ?Sized>(
    store: &S,
    rp: &RelyingParty,
    user: &User,
    now: Timestamp,
) -> Result<Challenge, PasskeyError> {
    let exclude: Vec<CredentialID> = store
        .passkeys_of(&user.id)
        .await?
        .iter()
        .filter_map(|p| serde_json::from_str::<Passkey>(&p.passkey).ok())
        .map(|p| p.cred_id().clone())
        .collect();
    let email = user.email.as_str();
    let (mut options, state) =
        rp.webauthn.start_passkey_registration(user_handle(user), email, email, Some(exclude)).map_err(internal)?;
    // Usernameless sign-in needs the credential stored on the authenticator.
    if let Some(selection) = options.public_key.authenticator_selection.as_mut() {
        selection.resident_key = Some(ResidentKeyRequirement::Required);
        selection.require_resident_key = true;
        selection.user_verification = UserVerificationPolicy::Required;
    }
    let state = serde_json::to_string(&state).map_err(internal)?;
    let options = serde_json::to_string(&options).map_err(internal)?;
    put_ceremony(store, CeremonyKind::Register, Some(user), state, options, now).await
}

/// Finishes adding a passkey with the browser's answer, under the name the person chose.
pub async fn finish_registration<S: Passkeys + AuditLog + ?Sized>(
    store: &S,
    rp: &RelyingParty,
    user: &User,
    answer: Answer<'_>,
    name: &str,
    client: &Client,
    now: Timestamp,
) -> Result<StoredPasskey, PasskeyError> {
    // Checked before the ceremony is taken, so a bad name costs no new dialog.
    let name = clean_name(name)?;
    let state = take_ceremony(store, answer.ceremony, CeremonyKind::Register, Some(user), now).await?;
    let state: PasskeyRegistration = serde_json::from_str(&state).map_err(internal)?;
    let answer: RegisterPublicKeyCredential =
        serde_json::from_str(answer.credential).map_err(|_| PasskeyError::Malformed)?;
    let passkey = match rp.webauthn.finish_passkey_registration(&answer, &state) {
        Ok(p) => p,
        Err(e) => {
            let why = verification_error(e);
            audit(store, now, AuditKind::PasskeyRefused, Some(user), client, format!("registration: {why:?}")).await?;
            return Err(why);
        }
    };
    let stored = StoredPasskey {
        id: Id::random(),
        user_id: user.id.clone(),
        credential_id: credential_key(passkey.cred_id()),
        name,
        passkey: serde_json::to_string(&passkey).map_err(internal)?,
        sign_count: 0,
        created_at: now,
        last_used_at: None,
    };
    match store.insert_passkey(&stored).await {
        Err(StoreError::Conflict(Conflict::Other)) => return Err(PasskeyError::AlreadyRegistered),
        other => other?,
    }
    audit(store, now, AuditKind::PasskeyAdded, Some(user), client, format!("“{}”", stored.name)).await?;
    Ok(stored)
}

/// Starts a usernameless sign-in: the browser offers whichever passkey the person picks.
pub async fn start_sign_in<S: Passkeys + ?Sized>(
    store: &S,
    rp: &RelyingParty,
    now: Timestamp,
) -> Result<Challenge, PasskeyError> {
    let (options, state) = rp.webauthn.start_discoverable_authentication().map_err(internal)?;
    let state = serde_json::to_string(&state).map_err(internal)?;
    let options = serde_json::to_string(&options).map_err(internal)?;
    put_ceremony(store, CeremonyKind::SignIn, None, state, options, now).await
}

/// Audits a refused passkey (the caller counts it on the address's passkey counter).
async fn refused<S: AuditLog + ?Sized>(
    store: &S,
    user: Option<&User>,
    client: &Client,
    now: Timestamp,
    why: PasskeyError,
) -> PasskeyError {
    let kind =
        if matches!(why, PasskeyError::Cloned) { AuditKind::PasskeyCloneSuspected } else { AuditKind::PasskeyRefused };
    match audit(store, now, kind, user, client, format!("sign-in: {why:?}")).await {
        Ok(()) => why,
        Err(e) => e.into(),
    }
}

/// Who a passkey assertion is for: anyone (a sign-in), or only the person already signed in
/// (step-up), whose session must never switch to another passkey's owner.
#[derive(Clone, Copy, Debug)]
pub enum Expect<'a> {
    Anyone,
    Only(&'a User),
}

/// Finishes a passkey sign-in (or step-up). On success the person is signed in, with no
/// password and no code: the authenticator verified them.
pub async fn finish_sign_in<S: Passkeys + Directory + Throttles + AuditLog + ?Sized>(
    store: &S,
    rp: &RelyingParty,
    answer: Answer<'_>,
    expect: Expect<'_>,
    client: &Client,
    now: Timestamp,
) -> Result<User, PasskeyError> {
    // A passkey has counters of its own: password failures, which anyone who knows a
    // person's email can cause, never hold back their passkey.
    let keys = throttle::passkey_keys(client.throttle_address().as_deref());
    throttle::reserve(store, &keys, now).await.map_err(SignInError::from)?;
    let outcome = verify_assertion(store, rp, answer, expect, client, now).await;
    match &outcome {
        Err(e) if e.is_refusal() => count_failure(store, &keys, None, client, "passkey", now).await?,
        _ => throttle::release(store, &keys).await?,
    }
    let (user, name) = outcome?;
    match expect {
        Expect::Anyone => signed_in(store, &user, client, now, &format!("passkey “{name}”")).await?,
        Expect::Only(_) => {
            audit(store, now, AuditKind::StepUp, Some(&user), client, format!("with passkey “{name}”")).await?
        }
    }
    Ok(user)
}

/// The checks of [`finish_sign_in`]: the passkey's owner and the passkey's name, or why not
/// (refusals audited here).
async fn verify_assertion<S: Passkeys + Directory + AuditLog + ?Sized>(
    store: &S,
    rp: &RelyingParty,
    answer: Answer<'_>,
    expect: Expect<'_>,
    client: &Client,
    now: Timestamp,
) -> Result<(User, String), PasskeyError> {
    let state = take_ceremony(store, answer.ceremony, CeremonyKind::SignIn, None, now).await?;
    let state: DiscoverableAuthentication = serde_json::from_str(&state).map_err(internal)?;
    let answer: PublicKeyCredential = serde_json::from_str(answer.credential).map_err(|_| PasskeyError::Malformed)?;
    let (handle, credential_id) = match rp.webauthn.identify_discoverable_authentication(&answer) {
        Ok(found) => found,
        Err(e) => return Err(refused(store, None, client, now, verification_error(e)).await),
    };
    let stored = store.passkey_by_credential(&credential_key(credential_id)).await?;
    let owner = match &stored {
        Some(p) => store.user_by_id(&p.user_id).await?,
        None => None,
    };
    let (Some(stored), Some(user)) = (stored, owner.filter(|u| user_handle(u) == handle)) else {
        return Err(refused(store, None, client, now, PasskeyError::UnknownCredential).await);
    };
    if let Expect::Only(me) = expect {
        if me.id != user.id {
            // Checked before verifying, so nothing is counted against the passkey's owner.
            return Err(refused(store, Some(me), client, now, PasskeyError::NotYours).await);
        }
    }
    let mut passkey: Passkey = serde_json::from_str(&stored.passkey).map_err(internal)?;
    let result =
        match rp.webauthn.finish_discoverable_authentication(&answer, state, &[DiscoverableKey::from(&passkey)]) {
            Ok(r) => r,
            Err(e) => return Err(refused(store, Some(&user), client, now, verification_error(e)).await),
        };
    // WebAuthn §6.1.1: a counter that does not grow (once either side is non-zero) means
    // two copies of the key exist. webauthn-rs checks too; this makes the rule ours.
    let count = i64::from(result.counter());
    if (count != 0 || stored.sign_count != 0) && count <= stored.sign_count {
        return Err(refused(store, Some(&user), client, now, PasskeyError::Cloned).await);
    }
    passkey.update_credential(&result);
    let serialised = serde_json::to_string(&passkey).map_err(internal)?;
    if !store.record_passkey_use(&stored.id, &serialised, stored.sign_count, count, now).await? {
        return Err(refused(store, Some(&user), client, now, PasskeyError::Cloned).await);
    }
    Ok((user, stored.name))
}

pub async fn rename<S: Passkeys + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    id: &str,
    name: &str,
    client: &Client,
    now: Timestamp,
) -> Result<String, PasskeyError> {
    let name = clean_name(name)?;
    if !store.rename_passkey(&user.id, &Id::from_stored(id.trim().to_owned()), &name).await? {
        return Err(PasskeyError::NotFound);
    }
    audit(store, now, AuditKind::PasskeyRenamed, Some(user), client, format!("to “{name}”")).await?;
    Ok(name)
}

/// Removes one of the user's passkeys. Their authenticator app (TOTP) is a separate
/// credential and stays, even when this was the last passkey.
pub async fn remove<S: Passkeys + AuditLog + ?Sized>(
    store: &S,
    user: &User,
    id: &str,
    client: &Client,
    now: Timestamp,
) -> Result<StoredPasskey, PasskeyError> {
    let removed =
        store.delete_passkey(&user.id, &Id::from_stored(id.trim().to_owned())).await?.ok_or(PasskeyError::NotFound)?;
    audit(store, now, AuditKind::PasskeyRemoved, Some(user), client, format!("“{}”", removed.name)).await?;
    Ok(removed)
}

#[cfg(test)]
mod tests;
