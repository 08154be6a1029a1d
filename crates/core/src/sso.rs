//! Single sign-on through OpenID Connect: the rules that do not depend on the protocol
//! library. Flow state lives in the database (random id = OAuth `state`, ten minutes, taken
//! before it is checked), and a provider identity is linked to an existing user only through
//! a verified email; afterwards issuer + subject say who it is. An invitation is accepted
//! through a provider only from the invitation's own page (the flow carries it), never by a
//! sign-in that merely finds one waiting: several accounts may invite one address, and none may
//! take a person in without their say. SSO is only the first step: the caller then asks for the
//! authentication code (or starts 2FA setup), as after a password.

use crate::model::{AuditKind, SsoFlow, SsoIdentity, User};
use crate::role::Role;
use crate::signin::{audit, Client};
use crate::store::{AuditLog, Authenticators, Conflict, Directory, Invitations, Sso, StoreError, Throttles};
use crate::throttle::{self, ThrottleError};
use crate::{Email, Id, Timestamp};
use gatehouse_l10n::say;

pub const FLOW_TTL_SECS: i64 = 10 * 60;

#[derive(Debug, thiserror::Error)]
pub enum SsoError {
    #[error("{}", say("error-sso-flow-gone", &[]))]
    FlowGone,
    #[error("{}", say("error-sso-unverified-email", &[("provider", provider.into())]))]
    UnverifiedEmail { provider: String },
    #[error("{}", say("error-sso-unknown-user", &[("email", email.into())]))]
    UnknownUser { email: String },
    #[error("{}", say("error-sso-invitation-expired", &[]))]
    InvitationExpired,
    /// Invited, not joined, and the sign-in did not come from the invitation's page.
    #[error("{}", say("error-sso-invitation-pending", &[]))]
    InvitationPending,
    /// The provider's address is not the one the invitation was sent to.
    #[error("{}", say("error-sso-other-address", &[("provider", provider.into()), ("email", email.into())]))]
    OtherAddress { provider: String, email: String },
    /// The address joined in another account first.
    #[error("{}", say("error-sso-joined-elsewhere", &[("email", email.into())]))]
    JoinedElsewhere { email: String },
    /// The email's domain is not one this provider may vouch for, or the person is a
    /// support agent (agents sign in with password and code only).
    #[error("{}", say("error-sso-not-allowed", &[("provider", provider.into())]))]
    NotAllowed { provider: String },
    /// A person with a password but no authenticator (new, or just reset) sets the
    /// authenticator up after their password, never after a provider: otherwise whoever
    /// controls the provider could enrol their own authenticator.
    #[error("{}", say("error-sso-set-up-first", &[("provider", provider.into())]))]
    SetUpFirst { provider: String },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Who the provider says signed in, from a verified ID token (and userinfo).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claims {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
}

/// A configured provider, as the rules need it.
#[derive(Clone, Copy, Debug)]
pub struct Provider<'a> {
    pub id: &'a str,
    pub name: &'a str,
    /// Email domains this provider may link (lower case); empty: any.
    pub domains: &'a [String],
}

impl Provider<'_> {
    fn vouches_for(&self, email: &Email) -> bool {
        let domain = email.as_str().rsplit('@').next().unwrap_or("");
        self.domains.is_empty() || self.domains.iter().any(|d| d == domain)
    }
}

/// What the page a sign-in started from carried into it: tokens as given, kept as hashes, checked
/// only for their form here.
#[derive(Clone, Copy, Debug, Default)]
pub struct Carried<'a> {
    /// The setup link the login page was opened from.
    pub setup_link: Option<&'a str>,
    /// The invitation whose page the sign-in started from.
    pub invitation: Option<&'a str>,
}

