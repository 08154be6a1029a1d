# Forgot password?: /Account/ForgotPassword asks for the address, the mailed link opens
# /Account/ResetPassword, where the new password is chosen.

reset-sent = If an account uses that address, we have sent it a link to choose a new password. The link works once, for 1 hour. Check your spam folder if nothing arrives in a few minutes.
reset-link-gone = Your new password could not be set: the link expired or was used for another sign-in. Ask for a new link.

## /Account/ForgotPassword

reset-forgot-page-title = Forgot password
reset-forgot-title = Forgot password?
reset-forgot-lead = Enter the email address you sign in with. We will mail you a link to choose a new password. You will still need your authenticator app afterwards.
reset-email = Email address
reset-send-link = Send link
reset-back-to-sign-in = Back to the sign-in page
# After the link "Can't log in?" (login-cant-log-in).
reset-cant-log-in-help = Lost your authenticator app too? Ask support instead.

## /Account/ResetPassword

reset-title = Choose a new password
reset-ask-new-link = Ask for a new link
reset-user-name = User name
reset-new-password = New password
reset-confirm-password = Confirm password
reset-set-password = Set new password
reset-next = Next you enter the code from your authenticator app: your new password takes effect once you do, and every session signed in with your old one is signed out.
