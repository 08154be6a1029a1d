# The Security page's **Recent security events**, one sentence each (the list itself is in
# events.ftl), and browsers as the Security page names them.

## Browsers: $browser and $system are names ("Firefox", "Linux"), not translated.

activity-browser-on-system = { $browser } on { $system }
activity-unknown-browser = An unknown browser

## Signing in and confirming it was you.
## $how is one of the activity-with-… messages below (or, for an event in a form not known,
## its English detail as recorded); $browser is activity-browser-on-system, or a browser's name.

activity-signed-in = Signed in { $how }
activity-signed-in-from = Signed in { $how } from { $browser }
# The two steps of a sign-in: $first is password, new-password (chosen through a mailed link)
# or sso (through $provider, a single sign-on provider's name); $second is code,
# recovery-code or new-authenticator (an authenticator app set up while signing in).
activity-with-steps = with { $first ->
        [sso] { $provider } (single sign-on)
        [new-password] a new password
       *[password] password
    } and { $second ->
        [recovery-code] recovery code
        [new-authenticator] a new authenticator
       *[code] code
    }
# $name is the passkey's name, as its person gave it.
activity-with-passkey = with the passkey “{ $name }”
activity-with-code = with a code
activity-with-recovery-code = with a recovery code
# Asked again for a second factor before a sensitive change.
activity-confirmed = Confirmed it was you { $how }
activity-sign-in-failed-password = A sign-in failed: wrong password
activity-sign-in-failed-passkey = A sign-in with a passkey failed
activity-sign-in-failed-code = A sign-in failed: wrong authentication code
activity-code-replay-refused = An authentication code that was already used was refused
activity-sign-in-throttled = Sign-in attempts were paused after repeated failures

## Sessions.

activity-signed-out = Logged out
activity-session-ended = Signed out another session
activity-other-sessions-ended = Signed out all other sessions ({ $count ->
        [one] 1 other session
       *[other] { $count } other sessions
    })
# The same, where the number was not recorded.
activity-other-sessions-ended-plain = Signed out all other sessions

## Password, authenticator app, passkeys, recovery codes.

activity-password-set = Password set
activity-invitation-accepted = Invitation accepted
activity-authenticator-set-up = Authenticator app set up
activity-password-reset-requested = A link to choose a new password was mailed
activity-password-reset = Password reset with a mailed link (your sessions were signed out)
activity-password-changed = Password changed (your other sessions were signed out)
activity-authenticator-replaced = Authenticator app replaced (codes from the old one no longer work)
activity-two-factor-reset = Two-factor authentication reset by support
activity-passkey-added = Passkey “{ $name }” added
activity-passkey-renamed = A passkey was renamed to “{ $name }”
activity-passkey-removed = Passkey “{ $name }” removed
activity-passkey-refused = A passkey was refused
activity-recovery-codes-issued = New recovery codes were made (the old ones no longer work)
# $left: how many recovery codes the person has left.
activity-recovery-code-used = A recovery code was used ({ $left ->
        [0] none left
       *[other] { $left } left
    })
# The same, where the number was not recorded.
activity-recovery-code-used-plain = A recovery code was used
activity-sso-linked = Single sign-on linked to your account

## The person's role in their account. $from and $to: owner, co-owner, user or agent.

activity-role-changed = Your role was changed from { $from ->
        [owner] account owner
        [co-owner] co-owner
        [agent] support agent
       *[user] user
    } to { $to ->
        [owner] account owner
        [co-owner] co-owner
        [agent] support agent
       *[user] user
    }
# The same, where the roles were not recorded in a known form.
activity-role-changed-plain = Your role was changed
# $email: the new owner's.
activity-handed-over = You handed the account over to { $email } (you are a co-owner now)
# $email: the previous owner's.
activity-became-owner = You became the account owner (handed over from { $email })
