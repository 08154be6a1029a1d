//! The Users page's controls: each row's buttons, **Invite user** and **Transfer ownership**.
//! All are plain forms (they post before the page hydrates); after hydration each answer
//! replaces the list and says what happened.

use leptos::html;
use leptos::prelude::*;

use super::manage::{ChangeRole, Done, InviteUser, RemoveUser, ResendInvitation, RevokeInvitation, TransferOwnership};
use super::MemberView;
use crate::components::CodeField;
use crate::error::AppError;

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
                <button type="submit" class="toggle" aria-describedby=w1>"Resend invitation"</button>
            </ActionForm>
            <ActionForm action=admin.revoke attr:class="inline-action">
                <input type="hidden" name="email" value=e2/>
                <button type="submit" class="toggle" aria-describedby=w2>"Revoke invitation"</button>
            </ActionForm>
        }
        .into_any();
    }
    let (label, to) =
        if member.role_code == "co-owner" { ("Make user", "user") } else { ("Make co-owner", "co-owner") };
    let (e1, e2, w1, w2, w3) = (email.clone(), email.clone(), who.clone(), who.clone(), who);
    view! {
        {move || {
            let (email, who) = (e1.clone(), w1.clone());
            owner.get().then(move || view! {
                <ActionForm action=admin.role attr:class="inline-action">
                    <input type="hidden" name="email" value=email/>
                    <input type="hidden" name="role" value=to/>
                    <button type="submit" class="toggle" aria-describedby=who>{label}</button>
                </ActionForm>
            })
        }}
        <details class="confirm">
            <summary class="button small" aria-describedby=w2>"Remove"</summary>
            <p>{format!("Remove {email}? They are signed out at once and can no longer sign in.")}</p>
            <ActionForm action=admin.remove>
                <input type="hidden" name="email" value=e2/>
                <button type="submit" class="danger" aria-describedby=w3>"Remove user"</button>
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
        <h2 id="invite-title">"Invite user"</h2>
        <p>"They get a mail with a link to choose a password and set up their authenticator app. The link works for 7 days."</p>
        <ActionForm action=admin.invite node_ref=form attr:aria-labelledby="invite-title">
            <div class="field">
                <label for="invite-email">"Email address"</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" required/>
            </div>
            <div class="field">
                <label for="invite-role">"Role"</label>
                <select id="invite-role" name="role" aria-describedby="invite-role-hint">
                    <option value="user">"User"</option>
                    {move || owner.get().then(|| view! { <option value="co-owner">"Co-owner"</option> })}
                </select>
                <p id="invite-role-hint" class="hint">
                    {move || if owner.get() {
                        "Co-owners can also invite users and ask support to reset their 2FA."
                    } else {
                        "Only the account owner can invite co-owners."
                    }}
                </p>
            </div>
            <button type="submit" class="primary" disabled=move || admin.invite.pending().get()>"Invite user"</button>
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
            <h2 id="transfer-title">"Transfer ownership"</h2>
            <p>"The new owner can do everything you can, including changing co-owners. You become a co-owner. You both get a mail."</p>
            <Show when=move || !candidates().is_empty()
                fallback=|| view! { <p class="aside">"Ownership can go to someone who has accepted their invitation."</p> }>
                <ActionForm action=admin.transfer attr:aria-labelledby="transfer-title">
                    <div class="field">
                        <label for="transfer-to">"New owner"</label>
                        <select id="transfer-to" name="email">
                            {move || candidates().into_iter().map(|e| view! { <option value=e.clone()>{e.clone()}</option> }).collect_view()}
                        </select>
                    </div>
                    <CodeField id="transfer-code"/>
                    <button type="submit" class="primary" disabled=move || admin.transfer.pending().get()>
                        "Transfer ownership"
                    </button>
                </ActionForm>
            </Show>
        </Show>
    }
    .into_any()
}
