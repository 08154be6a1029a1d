# Errors people see: what went wrong and what to do. `{ wait }` says how long to wait.

wait = { $minutes ->
        [0] { $seconds ->
            [one] 1 second
           *[other] { $seconds } seconds
        }
        [one] 1 minute
       *[other] { $minutes } minutes
    }
## Any page.

error-not-signed-in = Please sign in first.
error-forbidden = You do not have access to this.
error-step-up-required = For your security, confirm it is you: enter the current code from your authenticator app.
error-internal = Something went wrong on our side. Please try again in a moment.
error-transport = The request could not be completed. Check your connection and try again.

error-blocked = Too many failed attempts. Try again in { wait }.

## Signing in: password, code, recovery code, setup.

error-sign-in-bad-credentials = The user name or password is incorrect.
error-sign-in-user-name-too-long = Your user name is your email address, which has at most 254 characters.
error-sign-in-wrong-code = That code is not correct. Enter the current code from your authenticator app.
error-sign-in-malformed-code = Enter the 6-digit code from your authenticator app.
error-sign-in-malformed-recovery-code = Enter one of your recovery codes as it is written: 10 letters and digits, like abcde-12345.
error-sign-in-wrong-recovery-code = That recovery code is not right, or it was already used. Each code works once.
error-sign-in-replayed = That code was already used. Wait for the next code in your authenticator app.
error-sign-in-enrolment-expired = Your setup session expired. Scan the new QR code and try again.
error-sign-in-wrong-current-password = Your current password is not correct.
error-sign-in-same-password = The new password is the one you have now. Choose a different one.
error-sign-in-replacement-expired = This replacement has expired. Start again from the Security page.
error-sign-in-no-authenticator = You have no authenticator app set up. Sign out and sign in with your password to set one up, or use a passkey.
error-sign-in-expired = Your sign-in has expired. Enter your user name and password again.
error-sign-in-set-up-first = Set up your authenticator app first: scan the QR code, then enter the code it shows.
error-sign-in-has-authenticator = Your account already has an authenticator app. Log in with the code it shows.
error-sign-in-set-up-after-password = Set up your authenticator app by logging in with your user name and password first.
error-sign-in-setup-needs-mailbox = Your account has no authenticator app. Setting one up takes your password and a link we mail you: we have sent it to your email address. Open the link, then log in again.
error-sign-in-setup-link-invalid = This setup link does not work any more: it was used already, it expired (links work for 7 days), or a newer one was sent. We have mailed you a new one: open it, then log in again.
error-sign-in-clock-off = That code is not valid now. Your device's clock seems to be off by about { $minutes ->
        [one] 1 minute
       *[other] { $minutes } minutes
    }: set it to update automatically, then try a new code.

## Invitations.

error-invitation-unknown = This invitation link is not valid. Check that you copied the whole link from the mail.
error-invitation-used = This invitation was already accepted. Sign in with your user name and password instead.
error-invitation-expired = This invitation has expired. Ask whoever invited you to send a new one.
error-invitation-joined-elsewhere = { $email } already has a user in another account here: log in with it, or ask whoever invited you to invite another address.

## Single sign-on through a provider.

error-sso-flow-gone = This sign-in has expired or was already completed. Start again with the sign-in button.
error-sso-invitation-expired = Your invitation has expired. Ask whoever invited you to send a new one.
error-sso-invitation-pending = You have been invited but have not accepted yet: open the invitation mail and accept it there.
error-sso-unverified-email = { $provider } did not share a verified email address, so it cannot be matched to an account here. Verify your email address with { $provider }, or sign in with your user name and password.
error-sso-unknown-user = There is no account for { $email } here. Ask your account owner to invite you first.
error-sso-other-address = { $provider } signed you in as { $email }, but the invitation was sent to another address.
error-sso-joined-elsewhere = { $email } already has a user in another account here.
error-sso-not-allowed = { $provider } cannot be used to sign in to this account here. Log in with your user name and password.
error-sso-set-up-first = Set up your authenticator app by logging in with your user name and password first; then { $provider } works too.

