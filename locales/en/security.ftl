# /Account/Security: the page, its passkeys (list, add, rename, remove), and the step-up that
# asks for a fresh code before a change goes ahead.
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are.

security-title = Security
security-back = Back to the start page
security-used-recovery-code = You signed in with a recovery code. If your authenticator app is gone for good, ask your account owner to request a 2FA reset, and generate new recovery codes.

## Passkeys

security-passkeys-title = Passkeys
security-passkeys-lead = A passkey signs you in with your device's screen lock (fingerprint, face or PIN) instead of your password and code. Your authenticator app keeps working either way.
security-no-passkeys = You have no passkeys yet.
security-column-name = Name
security-column-created = Created
security-column-last-used = Last used
security-column-actions = Actions
security-never-used = Never
security-passkey-name = Passkey name
security-passkey-name-hint = So you can tell your passkeys apart, e.g. “Work laptop”.
security-passkey-name-problem = Give the passkey a name of 1 to { $max } characters.
security-add-passkey = Add a passkey
security-passkey-added = Passkey “{ $name }” added. You can now sign in with it, without a password or code.
security-passkey-removed = Passkey “{ $name }” removed.
security-new-name = New name
security-save = Save
security-cancel = Cancel
security-rename = Rename
security-remove = Remove
security-remove-question = Remove this passkey?
security-remove-yes = Yes, remove

## Step-up: confirming it is still the person before a change

security-step-up-title = Confirm it is you
security-step-up-recovery-codes = New recovery codes need the current code from your authenticator app, however recently you signed in: a recovery code can replace the app.
security-step-up-not-recent = Your last sign-in was more than 10 minutes ago. Enter the current code from your authenticator app to continue.
security-step-up-confirm = Confirm
security-step-up-passkey = Use a passkey instead
