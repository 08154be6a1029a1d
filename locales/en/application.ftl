# The pages of a sign-in an application asked for: /Account/Confirm (a fresh sign-in for the
# application), the way back to it, and /Account/ApplicationError.

application-confirm-title = Confirm it's you
application-confirm-lead = The application you are signing in to asks for a recent sign-in. Enter the current code from your authenticator app to continue.
application-continue = Continue
application-or = or
application-use-passkey = Use a passkey
application-someone-else = Log in as someone else
application-taking-you-back = Taking you back to the application…

## /Account/ApplicationError: why the application's request was not answered

application-error-page-title = Sign-in request refused
application-error-title = This sign-in request cannot be completed
application-error-client = The application that sent you here is not known to this sign-in service.
application-error-redirect = The application that sent you here asked to return to an address that is not registered for it, so you were not sent back. Its administrator should check its settings.
application-error-failed = Something went wrong on our side. Go back to the application and try again.
application-error-logout = The application's logout request was not valid, so you were not sent back to it. You are still signed in here: use Log out on the start page.
application-error-invalid = The application's sign-in request was not valid. Go back to the application and try again.
application-error-start-page = Go to the start page
