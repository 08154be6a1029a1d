# /Account/Login: the password step, the code step, and what the page says on arrival.
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are.

login-title = Log in
login-signed-out-idle = You were signed out because there was no activity for a while. Log in again to continue.
login-signed-out-lifetime = Your session reached the longest a sign-in lasts. Log in again to continue.
login-signed-out-application = You have logged out.
login-password-reset = Enter the code from your authenticator app: your new password takes effect once you do, and every other session is then signed out.
login-setup-link = Log in with your user name and password to set up two-factor authentication. Keep your authenticator app at hand: you scan a new QR code next.
login-user-name = User name
login-password = Password
login-submit-password = Log In
login-forgot-password = Forgot password?
login-or = or
login-passkey = Sign in with a passkey
login-cant-log-in = Can't log in?
login-cant-log-in-help = Lost the phone with your authenticator app? The account owner or a co-owner can ask support to reset your 2FA.
login-code-lead = Open your authenticator app and enter the 6-digit code it shows for this account.
login-submit-code = Log in
login-use-recovery-code = Use a recovery code
login-use-another-account = Use another account
login-enter-user-name-and-password = Enter your user name and password.
login-show-password = Show password
login-hide-password = Hide password
login-language = Language