/// Remembers a flow until the callback: its `state` (the returned id), nonce and PKCE
/// verifier, and what the page carried.
pub async fn start_flow<S: Sso + ?Sized>(
    store: &S,
    provider: Provider<'_>,
    nonce: String,
    pkce_verifier: String,
    carried: Carried<'_>,
    now: Timestamp,
) -> Result<SsoFlow, SsoError> {
    let hash = |t: Option<&str>| t.and_then(|t| crate::token::Token::from_link(t.trim())).map(|t| t.hash());
    let flow = SsoFlow {
        id: Id::random(),
        provider_id: provider.id.to_owned(),
        nonce,
        pkce_verifier,
        expires_at: now.plus_secs(FLOW_TTL_SECS),
        setup_link: hash(carried.setup_link),
        invitation: hash(carried.invitation),
    };
    store.put_sso_flow(&flow, now).await?;
    Ok(flow)
}

/// The flow a callback's `state` names, taken out of storage: a replayed callback, a tampered
/// or expired `state`, or one started for another provider finds nothing.
pub async fn take_flow<S: Sso + ?Sized>(
    store: &S,
    state: &str,
    provider: Provider<'_>,
    now: Timestamp,
) -> Result<SsoFlow, SsoError> {
    let flow = store.take_sso_flow(state.trim()).await?.ok_or(SsoError::FlowGone)?;
    if flow.provider_id != provider.id || flow.expires_at <= now {
        return Err(SsoError::FlowGone);
    }
    Ok(flow)
}

async fn refuse<S: AuditLog + ?Sized>(
    store: &S,
    user: Option<&User>,
    client: &Client,
    now: Timestamp,
    why: SsoError,
) -> SsoError {
    match audit(store, now, AuditKind::SsoRefused, user, client, why.to_string()).await {
        Ok(()) => why,
        Err(e) => e.into(),
    }
}

async fn linked_user<S: Sso + Directory + ?Sized>(store: &S, claims: &Claims) -> Result<Option<User>, StoreError> {
    match store.sso_user(&claims.issuer, &claims.subject).await? {
        Some(id) => store.user_by_id(&id).await,
        None => Ok(None),
    }
}

/// The user, unless they have a password but no authenticator (see [`SsoError::SetUpFirst`]).
async fn usable<S: Authenticators + AuditLog + ?Sized>(
    store: &S,
    provider: Provider<'_>,
    user: User,
    client: &Client,
    now: Timestamp,
) -> Result<User, SsoError> {
    if user.has_password && store.totp_secret(&user.id).await?.is_none() {
        let why = SsoError::SetUpFirst { provider: provider.name.into() };
        return Err(refuse(store, Some(&user), client, now, why).await);
    }
    Ok(user)
}

/// Records a callback refused before anyone was identified: a `state` that names no flow, an
/// error answer from the provider, a failed code exchange or an ID token that did not verify.
/// Anyone can call the callback, so refusals count per address (apart from sign-in
/// failures): a flood is audited 30 times, then once per doubling wait, not every time.
pub async fn record_refusal<S: AuditLog + Throttles + ?Sized>(
    store: &S,
    provider: Provider<'_>,
    client: &Client,
    now: Timestamp,
    why: &str,
) -> Result<(), StoreError> {
    if let Some(address) = client.throttle_address() {
        let keys = [throttle::sso_refusal_key(&address)];
        match throttle::reserve(store, &keys, now).await {
            Err(ThrottleError::Blocked(_)) => return Ok(()),
            Err(ThrottleError::Store(e)) => return Err(e),
            Ok(()) => {
                throttle::fail(store, &keys, now).await?;
            }
        }
    }
    audit(store, now, AuditKind::SsoRefused, None, client, format!("{}: {why}", provider.id)).await
}

/// The person the invitation (by its hash) is for, if it can still be accepted and the
/// provider vouches for the very address it was sent to.
async fn invited<S: Invitations + AuditLog + ?Sized>(
    store: &S,
    provider: Provider<'_>,
    hash: &crate::token::TokenHash,
    email: &Email,
    client: &Client,
    now: Timestamp,
) -> Result<User, SsoError> {
    let Some(pending) = store.pending_invitation(hash, now).await? else {
        return Err(refuse(store, None, client, now, SsoError::InvitationExpired).await);
    };
    if pending.user.email != *email {
        let why = SsoError::OtherAddress { provider: provider.name.into(), email: email.to_string() };
        return Err(refuse(store, Some(&pending.user), client, now, why).await);
    }
    Ok(pending.user)
}

