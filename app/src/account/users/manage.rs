//! The Users page's changes, as server functions: **Invite user**, **Resend invitation** and
//! **Revoke invitation**, **Make co-owner** / **Make user** and **Transfer ownership** (the
//! owner only), **Remove user**. Each answers with what happened and the list as it is now.

#[cfg(feature = "ssr")]
use gatehouse_l10n::FluentValue;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::MemberView;
use crate::error::AppResult;
#[cfg(feature = "ssr")]
use crate::i18n::t_with;

/// What a change did, and the users after it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Done {
    pub notice: String,
    pub members: Vec<MemberView>,
}

#[cfg(feature = "ssr")]
mod serve {
    use gatehouse_core::members::MemberError;
    use gatehouse_core::model::User;
    use gatehouse_core::Role;

    use super::Done;
    use crate::error::{AppError, AppResult};

    /// The owner or a co-owner: the Users page's only visitors.
    pub async fn manager() -> AppResult<User> {
        crate::auth::signed_in_as(&[Role::Owner, Role::CoOwner]).await
    }

    pub fn member_error(e: MemberError) -> AppError {
        match e {
            MemberError::Store(e) => crate::ssr::internal(e),
            rule => crate::ssr::with_status(AppError::Invalid(rule.to_string())),
        }
    }

    pub fn role(code: &str) -> Result<Role, AppError> {
        match code {
            "user" => Ok(Role::User),
            "co-owner" => Ok(Role::CoOwner),
            _ => Err(member_error(MemberError::BadRole)),
        }
    }

    /// The name of the person's account, as mails say it.
    pub async fn account_name(user: &User) -> AppResult<String> {
        use gatehouse_core::store::Directory;
        let Some(id) = &user.account_id else { return Ok(String::new()) };
        let state = crate::ssr::state()?;
        let account = state.db.account_by_id(id).await.map_err(crate::ssr::internal)?;
        Ok(account.map(|a| a.name).unwrap_or_default())
    }

    pub async fn done(viewer: &User, notice: String) -> AppResult<Done> {
        crate::account::keep_notice_for_plain_form(super::super::PAGE, &notice).await?;
        Ok(Done { notice, members: super::super::members_for(viewer).await? })
    }

    /// Mails an invitation (queued: a failure to queue is logged, the invitation stands and
    /// can be sent again).
    pub async fn mail_invitation(issued: &gatehouse_core::admin::IssuedInvitation) {
        let Ok(state) = crate::ssr::state() else { return };
        let link = issued.link(&state.settings.public_url);
        let language = crate::ssr::recipient_language(&state, &issued.user).await;
        let mail = gatehouse_core::mail::invitation_mail(&language, &state.settings.product_name, issued, &link);
        if let Err(e) = state.mailer.send(mail).await {
            tracing::warn!(error = %e, "invitation not sent");
        }
    }
}

#[server(endpoint = "invite_user")]
pub async fn invite_user(email: String, role: String) -> AppResult<Done> {
    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let role = serve::role(&role)?;
    let (db, who, now) = (state.db.clone(), me.clone(), gatehouse_core::Timestamp::now());
    // Settled (counted or given back) even if the browser stops waiting: see `to_completion`.
    let issued =
        crate::ssr::to_completion(async move { gatehouse_core::members::invite(&db, &who, &email, role, now).await })
            .await?
            .map_err(serve::member_error)?;
    serve::mail_invitation(&issued).await;
    let to = &issued.user.email;
    serve::done(&me, t_with("users-invited", [("email", FluentValue::from(to.to_string()))])).await
}

#[server(endpoint = "resend_invitation")]
pub async fn resend_invitation(email: String) -> AppResult<Done> {
    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let (db, who, now) = (state.db.clone(), me.clone(), gatehouse_core::Timestamp::now());
    let issued =
        crate::ssr::to_completion(async move { gatehouse_core::members::resend(&db, &who, &email, now).await })
            .await?
            .map_err(serve::member_error)?;
    serve::mail_invitation(&issued).await;
    let to = &issued.user.email;
    serve::done(&me, t_with("users-invitation-resent", [("email", FluentValue::from(to.to_string()))])).await
}

#[server(endpoint = "revoke_invitation")]
pub async fn revoke_invitation(email: String) -> AppResult<Done> {
    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let gone = gatehouse_core::members::revoke(&state.db, &me, &email, gatehouse_core::Timestamp::now())
        .await
        .map_err(serve::member_error)?;
    serve::done(&me, t_with("users-invitation-revoked", [("email", FluentValue::from(gone.email.to_string()))])).await
}

#[server(endpoint = "change_role")]
pub async fn change_role(email: String, role: String) -> AppResult<Done> {
    use gatehouse_core::mail::role_changed;

    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let role = serve::role(&role)?;
    let changed = gatehouse_core::members::change_role(&state.db, &me, &email, role, gatehouse_core::Timestamp::now())
        .await
        .map_err(serve::member_error)?;
    let Some((user, _)) = changed else {
        let said = [("email", FluentValue::from(email)), ("role", FluentValue::from(role.as_str()))];
        return serve::done(&me, t_with("users-role-unchanged", said)).await;
    };
    let account = serve::account_name(&me).await?;
    crate::ssr::notify(&user, |(t, product, links)| role_changed(t, product, &user.email, &account, role, links)).await;
    let said = [("email", FluentValue::from(user.email.to_string())), ("role", FluentValue::from(role.as_str()))];
    serve::done(&me, t_with("users-role-changed", said)).await
}

/// Hands the account to another of its people, after the owner's current code.
#[server(endpoint = "transfer_ownership")]
pub async fn transfer_ownership(email: String, code: String) -> AppResult<Done> {
    use gatehouse_core::mail::ownership_transferred;
    use gatehouse_core::{members, Role, Timestamp};

    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let to = members::ownership_candidate(&state.db, &me, &email).await.map_err(serve::member_error)?;
    crate::auth::step_up_with_code(&me, code).await?;
    let account = serve::account_name(&me).await?;
    let old = me.clone();
    // The handover and both mails go together, even if the browser stops waiting.
    let new_owner = crate::ssr::to_completion(async move {
        let new_owner = members::transfer_ownership(&state.db, &old, to, Timestamp::now()).await?;
        let (from, to) = (&old.email, &new_owner.email);
        crate::ssr::notify_from(&state, &new_owner, |(t, p, links)| {
            ownership_transferred(t, p, to, true, from, &account, links)
        })
        .await;
        crate::ssr::notify_from(&state, &old, |(t, p, links)| {
            ownership_transferred(t, p, from, false, to, &account, links)
        })
        .await;
        Ok::<_, members::MemberError>(new_owner)
    })
    .await?
    // Mapped here, in the request: the answer's status is set through its context.
    .map_err(serve::member_error)?;
    let me = gatehouse_core::model::User { role: Role::CoOwner, ..me };
    let said = [("email", FluentValue::from(new_owner.email.to_string()))];
    serve::done(&me, t_with("users-ownership-transferred", said)).await
}

#[server(endpoint = "remove_user")]
pub async fn remove_user(email: String) -> AppResult<Done> {
    let me = serve::manager().await?;
    let state = crate::ssr::state()?;
    let gone = gatehouse_core::members::remove(&state.db, &me, &email, gatehouse_core::Timestamp::now())
        .await
        .map_err(serve::member_error)?;
    serve::done(&me, t_with("users-removed", [("email", FluentValue::from(gone.email.to_string()))])).await
}
