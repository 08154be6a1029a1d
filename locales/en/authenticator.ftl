# The authenticator app: its section on the Security page, and Replace authenticator
# (/Account/ReplaceAuthenticator), whose QR code step is setup.ftl's.

authenticator-title = Authenticator app
authenticator-replaced = Your authenticator app was replaced. Codes from the old one no longer work.
# { $set_up }, { $last_used }: date and time, as "2025-01-31 14:05 UTC".
authenticator-facts-used = Set up { $set_up }. Last code accepted { $last_used }.
authenticator-facts-unused = Set up { $set_up }. No code accepted since.
authenticator-replace-lead = New phone, or lost the old one? Move your codes to another authenticator app.
authenticator-replace = Replace authenticator
authenticator-none = You have no authenticator app set up. You will set one up at your next sign-in with your password.

## Replace authenticator

authenticator-expired = This replacement has expired. Start again: confirm it is you first.
authenticator-cancel = Cancel and go back to the Security page
authenticator-replace-intro = Add this account to your new authenticator app. Your old app keeps working until you enter a code from the new one.
authenticator-proof-lead = First confirm it is you: enter the current code from the authenticator app you use now.
authenticator-continue = Continue
authenticator-lost-title = Lost your authenticator app?
authenticator-lost-lead = Use one of your recovery codes instead. It is used up, like at sign-in.
authenticator-continue-recovery = Continue with a recovery code
authenticator-confirm-lead = Enter the 6-digit code your new authenticator app now shows for this account.
authenticator-back-to-qr = Back to the QR code