## The account's users (the Users page).

error-members-not-found = No one with that email address is in your account.
error-members-owner-only = Only the account owner can do that.
error-members-not-yours = Co-owners manage users; only the account owner can change co-owners or the owner.
error-members-yourself = You cannot do that to yourself.
error-members-bad-role = A role is user or co-owner; there is one account owner.
error-members-invalid-email = Enter an email address like name@example.com.
error-members-role-changed = Your role in this account changed meanwhile. Reload the page to see what you can do now.
error-members-not-pending = { $email } has accepted their invitation already.
error-members-still-invited = { $email } has not accepted their invitation yet: ownership can only go to someone who can sign in.
error-members-email-taken = { $email } already has a user, in this account or another.
error-members-blocked = You have sent many invitations in a short time. Try again in { wait }.

## Passkeys.

error-passkey-ceremony-gone = This passkey request has expired or was already used. Please try again.
error-passkey-unknown-credential = This passkey is not registered here. Sign in with your password and code, or choose another passkey.
error-passkey-not-verified = Your device did not confirm that it is you (PIN, fingerprint or face). Try again and confirm on your device.
error-passkey-not-yours = That passkey is not one of yours. Use one of your own passkeys, or enter the code from your authenticator app.
error-passkey-wrong-origin = This passkey answer was made for a different web address. Open this site at its usual address and try again.
error-passkey-cloned = This passkey was refused because it looks copied (its use counter went backwards). Sign in another way and remove it on your Security page.
error-passkey-already-registered = This passkey is already registered.
error-passkey-not-found = That passkey no longer exists.
error-passkey-malformed = Your browser's answer could not be read. Please try again.
error-passkey-rejected = The passkey could not be verified. Please try again.
error-passkey-bad-name = Give the passkey a name of 1 to { $max } characters.

## New passwords.

error-password-mismatch = The passwords do not match.
error-password-too-short = Use at least { $min } characters; you have { $count }. A few unrelated words make a good password.
error-password-too-long = Use at most { $max } characters.
error-password-guessable = This password is too common or easy to guess: { $advice }
password-weak-straight-rows-of-keys-are-easy-to-guess = Straight rows of keys are easy to guess.
password-weak-short-keyboard-patterns-are-easy-to-guess = Short keyboard patterns are easy to guess.
password-weak-repeats-like-aaa-are-easy-to-guess = Repeats like "aaa" are easy to guess.
password-weak-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Repeats like "abcabcabc" are only slightly harder to guess than "abc".
password-weak-this-is-a-top-10-password = This is a top-10 common password.
password-weak-this-is-a-top-100-password = This is a top-100 common password.
password-weak-this-is-a-common-password = This is a very common password.
password-weak-this-is-similar-to-a-commonly-used-password = This is similar to a commonly used password.
password-weak-sequences-like-abc-are-easy-to-guess = Sequences like abc or 6543 are easy to guess.
password-weak-recent-years-are-easy-to-guess = Recent years are easy to guess.
password-weak-a-word-by-itself-is-easy-to-guess = A word by itself is easy to guess.
password-weak-dates-are-often-easy-to-guess = Dates are often easy to guess.
password-weak-names-and-surnames-by-themselves-are-easy-to-guess = Names and surnames by themselves are easy to guess.
password-weak-common-names-and-surnames-are-easy-to-guess = Common names and surnames are easy to guess.
password-weak-pattern = it follows a pattern that password-guessing tools try early.

## Support requests.

error-support-blocked = Too many requests were sent from here. Try again in { wait }.
error-support-confirm-blocked = You have confirmed many requests in a short time. Try again in { wait }.

