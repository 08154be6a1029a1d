# Single Sign-on auf der Anmeldeseite: die Schaltflächen und warum eine Anmeldung über einen
# Anbieter abgelehnt zurückkam. { $provider } ist der Name des Anbieters (oder sso-your-provider).

sso-sign-in-with = Mit { $provider } anmelden
sso-your-provider = Ihr Anmeldeanbieter

## Warum ein Single Sign-on niemanden angemeldet hat.

sso-expired = Diese Anmeldung ist abgelaufen oder wurde bereits abgeschlossen. Beginnen Sie erneut mit der Anmelde-Schaltfläche.
sso-other-browser = Diese Anmeldung wurde in einem anderen Browser oder Fenster begonnen und deshalb abgebrochen. Beginnen Sie hier erneut mit der Anmelde-Schaltfläche.
sso-denied = { $provider } hat Sie nicht angemeldet. Versuchen Sie es erneut, oder melden Sie sich mit Benutzername und Passwort an.
sso-provider-failed = { $provider } konnte die Anmeldung nicht abschließen. Versuchen Sie es gleich noch einmal, oder melden Sie sich mit Benutzername und Passwort an.
sso-bad-answer = Die Antwort von { $provider } konnte nicht überprüft werden, daher wurden Sie nicht angemeldet. Versuchen Sie es erneut; wenn es wieder passiert, wenden Sie sich an Ihren Administrator.
sso-unverified = { $provider } hat Ihre E-Mail-Adresse nicht bestätigt, daher kann sie hier keinem Konto zugeordnet werden. Bestätigen Sie Ihre E-Mail-Adresse bei { $provider }, oder melden Sie sich mit Benutzername und Passwort an.
sso-unknown = Für die E-Mail-Adresse, die { $provider } übermittelt hat, gibt es hier kein Konto. Bitten Sie Ihren Kontoinhaber, Sie zuerst einzuladen.
sso-invitation-expired = Ihre Einladung ist abgelaufen oder wurde bereits verwendet. Bitten Sie die Person, die Sie eingeladen hat, eine neue zu senden.
sso-invitation-pending = Sie wurden eingeladen, haben die Einladung aber noch nicht angenommen. Öffnen Sie die Einladungs-E-Mail und nehmen Sie die Einladung dort an: Auf jener Seite können Sie sich mit { $provider } anmelden.
sso-other-address = Die Einladung wurde an eine andere Adresse gesendet als die, die { $provider } übermittelt hat. Melden Sie sich bei { $provider } mit der Adresse an, an die die Einladung ging, oder wählen Sie auf der Seite der Einladung ein Passwort.
sso-joined-elsewhere = Für die Adresse, mit der Sie eingeladen wurden, gibt es hier bereits einen Benutzer in einem anderen Konto. Melden Sie sich damit an, oder bitten Sie die Person, die Sie eingeladen hat, eine andere Adresse einzuladen.
sso-not-allowed = { $provider } kann hier nicht für die Anmeldung bei diesem Konto verwendet werden. Melden Sie sich mit Benutzername und Passwort an.
sso-set-up-first = Richten Sie Ihre Authenticator-App ein, indem Sie sich zuerst mit Benutzername und Passwort anmelden; danach funktioniert auch { $provider }.
sso-setup-link-sent = Ihr Konto hat keine Authenticator-App. Zum Einrichten brauchen Sie { $provider } und einen Link, den wir Ihnen per E-Mail senden: Wir haben ihn an Ihre E-Mail-Adresse gesendet. Öffnen Sie den Link und melden Sie sich dann erneut mit { $provider } an.
sso-unavailable = Diese Anmeldeoption ist nicht verfügbar. Melden Sie sich mit Benutzername und Passwort an.
