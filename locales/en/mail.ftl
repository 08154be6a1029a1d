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
