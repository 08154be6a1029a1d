# Mails about a support request: the receipt, the link that confirms a request filed signed
# out, the decision, and to the person whose two-factor authentication was reset, what to do
# next. { $product } is the configured product name, { $reference } the request's reference,
# { $to } the recipient's address. The greeting is mail-hello (mail.ftl).

support-mail-not-sent-by-you = If you did not send this request, you can ignore this mail.
# Where a link does not open as one: the address follows this sentence.
support-mail-link-fallback = If the link does not work, copy this address into your browser:

## The receipt. The mail's HTML shows { $reference } in bold in the first sentence.

support-mail-received-subject = { $product } support request { $reference } received
support-mail-received = We received your support request { $reference }.
support-mail-received-next = A support agent will review it and email you at this address. Quote { $reference } if you write to us about it.

## The confirmation, to the address typed as the requester's. { $target } is the person whose
## two-factor authentication is to be reset, { $account } the account name typed.

support-mail-confirm-subject = Confirm your { $product } support request { $reference }
support-mail-confirm-asked = Someone asked { $product } support to reset two-factor authentication for { $target } in the account “{ $account }”, and gave { $to } as their email address.
# The link (or, in HTML, the button support-mail-confirm-button) follows this sentence.
support-mail-confirm-once = Support looks at the request only once you confirm that you sent it:
support-mail-confirm-button = Confirm request { $reference }
support-mail-confirm-expiry = The link works once, for 24 hours; then the request is deleted.
support-mail-confirm-not-you = If you did not send this request, ignore this mail: nothing will happen.

## The decision, to the requester. The mail's HTML shows { $reference } in bold.

support-mail-approved-subject = { $product } support request { $reference } approved
support-mail-approved = Your request { $reference } was approved: two-factor authentication was reset for { $target }. They have been signed out everywhere. We mailed them a link that, with their password, lets them set up their authenticator app again.
support-mail-rejected-subject = { $product } support request { $reference } rejected
support-mail-rejected = Your request { $reference } to reset two-factor authentication for { $target } was rejected.
support-mail-rejected-reason = The reason given: { $reason }
support-mail-rejected-again = You can file a new request with what was missing.

## To the person whose authenticator app was removed: delete the old entry (how, in each app
## the setup page recommends), then set up again with the link and the password.

support-mail-reset-subject = Two-factor authentication for { $product } was reset
support-mail-reset = At a request from your account owner or a co-owner, reviewed by our support team, two-factor authentication for { $to } on { $product } was reset. You have been signed out everywhere.
# Followed by one line per app: its name, a colon, then the support-mail-remove-... sentence.
support-mail-reset-delete = 1. Delete the old { $product } entry from your authenticator app: its codes no longer work.
support-mail-remove-authy = open the entry, tap the gear (or ⋮), then Delete account.
support-mail-remove-google = tap ⋮ (or hold the entry), choose Edit, select the entry and tap the bin.
support-mail-remove-microsoft = open the entry, tap the gear, then Remove account.
support-mail-remove-lastpass = swipe the entry left (or hold it) and tap Delete.
support-mail-remove-1password = open the item, choose Edit, remove the one-time password field and save.
support-mail-browser-extension = Authenticator (browser extension)
support-mail-remove-browser-extension = click the pencil, then the ✕ next to the entry.
# Plain text: followed by the link on its own line, then support-mail-reset-new-code and
# support-mail-reset-expiry.
support-mail-reset-open = 2. Open this link and log in with your user name and password:
support-mail-reset-new-code = You will set up two-factor authentication again with a new QR code.
# HTML: { $link } is the link, reading support-mail-reset-button; support-mail-reset-expiry follows.
support-mail-reset-open-link = 2. { $link }: the link opens the login page, where you log in with your user name and password and scan a new QR code.
support-mail-reset-button = Set up two-factor authentication again
support-mail-reset-expiry = The link works once, for 7 days; your password alone is not enough, so keep this mail to yourself. If the link has expired, log in with your password and we will mail you a new one.
support-mail-reset-passkeys = Your passkeys, if you have any, still work.
support-mail-reset-not-expected = If you did not expect this, tell your account owner at once.