/// Who a provider identity is, and whether an invitation was accepted with it just now.
#[derive(Clone, Debug)]
pub struct Identified {
    pub user: User,
    pub accepted_invitation: bool,
}

/// The Gatehouse user behind a provider identity: the one linked before; or, the first time,
/// the person who joined with that verified email; or, from an invitation's own page
/// (`invitation`, its hash), the person invited, accepting it. Nobody is created out of nothing,
/// and no invitation is accepted without being opened.
pub async fn identify<S>(
    store: &S,
    provider: Provider<'_>,
    claims: &Claims,
    invitation: Option<&crate::token::TokenHash>,
    client: &Client,
    now: Timestamp,
) -> Result<Identified, SsoError>
where
    S: Sso + Directory + Invitations + Authenticators + AuditLog + ?Sized,
{
    if let Some(user) = linked_user(store, claims).await? {
        // Someone made a support agent after their identity was linked signs in with
        // password and code from then on, like every agent.
        if user.role == Role::Agent {
            let why = SsoError::NotAllowed { provider: provider.name.into() };
            return Err(refuse(store, Some(&user), client, now, why).await);
        }
        let user = usable(store, provider, user, client, now).await?;
        return Ok(Identified { user, accepted_invitation: false });
    }
    let email = claims.email.as_deref().and_then(|e| Email::parse(e).ok());
    let (Some(email), true) = (email, claims.email_verified) else {
        return Err(
            refuse(store, None, client, now, SsoError::UnverifiedEmail { provider: provider.name.into() }).await
        );
    };
    let user = match invitation {
        Some(hash) => invited(store, provider, hash, &email, client, now).await?,
        None => match store.user_by_email(&email).await? {
            Some(user) if user.joined => user,
            // Invited, not joined: only the invitation's own page accepts it.
            Some(user) => return Err(refuse(store, Some(&user), client, now, SsoError::InvitationPending).await),
            None => {
                let why = SsoError::UnknownUser { email: email.to_string() };
                return Err(refuse(store, None, client, now, why).await);
            }
        },
    };
    if user.role == Role::Agent || !provider.vouches_for(&email) {
        let why = SsoError::NotAllowed { provider: provider.name.into() };
        return Err(refuse(store, Some(&user), client, now, why).await);
    }
    let user = usable(store, provider, user, client, now).await?;
    let identity = SsoIdentity {
        issuer: claims.issuer.clone(),
        subject: claims.subject.clone(),
        user_id: user.id.clone(),
        provider_id: provider.id.to_owned(),
        email_at_link: email.to_string(),
        linked_at: now,
    };
    match store.link_sso_identity(&identity, invitation, now).await {
        Ok(true) => {}
        Ok(false) => return Err(refuse(store, Some(&user), client, now, SsoError::InvitationExpired).await),
        // A concurrent callback linked it first: whoever it linked is the answer.
        Err(StoreError::Conflict(Conflict::Other)) => {
            let user =
                linked_user(store, claims).await?.ok_or(SsoError::Store(StoreError::Conflict(Conflict::Other)))?;
            return Ok(Identified { user, accepted_invitation: false });
        }
        Err(StoreError::Conflict(Conflict::Email)) => {
            let why = SsoError::JoinedElsewhere { email: email.to_string() };
            return Err(refuse(store, Some(&user), client, now, why).await);
        }
        Err(e) => return Err(e.into()),
    }
    let detail = format!("{} subject {} via {}", claims.issuer, claims.subject, provider.id);
    audit(store, now, AuditKind::SsoLinked, Some(&user), client, detail).await?;
    let accepted_invitation = invitation.is_some();
    if accepted_invitation {
        audit(store, now, AuditKind::InvitationAccepted, Some(&user), client, format!("through {}", provider.name))
            .await?;
    }
    Ok(Identified { user: User { joined: true, ..user }, accepted_invitation })
}
