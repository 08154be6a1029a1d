# /Account/Users, for the account owner and co-owners: the account's users, **Invite user**,
# invitations, roles, **Transfer ownership**, **Remove user** and **Request 2FA reset**.
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are.

users-title = Users
users-back = Back to the start page
users-lead = When someone has lost their authenticator app, ask support to reset their 2FA. They keep their password and passkeys, and set up the app again with their password and a link support mails them.
users-column-email = Email
users-column-role = Role
users-column-2fa = 2FA
users-column-last-sign-in = Last sign-in
users-column-actions = Actions
users-never = Never
users-you = You
users-request-reset = Request 2FA reset
# How a role reads in the list; $role: owner, co-owner, user or agent.
users-role = { $role ->
        [owner] account owner
        [co-owner] co-owner
        [agent] support agent
       *[user] user
    }

## The 2FA column: the authenticator app's state, then the passkeys if any

users-2fa-invited = Invitation pending
users-2fa-app = Authenticator app
users-2fa-none = Not set up
# $state: one of the three above.
users-2fa-with-passkeys = { $state }, { $count ->
        [one] 1 passkey
       *[other] { $count } passkeys
    }

## Each row's buttons

users-resend-invitation = Resend invitation
users-revoke-invitation = Revoke invitation
users-make-user = Make user
users-make-co-owner = Make co-owner
users-remove = Remove
users-remove-question = Remove { $email }? They are signed out at once and can no longer sign in.
users-remove-user = Remove user

## Invite user

users-invite-title = Invite user
users-invite-lead = They get a mail with a link to choose a password and set up their authenticator app. The link works for 7 days.
users-invite-email = Email address
users-invite-role = Role
users-invite-role-user = User
users-invite-role-co-owner = Co-owner
users-invite-hint-owner = Co-owners can also invite users and ask support to reset their 2FA.
users-invite-hint-co-owner = Only the account owner can invite co-owners.
users-invite-submit = Invite user

## Transfer ownership

users-transfer-title = Transfer ownership
users-transfer-lead = The new owner can do everything you can, including changing co-owners. You become a co-owner. You both get a mail.
users-transfer-no-candidates = Ownership can go to someone who has accepted their invitation.
users-transfer-to = New owner
users-transfer-submit = Transfer ownership

## What a change did

users-invited = Invitation sent to { $email }. The link works once, for 7 days.
users-invitation-resent = A new invitation was sent to { $email }; the earlier link no longer works.
users-invitation-revoked = The invitation of { $email } was revoked.
# $role: co-owner or user.
users-role-unchanged = { $email } is a { $role ->
        [co-owner] co-owner
       *[user] user
    } already.
users-role-changed = { $email } is a { $role ->
        [co-owner] co-owner
       *[user] user
    } now.
users-ownership-transferred = { $email } is the account owner now; you are a co-owner.
users-removed = { $email } was removed and signed out everywhere.
