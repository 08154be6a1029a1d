# What the browser itself says: the passkey dialog's outcome, a new passkey's default name.

passkey-dialog-cancelled = The passkey dialog was closed or timed out, or no passkey was chosen. Try again when you are ready.
passkey-dialog-already-registered = This device already has a passkey for your account.
passkey-dialog-wrong-address = Passkeys do not work at this web address. Open the site at its usual address.
passkey-dialog-unsupported = This browser does not support passkeys. Sign in with your user name and password.
passkey-dialog-failed = The passkey could not be used: { $reason }
passkey-options-unreadable = the server's passkey options could not be read
# A new passkey's name until the person changes it: "Chrome on Android".
passkey-default-name = { $browser } on { $system }
passkey-default-browser = Browser
