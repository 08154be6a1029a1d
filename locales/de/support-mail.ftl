# E-Mails zu einer Supportanfrage: die Eingangsbestätigung, der Link, der eine abgemeldet
# gestellte Anfrage bestätigt, die Entscheidung und, an die Person, deren Zwei-Faktor-
# Authentifizierung zurückgesetzt wurde, was nun zu tun ist. { $product } ist der eingestellte
# Produktname, { $reference } die Nummer der Anfrage, { $to } die Adresse des Empfängers. Die
# Anrede ist mail-hello (mail.ftl).

support-mail-not-sent-by-you = Wenn Sie diese Anfrage nicht gesendet haben, können Sie diese E-Mail ignorieren.
# Wo ein Link sich nicht öffnen lässt: Die Adresse folgt auf diesen Satz.
support-mail-link-fallback = Wenn der Link nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:

## Die Eingangsbestätigung. Im HTML der E-Mail steht { $reference } im ersten Satz fett.

support-mail-received-subject = Ihre Supportanfrage { $reference } bei { $product } ist eingegangen
support-mail-received = Wir haben Ihre Supportanfrage { $reference } erhalten.
support-mail-received-next = Ein Support-Mitarbeiter prüft sie und antwortet Ihnen per E-Mail an diese Adresse. Geben Sie { $reference } an, wenn Sie uns dazu schreiben.

## Die Bestätigung, an die als Antragsteller angegebene Adresse. { $target } ist die Person,
## deren Zwei-Faktor-Authentifizierung zurückgesetzt werden soll, { $account } der angegebene
## Kontoname.

support-mail-confirm-subject = Bestätigen Sie Ihre Supportanfrage { $reference } bei { $product }
support-mail-confirm-asked = Jemand hat den Support von { $product } gebeten, die Zwei-Faktor-Authentifizierung für { $target } im Konto „{ $account }“ zurückzusetzen, und dabei { $to } als eigene E-Mail-Adresse angegeben.
# Auf diesen Satz folgt der Link (im HTML die Schaltfläche support-mail-confirm-button).
support-mail-confirm-once = Der Support prüft die Anfrage erst, wenn Sie bestätigen, dass Sie sie gesendet haben:
support-mail-confirm-button = Anfrage { $reference } bestätigen
support-mail-confirm-expiry = Der Link funktioniert einmal, 24 Stunden lang; danach wird die Anfrage gelöscht.
support-mail-confirm-not-you = Wenn Sie diese Anfrage nicht gesendet haben, ignorieren Sie diese E-Mail: Es geschieht nichts.

## Die Entscheidung, an den Antragsteller. Im HTML der E-Mail steht { $reference } fett.

support-mail-approved-subject = Supportanfrage { $reference } bei { $product } genehmigt
support-mail-approved = Ihre Anfrage { $reference } wurde genehmigt: Die Zwei-Faktor-Authentifizierung für { $target } wurde zurückgesetzt. Die Person wurde überall abgemeldet. Wir haben ihr einen Link geschickt, mit dem sie zusammen mit ihrem Passwort ihre Authenticator-App neu einrichten kann.
support-mail-rejected-subject = Supportanfrage { $reference } bei { $product } abgelehnt
support-mail-rejected = Ihre Anfrage { $reference }, die Zwei-Faktor-Authentifizierung für { $target } zurückzusetzen, wurde abgelehnt.
support-mail-rejected-reason = Angegebener Grund: { $reason }
support-mail-rejected-again = Sie können eine neue Anfrage mit den fehlenden Angaben stellen.

## An die Person, deren Authenticator-App entfernt wurde: den alten Eintrag löschen (wie, in
## jeder App, die die Einrichtungsseite empfiehlt), dann mit dem Link und dem Passwort neu einrichten.

support-mail-reset-subject = Die Zwei-Faktor-Authentifizierung für { $product } wurde zurückgesetzt
support-mail-reset = Auf Anfrage Ihres Kontoinhabers oder eines Mitinhabers und nach Prüfung durch unser Support-Team wurde die Zwei-Faktor-Authentifizierung für { $to } bei { $product } zurückgesetzt. Sie wurden überall abgemeldet.
# Darauf folgt je App eine Zeile: ihr Name, ein Doppelpunkt, dann der Satz support-mail-remove-...
support-mail-reset-delete = 1. Löschen Sie den alten Eintrag für { $product } aus Ihrer Authenticator-App: Seine Codes gelten nicht mehr.
support-mail-remove-authy = Öffnen Sie den Eintrag, tippen Sie auf das Zahnrad (oder ⋮) und dann auf „Konto löschen“.
support-mail-remove-google = Tippen Sie auf ⋮ (oder halten Sie den Eintrag gedrückt), wählen Sie „Bearbeiten“, markieren Sie den Eintrag und tippen Sie auf den Papierkorb.
support-mail-remove-microsoft = Öffnen Sie den Eintrag, tippen Sie auf das Zahnrad und dann auf „Konto entfernen“.
support-mail-remove-lastpass = Wischen Sie den Eintrag nach links (oder halten Sie ihn gedrückt) und tippen Sie auf „Löschen“.
support-mail-remove-1password = Öffnen Sie das Objekt, wählen Sie „Bearbeiten“, entfernen Sie das Feld mit dem Einmalpasswort und speichern Sie.
support-mail-browser-extension = Authenticator (Browsererweiterung)
support-mail-remove-browser-extension = Klicken Sie auf den Stift und dann auf das ✕ neben dem Eintrag.
# Nur Text: Darauf folgt der Link in eigener Zeile, dann support-mail-reset-new-code und
# support-mail-reset-expiry.
support-mail-reset-open = 2. Öffnen Sie diesen Link und melden Sie sich mit Ihrem Benutzernamen und Passwort an:
support-mail-reset-new-code = Sie richten die Zwei-Faktor-Authentifizierung dann mit einem neuen QR-Code erneut ein.
# HTML: { $link } ist der Link mit dem Text support-mail-reset-button; support-mail-reset-expiry folgt.
support-mail-reset-open-link = 2. { $link }: Der Link öffnet die Anmeldeseite, auf der Sie sich mit Ihrem Benutzernamen und Passwort anmelden und einen neuen QR-Code scannen.
support-mail-reset-button = Zwei-Faktor-Authentifizierung erneut einrichten
support-mail-reset-expiry = Der Link funktioniert einmal, 7 Tage lang; Ihr Passwort allein genügt nicht, behalten Sie diese E-Mail also für sich. Wenn der Link abgelaufen ist, melden Sie sich mit Ihrem Passwort an, und wir schicken Ihnen einen neuen.
support-mail-reset-passkeys = Ihre Passkeys, falls Sie welche haben, funktionieren weiterhin.
support-mail-reset-not-expected = Wenn Sie damit nicht gerechnet haben, informieren Sie sofort Ihren Kontoinhaber.
