# Single sign-on on the login page: the buttons, and why a sign-in with a provider came back
# refused. { $provider } is the provider's name as configured (or sso-your-provider).

sso-sign-in-with = Sign in with { $provider }
sso-your-provider = Your sign-in provider

## Why a single sign-on did not sign anyone in.

sso-expired = This sign-in has expired or was already completed. Start again with the sign-in button.
sso-other-browser = This sign-in was started in another browser or window, so it was stopped. Start again here with the sign-in button.
sso-denied = { $provider } did not sign you in. Try again, or log in with your user name and password.
sso-provider-failed = { $provider } could not complete the sign-in. Try again in a moment, or log in with your user name and password.
sso-bad-answer = The answer from { $provider } could not be verified, so you were not signed in. Try again; if it happens again, tell your administrator.
sso-unverified = { $provider } did not confirm your email address, so it cannot be matched to an account here. Verify your email address with { $provider }, or log in with your user name and password.
sso-unknown = There is no account here for the email address { $provider } gave. Ask your account owner to invite you first.
sso-invitation-expired = Your invitation has expired, or was used already. Ask whoever invited you to send a new one.
sso-invitation-pending = You have been invited but have not accepted yet. Open the invitation mail and accept it there: you can sign in with { $provider } on that page.
sso-other-address = The invitation was sent to another address than the one { $provider } gave. Sign in at { $provider } with the address the invitation was sent to, or choose a password on the invitation's page.
sso-joined-elsewhere = The address you were invited with already has a user in another account here. Log in with it, or ask whoever invited you to invite another address.
sso-not-allowed = { $provider } cannot be used to sign in to this account here. Log in with your user name and password.
sso-set-up-first = Set up your authenticator app by logging in with your user name and password first; then { $provider } works too.
sso-setup-link-sent = Your account has no authenticator app. Setting one up takes { $provider } and a link we mail you: we have sent it to your email address. Open the link, then sign in with { $provider } again.
sso-unavailable = That sign-in option is not available. Log in with your user name and password.
