//! The Users page's controls: each row's buttons, **Invite user** and **Transfer ownership**.
//! All are plain forms (they post before the page hydrates); after hydration each answer
//! replaces the list and says what happened.

use gatehouse_l10n::FluentValue;
use leptos::html;
use leptos::prelude::*;

use super::manage::{ChangeRole, Done, InviteUser, RemoveUser, ResendInvitation, RevokeInvitation, TransferOwnership};
use super::MemberView;
use crate::components::CodeField;
use crate::error::AppError;
use crate::i18n::{t, t_with};

/// The page's state: the list, the last message, and one action per kind of change.
#[derive(Clone, Copy)]
pub struct Admin {
    pub members: RwSignal<Vec<MemberView>>,
    pub notice: RwSignal<Option<String>>,
    pub error: RwSignal<Option<String>>,
    invite: ServerAction<InviteUser>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    role: ServerAction<ChangeRole>,
    transfer: ServerAction<TransferOwnership>,
    remove: ServerAction<RemoveUser>,
}

impl Admin {
    pub fn new(members: Vec<MemberView>, notice: Option<String>) -> Self {
        let admin = Admin {
            members: RwSignal::new(members),
            notice: RwSignal::new(notice),
            error: RwSignal::new(None),
            invite: ServerAction::new(),
            resend: ServerAction::new(),
            revoke: ServerAction::new(),
            role: ServerAction::new(),
            transfer: ServerAction::new(),
            remove: ServerAction::new(),
        };
        admin.follow(admin.invite.value());
        admin.follow(admin.resend.value());
        admin.follow(admin.revoke.value());
        admin.follow(admin.role.value());
        admin.follow(admin.transfer.value());
        admin.follow(admin.remove.value());
        admin
    }

    /// Shows an action's answer: the list after it and what happened, or what went wrong.
    /// A refusal of a plain form's post comes back in the page's address, so it is shown at
    /// once, in the server's page too (effects run only in the browser).
    fn follow(self, value: MappedSignal<Option<Result<Done, AppError>>>) {
        self.show(value.get_untracked());
        Effect::new(move |_| self.show(value.get()));
    }

    fn show(self, answer: Option<Result<Done, AppError>>) {
        match answer {
            Some(Ok(done)) => {
                self.members.set(done.members);
                self.notice.set(Some(done.notice));
                self.error.set(None);
            }
            Some(Err(e)) => {
                self.error.set(Some(e.to_string()));
                self.notice.set(None);
            }
            None => {}
        }
    }
}

/// A row's buttons, for the people the viewer may manage.
pub fn row_actions(admin: Admin, member: &MemberView, owner: Signal<bool>, who: &str) -> AnyView {
    if !member.manageable {
        return ().into_any();
    }
    let email = member.email.clone();
    let who = who.to_owned();
    if member.invited {
        let (e1, e2, w1, w2) = (email.clone(), email, who.clone(), who);
        return view! {
            <ActionForm action=admin.resend attr:class="inline-action">
                <input type="hidden" name="email" value=e1/>
                <button type="submit" class="toggle" aria-describedby=w1>{t("users-resend-invitation")}</button>
            </ActionForm>
            <ActionForm action=admin.revoke attr:class="inline-action">
                <input type="hidden" name="email" value=e2/>
                <button type="submit" class="toggle" aria-describedby=w2>{t("users-revoke-invitation")}</button>
            </ActionForm>
        }
        .into_any();
    }
    let (label, to) =
        if member.role_code == "co-owner" { ("users-make-user", "user") } else { ("users-make-co-owner", "co-owner") };
    let (e1, e2, w1, w2, w3) = (email.clone(), email.clone(), who.clone(), who.clone(), who);
    view! {
        {move || {
            let (email, who) = (e1.clone(), w1.clone());
            owner.get().then(move || view! {
                <ActionForm action=admin.role attr:class="inline-action">
                    <input type="hidden" name="email" value=email/>
                    <input type="hidden" name="role" value=to/>
                    <button type="submit" class="toggle" aria-describedby=who>{t(label)}</button>
                </ActionForm>
            })
        }}
        <details class="confirm">
            <summary class="button small" aria-describedby=w2>{t("users-remove")}</summary>
            <p>{t_with("users-remove-question", [("email", FluentValue::from(email.as_str()))])}</p>
            <ActionForm action=admin.remove>
                <input type="hidden" name="email" value=e2/>
                <button type="submit" class="danger" aria-describedby=w3>{t("users-remove-user")}</button>
            </ActionForm>
        </details>
    }
    .into_any()
}

/// **Invite user**: an email address and a role (co-owners invite users only).
pub fn invite_section(admin: Admin, owner: Signal<bool>) -> AnyView {
    let form = NodeRef::<html::Form>::new();
    // Emptied after an invitation went out, kept as typed after a refusal.
    Effect::new(move |_| {
        if matches!(admin.invite.value().get(), Some(Ok(_))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <h2 id="invite-title">{t("users-invite-title")}</h2>
        <p>{t("users-invite-lead")}</p>
        <ActionForm action=admin.invite node_ref=form attr:aria-labelledby="invite-title">
            <div class="field">
                <label for="invite-email">{t("users-invite-email")}</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" required/>
            </div>
            <div class="field">
                <label for="invite-role">{t("users-invite-role")}</label>
                <select id="invite-role" name="role" aria-describedby="invite-role-hint">
                    <option value="user">{t("users-invite-role-user")}</option>
                    {move || owner.get().then(|| view! { <option value="co-owner">{t("users-invite-role-co-owner")}</option> })}
                </select>
                <p id="invite-role-hint" class="hint">
                    {move || if owner.get() {
                        t("users-invite-hint-owner")
                    } else {
                        t("users-invite-hint-co-owner")
                    }}
                </p>
            </div>
            <button type="submit" class="primary" disabled=move || admin.invite.pending().get()>{t("users-invite-submit")}</button>
        </ActionForm>
    }
    .into_any()
}

/// **Transfer ownership**, for the owner: to someone who has accepted their invitation,
/// with the owner's current code.
pub fn transfer_section(admin: Admin, owner: Signal<bool>) -> AnyView {
    let candidates = move || {
        admin.members.read().iter().filter(|m| !m.you && !m.invited).map(|m| m.email.clone()).collect::<Vec<_>>()
    };
    view! {
        <Show when=move || owner.get()>
            <h2 id="transfer-title">{t("users-transfer-title")}</h2>
            <p>{t("users-transfer-lead")}</p>
            <Show when=move || !candidates().is_empty()
                fallback=|| view! { <p class="aside">{t("users-transfer-no-candidates")}</p> }>
                <ActionForm action=admin.transfer attr:aria-labelledby="transfer-title">
                    <div class="field">
                        <label for="transfer-to">{t("users-transfer-to")}</label>
                        <select id="transfer-to" name="email">
                            {move || candidates().into_iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <CodeField id="transfer-code"/>
                    <button type="submit" class="primary" disabled=move || admin.transfer.pending().get()>
                        {t("users-transfer-submit")}
                    </button>
                </ActionForm>
            </Show>
        </Show>
    }
    .into_any()
}