error-support-choose-area = Choose the area: Account, Billing or Subscription.
error-support-requester-email = Enter your email address, for example name@company.com.
error-support-account-name = Enter the name of your account.
error-support-subject = Enter a subject.
error-support-description = Describe what you ask for.
# $field: one of the three messages above.
error-support-field-too-long = { $field } (at most { $max } characters)
error-support-target-email = Enter the email address of the person whose 2FA should be reset.
error-support-own-reset-own-address = For your own reset as account owner, the person to reset is you: give your own email address in both fields.
error-support-ask-an-owner = Only your account owner or a co-owner can ask support to reset 2FA. Ask one of them to do it for you.
error-support-not-in-your-account = No one with that email address is in your account.
error-support-own-reset-tick = For your own reset, tick “I am the account owner and the reset is for me” and add the three documents.
error-support-owner-asks-for-you = Only your account owner can ask for your reset. Ask them to do it for you.
error-support-own-reset-owner-only = Only the account owner asks for their own reset this way.
error-support-co-owners-ask-for-users = Co-owners can ask for the reset of users only; only the account owner can ask for a co-owner's.
error-support-confirm-link-invalid = This link does not work any more: the request was confirmed already, or the link expired (it works for 24 hours, then the request is deleted). If you still need help, send the request again.

## The documents of a support request. $problem: one of the error-support-file-* messages.

error-support-file-refused = “{ $name }” was not accepted: { $problem }.
error-support-file-empty = the file is empty
error-support-file-bad-name = its name contains characters a file name cannot have
error-support-file-too-large = it is larger than 10 MB
error-support-file-not-allowed = only PDF, JPEG and PNG files can be sent
# $named, $actual: PDF, JPEG or PNG.
error-support-file-name-mismatch = its name says { $named } but it is a { $actual } file: rename it or choose the right file
error-support-file-too-many-pixels = the image is too large ({ $width } × { $height } pixels; at most { $max } on a side): scan it at a lower resolution
error-support-file-broken-image = the image is damaged and cannot be opened
error-support-file-broken-pdf = the PDF is damaged or incomplete and cannot be opened
error-support-too-many-files = Send at most { $max ->
        [one] 1 file
       *[other] { $max } files
    } with one request.
error-support-files-too-large = The files add up to more than 25 MB: send the largest ones at a lower resolution.
# $documents: the missing document-kind-* labels, joined by ", ".
error-support-owner-documents-missing = An account owner's own reset needs the { $documents }: add { $count ->
        [one] it
       *[other] them
    }.
error-support-no-such-document = There is no such document.
error-support-document-purged = This document was deleted when the request's retention period ended.

# The drop zones' documents.
document-kind-legal-id = Legal ID
document-kind-business-registration = Proof of business registration
document-kind-letterhead = Letter on company letterhead
document-kind-attachments = Attachments

## A support agent's decision.

error-support-not-agent = Only support agents decide support requests.
error-support-no-such-request = There is no such request.
error-support-no-reason = Give the reason for the rejection (at most { $max } characters): it is mailed to the requester.
# $state: approved or rejected.
error-support-already-closed = This request was already { $state ->
        [approved] approved
        [rejected] rejected
       *[other] { $state }
    }.
error-support-approval-not-verified = The requester was never verified: the request was filed before requesters confirmed their address, so the email on it proves nothing. Ask them to file it again.
error-support-approval-not-owner = The requester is not the owner or a co-owner of the account named on the request.
error-support-approval-unknown-target = There is no such user in the account named on the request.
error-support-approval-may-not-manage = A co-owner may ask for the reset of users only; a co-owner's reset needs the account owner, and the owner's reset needs the owner's own request with the documents.
error-support-approval-nothing-to-reset = The person to reset has no authenticator to reset.
error-support-approval-missing-documents = The account owner's own reset needs the { $documents }.

## The support form's upload (a plain route) and the documents.

error-upload-busy = Many requests are being sent right now. Please send yours again in a minute: nothing was lost.
error-upload-slow = The files came too slowly and were stopped. Please send the request again, on a faster connection if you can: nothing was lost.
error-upload-incomplete = The form could not be read completely. Please send it again.
error-upload-fields-first = The form's fields must come before its files. Please send it again.
error-upload-unreadable = The form could not be read.
error-upload-try-again = Please try again.
error-upload-not-checked = The files could not be checked ({ $reason }). Please try again.
error-document-purged = This document was deleted after the retention period.

## A form posted from another site.

error-cross-site = This request did not come from a Gatehouse page and was refused.
