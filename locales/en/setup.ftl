# /Account/SetupTwoFactor: the QR code (or the key to type), then the first code. The scan
# step also serves Replace authenticator (see authenticator.ftl).
# Labels in **bold** in the README and PRODUCT.md are what people and support documents name:
# keep them as they are.

setup-title = Set up two-factor authentication
setup-intro = Two-factor authentication is required. Install an authenticator app on a device only you use, then add this account to it.
setup-go-to-sign-in = Go to the sign-in page

## The guide: which authenticator fits which needs. The apps' names are not translated.

setup-guide-caption = Choose an authenticator
setup-guide-authenticator = Authenticator
setup-guide-mobile-app = Mobile app
setup-guide-desktop-app = Desktop app
setup-guide-web-app = Web app
setup-guide-browser-extension = Browser extension
setup-guide-free-plan = Free plan
setup-guide-yes = Yes
setup-guide-no = No

## Scanning, then the first code.

setup-scan-title = Scan the QR code
# The entry's name follows in bold (e.g. "Gatehouse: ada@example.com"), then setup-scan-entry-after.
setup-scan-entry-before = In your authenticator, add an account and scan this code. It creates the entry
setup-scan-entry-after = .
# The QR code's name for screen readers.
setup-qr-label = QR code for your authenticator app
setup-manual-key = Enter your key manually
setup-manual-key-lead = If your app cannot scan the code, choose to enter a key and type this one (spaces do not matter):
setup-copy-key = Copy key
setup-copied = Copied
setup-next = Next
setup-confirm-lead = Enter the 6-digit code your authenticator app now shows for this account.
setup-back-to-qr = Back to the QR code
