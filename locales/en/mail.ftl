# Mails. { $product } is the configured product name, { $to } the recipient's address.

mail-hello = Hello,

## Security notices: what happened, then what to do if it was not the person.

mail-notice-was-you = If this was you, there is nothing to do.
mail-notice-was-not-you = If this wasn't you, sign in and review your Security page: change your password, sign out the sessions you do not recognise, and remove passkeys you did not add:
mail-notice-security-page = Your Security page
mail-notice-cannot-sign-in = If you cannot sign in any more, choose "Can't log in?" on the login page, or go to:
mail-notice-cant-log-in = Can't log in?

mail-passkey-added-subject = A passkey was added to your { $product } sign-in
mail-passkey-added = The passkey “{ $name }” was added to your { $product } sign-in ({ $to }).
mail-passkey-removed-subject = A passkey was removed from your { $product } sign-in
mail-passkey-removed = The passkey “{ $name }” was removed from your { $product } sign-in ({ $to }).
mail-recovery-used-subject = A recovery code was used for your { $product } sign-in
mail-recovery-used = A recovery code was just used for your { $product } sign-in ({ $to }). { $left ->
        [0] You have no recovery codes left: generate new ones on your Security page.
        [one] You have 1 recovery code left.
       *[other] You have { $left } recovery codes left.
    }
mail-recovery-regenerated-subject = New recovery codes for your { $product } sign-in
mail-recovery-regenerated = New recovery codes were made for your { $product } sign-in ({ $to }). Your previous recovery codes no longer work.
mail-new-browser-subject = New sign-in to your { $product } account
mail-new-browser = Someone signed in to your { $product } sign-in ({ $to }) in a new browser or device.
mail-new-browser-from = Someone signed in to your { $product } sign-in ({ $to }) in a new browser or device from { $from }.
mail-browser-at-address = { $browser } at { $address }
mail-authenticator-set-up-subject = Two-factor authentication is set up for your { $product } sign-in
mail-authenticator-set-up = An authenticator app was set up for your { $product } sign-in ({ $to }). Its codes are now your second step.
mail-authenticator-replaced-subject = Your { $product } authenticator app was replaced
mail-authenticator-replaced = The authenticator app for your { $product } sign-in ({ $to }) was replaced with a new one. Codes from the previous app no longer work.
mail-password-changed-subject = Your { $product } password was changed
mail-password-changed = The password of your { $product } sign-in ({ $to }) was changed, and every other session was signed out.
mail-role-changed-subject = Your role in “{ $account }” changed
mail-role-changed = The account owner made you { $role ->
        [co-owner] a co-owner: you can now invite users and ask support to reset their 2FA
       *[user] a user
    } in “{ $account }” on { $product } ({ $to }).
mail-ownership-subject = “{ $account }” has a new account owner
mail-ownership-received = { $other } handed “{ $account }” on { $product } over to you: you are its account owner now ({ $to }).
mail-ownership-handed = You handed “{ $account }” on { $product } over to { $other }: you are a co-owner now ({ $to }).

## Mails whose point is one link: the invitation, a new password, the setup link.

mail-link-fallback = If the button does not work, copy this address into your browser:
mail-invitation-subject = Your invitation to { $product }
mail-invitation = You have been invited to { $product } { $role ->
        [owner] as the account owner of “{ $account }”
        [co-owner] as a co-owner of “{ $account }”
        [user] as a user of “{ $account }”
       *[agent] as a support agent
    }.
mail-invitation-open = Open this link to choose your password and set up two-factor authentication:
mail-invitation-button = Accept the invitation
mail-invitation-expiry = The link works once and expires in 7 days. If you did not expect this invitation, ignore this mail.
mail-password-reset-subject = Choose a new password for { $product }
mail-password-reset = Someone, hopefully you, asked to choose a new password for your { $product } sign-in ({ $to }).
mail-password-reset-open = Open this link to choose it:
mail-password-reset-button = Choose a new password
mail-password-reset-expiry = The link works once and expires in 1 hour. After the new password you still enter the code from your authenticator app.
mail-password-reset-not-you = If you did not ask for this, ignore this mail: your password stays as it is.
mail-setup-link-subject = Set up two-factor authentication for { $product }
mail-setup-link = Someone, hopefully you, logged in to { $product } as { $to } with the right password. Your account has no authenticator app set up, and setting one up takes your password and this link together:
mail-setup-link-button = Set up two-factor authentication
mail-setup-link-next = Open it, log in again and scan the QR code with your authenticator app. The link works once, for 7 days.
mail-setup-link-not-you = If this was not you, someone knows your password: tell your account owner at once, and do not open the link.
