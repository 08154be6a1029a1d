# Recovery codes: the sign-in step (/Account/Login?step=recovery), the page that shows a new
# set once (/Account/RecoveryCodes), and the Security page's section.

recovery-step-lead = Enter one of the recovery codes you saved when you set up two-factor authentication. Each code works once.
recovery-log-in = Log in
recovery-use-authenticator = Use your authenticator app instead

## /Account/RecoveryCodes

recovery-page-title = Your recovery codes
recovery-title = Recovery codes
recovery-shown-once = Recovery codes are shown only once, right after they are made. If you did not save yours, generate new ones on your Security page: the old ones then stop working.
recovery-go-to-security = Go to your Security page
recovery-go-to-start = Go to the start page
recovery-save-title = Save your recovery codes
recovery-save-lead = If you lose your phone or cannot use your authenticator app, each of these codes signs you in once. Keep them somewhere safe, such as your password manager. They are shown only now.
# The first line of the downloaded or copied text, above the codes.
recovery-file-heading = Recovery codes (each works once, in place of a code from your authenticator app):
# The downloaded file's name.
recovery-file-name = recovery-codes.txt
recovery-download = Download
recovery-copy = Copy
recovery-copied = Copied
recovery-print = Print
recovery-saved-continue = I have saved my codes, continue

## The Security page's section.

recovery-section-lead = A recovery code signs you in once when you cannot use your authenticator app. Generating new codes makes the old ones stop working.
recovery-left = { $count ->
        [0] You have no unused recovery codes. Generate new ones, so that you can still sign in if you lose your phone.
        [one] You have 1 unused recovery code left.
       *[other] You have { $count } unused recovery codes left.
    }
recovery-generate = Generate new recovery codes
