# /support/new: the support request form (the "reset workflow"), its drop zones, what it says
# after sending; and /support/confirm, where a request filed signed out is confirmed.
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are.

support-title = Contact support
support-lead = The account owner or a co-owner can ask support to reset a user's two-factor authentication (2FA), for example after the phone with the authenticator app was lost. Support checks the request and answers by email.

## The fields. The areas' values sent to the server stay in English; these are their names.

support-area = Area
support-area-account = Account
support-area-billing = Billing
support-area-subscription = Subscription
support-requester-email = Your email address
support-requester-signed-in = You are signed in: support answers this address.
support-requester-confirm = We mail you a link to confirm the request: support sees it only once you do.
support-account-name = Account name
support-subject = Subject
# The subject prefilled for a 2FA reset.
support-subject-reset = Reset 2FA
support-owner-self = I am the account owner and the reset is for me
support-target-email = Email of the user to reset
support-target-hint = The address they log in with.
support-description = Description
# The description prefilled, following what is filled in until the person writes their own.
# $role: owner, co-owner, or unknown (not known yet); $whom: an email address, or
# support-description-seed-whom while none is typed.
support-description-seed = I, the { $role ->
        [owner] account owner
        [co-owner] co-owner
       *[unknown] { "[" }account owner / co-owner{ "]" }
    }, ask for 2FA to be reset for { $whom }.
support-description-seed-whom = { "[" }user's email{ "]" }

## The documents, each in its own drop zone.

support-documents-legend = Documents for the account owner's own reset
support-documents-hint = Support needs all three to confirm that it is you. They are stored encrypted, seen only by support, and deleted after your request is closed.
support-zone-legal-id = Legal ID
support-zone-legal-id-hint = Your passport or driver's licence.
support-zone-business-registration = Proof of business registration
support-zone-business-registration-hint = For example a certificate of incorporation or a registry extract.
support-zone-letterhead = Letter on company letterhead
support-zone-letterhead-hint = Signed, asking for your 2FA to be reset.
support-zone-attachments = Attachments
support-zone-attachments-hint = Anything else that helps support, such as a screenshot.
# Follows each zone's hint.
support-zone-formats = PDF, JPEG or PNG, up to 10 MB each.
# Followed by support-choose-files, the part that looks like a link.
support-drop-files = Drop files here or
support-choose-files = choose files
# The progress bar of a file while the form is sent.
support-file-sending = Sending { $name }
support-file-remove = Remove
support-file-remove-label = Remove { $name }

## Files refused at once in the browser, and the form's problems. $max: the most files a
## request takes; $documents: the missing documents' names, joined by commas, $count of them.

support-file-wrong-type = “{ $name }” was not accepted: only PDF, JPEG and PNG files can be sent.
support-file-empty = “{ $name }” was not accepted: the file is empty.
support-file-too-large = “{ $name }” was not accepted: it is larger than 10 MB.
support-too-many-files = Send at most { $max ->
        [one] 1 file
       *[other] { $max } files
    } with one request.
support-files-too-large-total = The files add up to more than 25 MB: send the largest ones at a lower resolution.
support-missing-owner-proof = An account owner's own reset needs the { $documents }: add { $count ->
        [one] it
       *[other] them
    }.
support-problem-invalid = Some details were missing or not valid: fill in every field and send the form again.
support-problem-file = A file was not accepted: send PDF, JPEG or PNG files whose content matches their name.
support-problem-too-large = A file was larger than 10 MB, or the files added up to more than 25 MB.
support-problem-owner-documents = An account owner's own reset needs the Legal ID, the Proof of business registration and the Letter on company letterhead.
support-problem-not-yours = You cannot ask for this reset: co-owners ask for users' resets only, the account owner for everyone else's, and only for people of your own account.
support-problem-busy = Too many requests were sent from here. Try again in an hour.
support-problem-later = Many requests are being sent right now. Please send yours again in a minute.
support-problem-slow = The files came too slowly and were stopped. Please send the request again, on a faster connection if you can.
support-problem-broken = The form could not be read completely. Please send it again.
support-send-offline = The request could not be sent. Check your connection and send it again: nothing was lost.
support-send-broken = Something went wrong on our side. Please send the request again in a moment.

## Sending, and what the page says after.

support-send = Send request
support-sending = Sending…
support-back-to-login = Back to the login page
# Filed signed out: the reference stands between the two parts.
support-confirm-title = Confirm your request
support-confirm-status-before = Your request
support-confirm-status-after = is not with support yet. We sent a link to the email address you gave: open it to confirm that the request is yours.
support-confirm-lead = Support sees the request only once you confirm it. The link works once, for 24 hours; an unconfirmed request is then deleted with its documents. Nothing arrived? Check your spam folder, and that you typed your address right.
# Filed signed in: the reference stands between the two parts.
support-received-title = Request received
support-received-reference-before = Your reference is
support-received-reference-after = .
support-received-lead = We will email you when support has looked at your request. Quote the reference if you write to us about it.

## /support/confirm: the link mailed to a requester who filed signed out.

support-confirm-page-title = Confirm your support request
support-confirm-new-request = Send a new request
support-confirm-intro = Someone, hopefully you, asked support to reset two-factor authentication, giving your email address. Support looks at the request only once you confirm that you sent it.
support-confirm-reference = Reference
support-confirm-target = Person to reset
support-confirm-documents = Documents
support-confirm-document-count = { $count ->
        [0] None
        [one] 1 file
       *[other] { $count } files
    }
support-confirm-submit = Confirm request
support-confirm-not-you = Not you? Close this page: an unconfirmed request is deleted after 24 hours, with its documents.
