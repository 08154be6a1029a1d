# Fehler, die Menschen sehen: was schiefgegangen ist und was zu tun ist. `{ wait }` sagt, wie lange zu warten ist.

wait = { $minutes ->
        [0] { $seconds ->
            [one] 1 Sekunde
           *[other] { $seconds } Sekunden
        }
        [one] 1 Minute
       *[other] { $minutes } Minuten
    }
## Jede Seite.

error-not-signed-in = Bitte melden Sie sich zuerst an.
error-forbidden = Sie haben keinen Zugriff darauf.
error-step-up-required = Bestätigen Sie zu Ihrer Sicherheit, dass Sie es sind: Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.
error-internal = Bei uns ist etwas schiefgegangen. Bitte versuchen Sie es gleich noch einmal.
error-transport = Die Anfrage konnte nicht abgeschlossen werden. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.

error-blocked = Zu viele fehlgeschlagene Versuche. Versuchen Sie es in { wait } erneut.

## Anmelden: Passwort, Code, Wiederherstellungscode, Einrichtung.

error-sign-in-bad-credentials = Benutzername oder Passwort ist falsch.
error-sign-in-user-name-too-long = Ihr Benutzername ist Ihre E-Mail-Adresse, und diese hat höchstens 254 Zeichen.
error-sign-in-wrong-code = Dieser Code ist nicht richtig. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein.
error-sign-in-malformed-code = Geben Sie den 6-stelligen Code aus Ihrer Authenticator-App ein.
error-sign-in-malformed-recovery-code = Geben Sie einen Ihrer Wiederherstellungscodes so ein, wie er notiert ist: 10 Buchstaben und Ziffern, etwa abcde-12345.
error-sign-in-wrong-recovery-code = Dieser Wiederherstellungscode ist nicht richtig, oder er wurde bereits verwendet. Jeder Code funktioniert nur einmal.
error-sign-in-replayed = Dieser Code wurde bereits verwendet. Warten Sie auf den nächsten Code in Ihrer Authenticator-App.
error-sign-in-enrolment-expired = Ihre Einrichtungssitzung ist abgelaufen. Scannen Sie den neuen QR-Code und versuchen Sie es erneut.
error-sign-in-wrong-current-password = Ihr aktuelles Passwort ist nicht richtig.
error-sign-in-same-password = Das neue Passwort ist Ihr bisheriges. Wählen Sie ein anderes.
error-sign-in-replacement-expired = Dieser Austausch ist abgelaufen. Beginnen Sie erneut auf der Sicherheitsseite.
error-sign-in-no-authenticator = Sie haben keine Authenticator-App eingerichtet. Melden Sie sich ab und mit Ihrem Passwort wieder an, um eine einzurichten, oder verwenden Sie einen Passkey.
error-sign-in-expired = Ihre Anmeldung ist abgelaufen. Geben Sie Benutzername und Passwort erneut ein.
error-sign-in-set-up-first = Richten Sie zuerst Ihre Authenticator-App ein: Scannen Sie den QR-Code und geben Sie dann den Code ein, den sie anzeigt.
error-sign-in-has-authenticator = Für Ihr Konto ist bereits eine Authenticator-App eingerichtet. Melden Sie sich mit dem Code an, den sie anzeigt.
error-sign-in-set-up-after-password = Um Ihre Authenticator-App einzurichten, melden Sie sich zuerst mit Benutzername und Passwort an.
error-sign-in-setup-needs-mailbox = Für Ihr Konto ist keine Authenticator-App eingerichtet. Zum Einrichten brauchen Sie Ihr Passwort und einen Link, den wir Ihnen per E-Mail senden: Wir haben ihn an Ihre E-Mail-Adresse geschickt. Öffnen Sie den Link und melden Sie sich dann erneut an.
error-sign-in-setup-link-invalid = Dieser Einrichtungslink funktioniert nicht mehr: Er wurde bereits verwendet, er ist abgelaufen (Links gelten 7 Tage), oder es wurde ein neuerer gesendet. Wir haben Ihnen einen neuen geschickt: Öffnen Sie ihn und melden Sie sich dann erneut an.
error-sign-in-clock-off = Dieser Code ist jetzt nicht gültig. Die Uhr Ihres Geräts scheint um etwa { $minutes ->
        [one] 1 Minute
       *[other] { $minutes } Minuten
    } falsch zu gehen: Stellen Sie sie auf automatische Aktualisierung und versuchen Sie es dann mit einem neuen Code.

## Einladungen.

error-invitation-unknown = Dieser Einladungslink ist nicht gültig. Prüfen Sie, ob Sie den ganzen Link aus der E-Mail kopiert haben.
error-invitation-used = Diese Einladung wurde bereits angenommen. Melden Sie sich stattdessen mit Benutzername und Passwort an.
error-invitation-expired = Diese Einladung ist abgelaufen. Bitten Sie die Person, die Sie eingeladen hat, eine neue zu senden.
error-invitation-joined-elsewhere = { $email } hat hier bereits einen Benutzer in einem anderen Konto: Melden Sie sich damit an, oder bitten Sie die Person, die Sie eingeladen hat, eine andere Adresse einzuladen.

## Einmalanmeldung (Single Sign-on) über einen Anbieter.

error-sso-flow-gone = Diese Anmeldung ist abgelaufen oder wurde bereits abgeschlossen. Beginnen Sie erneut mit der Anmeldeschaltfläche.
error-sso-invitation-expired = Ihre Einladung ist abgelaufen. Bitten Sie die Person, die Sie eingeladen hat, eine neue zu senden.
error-sso-invitation-pending = Sie wurden eingeladen, haben die Einladung aber noch nicht angenommen: Öffnen Sie die Einladungs-E-Mail und nehmen Sie die Einladung dort an.
error-sso-unverified-email = { $provider } hat keine bestätigte E-Mail-Adresse übermittelt, daher kann sie keinem Konto hier zugeordnet werden. Bestätigen Sie Ihre E-Mail-Adresse bei { $provider }, oder melden Sie sich mit Benutzername und Passwort an.
error-sso-unknown-user = Für { $email } gibt es hier kein Konto. Bitten Sie Ihren Kontoinhaber, Sie zuerst einzuladen.
error-sso-other-address = { $provider } hat Sie als { $email } angemeldet, aber die Einladung wurde an eine andere Adresse gesendet.
error-sso-joined-elsewhere = { $email } hat hier bereits einen Benutzer in einem anderen Konto.
error-sso-not-allowed = Mit { $provider } können Sie sich hier nicht bei diesem Konto anmelden. Melden Sie sich mit Benutzername und Passwort an.
error-sso-set-up-first = Um Ihre Authenticator-App einzurichten, melden Sie sich zuerst mit Benutzername und Passwort an; danach funktioniert auch { $provider }.

## Die Benutzer des Kontos (die Seite „Benutzer“).

error-members-not-found = In Ihrem Konto gibt es niemanden mit dieser E-Mail-Adresse.
error-members-owner-only = Das kann nur der Kontoinhaber.
error-members-not-yours = Mitinhaber verwalten Benutzer; nur der Kontoinhaber kann Mitinhaber oder den Kontoinhaber ändern.
error-members-yourself = Das können Sie nicht bei sich selbst tun.
error-members-bad-role = Eine Rolle ist Benutzer oder Mitinhaber; es gibt genau einen Kontoinhaber.
error-members-invalid-email = Geben Sie eine E-Mail-Adresse wie name@example.com ein.
error-members-role-changed = Ihre Rolle in diesem Konto hat sich inzwischen geändert. Laden Sie die Seite neu, um zu sehen, was Sie jetzt tun können.
error-members-not-pending = { $email } hat die Einladung bereits angenommen.
error-members-still-invited = { $email } hat die Einladung noch nicht angenommen: Die Inhaberschaft kann nur an jemanden übergehen, der sich anmelden kann.
error-members-email-taken = { $email } hat bereits einen Benutzer, in diesem oder einem anderen Konto.
error-members-blocked = Sie haben in kurzer Zeit viele Einladungen gesendet. Versuchen Sie es in { wait } erneut.

## Passkeys.

error-passkey-ceremony-gone = Diese Passkey-Anfrage ist abgelaufen oder wurde bereits verwendet. Bitte versuchen Sie es erneut.
error-passkey-unknown-credential = Dieser Passkey ist hier nicht registriert. Melden Sie sich mit Passwort und Code an, oder wählen Sie einen anderen Passkey.
error-passkey-not-verified = Ihr Gerät hat nicht bestätigt, dass Sie es sind (PIN, Fingerabdruck oder Gesicht). Versuchen Sie es erneut und bestätigen Sie auf Ihrem Gerät.
error-passkey-not-yours = Dieser Passkey gehört nicht Ihnen. Verwenden Sie einen Ihrer eigenen Passkeys, oder geben Sie den Code aus Ihrer Authenticator-App ein.
error-passkey-wrong-origin = Diese Passkey-Antwort wurde für eine andere Webadresse erstellt. Öffnen Sie diese Website unter ihrer gewohnten Adresse und versuchen Sie es erneut.
error-passkey-cloned = Dieser Passkey wurde abgelehnt, weil er kopiert zu sein scheint (sein Nutzungszähler ist zurückgegangen). Melden Sie sich auf andere Weise an und entfernen Sie ihn auf Ihrer Sicherheitsseite.
error-passkey-already-registered = Dieser Passkey ist bereits registriert.
error-passkey-not-found = Diesen Passkey gibt es nicht mehr.
error-passkey-malformed = Die Antwort Ihres Browsers konnte nicht gelesen werden. Bitte versuchen Sie es erneut.
error-passkey-rejected = Der Passkey konnte nicht überprüft werden. Bitte versuchen Sie es erneut.
error-passkey-bad-name = Geben Sie dem Passkey einen Namen mit 1 bis { $max } Zeichen.

## Neue Passwörter.

error-password-mismatch = Die Passwörter stimmen nicht überein.
error-password-too-short = Verwenden Sie mindestens { $min } Zeichen; Sie haben { $count }. Ein paar Wörter, die nichts miteinander zu tun haben, ergeben ein gutes Passwort.
error-password-too-long = Verwenden Sie höchstens { $max } Zeichen.
error-password-guessable = Dieses Passwort ist zu verbreitet oder zu leicht zu erraten: { $advice }
password-weak-straight-rows-of-keys-are-easy-to-guess = Gerade Tastenreihen sind leicht zu erraten.
password-weak-short-keyboard-patterns-are-easy-to-guess = Kurze Tastaturmuster sind leicht zu erraten.
password-weak-repeats-like-aaa-are-easy-to-guess = Wiederholungen wie „aaa“ sind leicht zu erraten.
password-weak-repeats-like-abc-abc-are-only-slightly-harder-to-guess = Wiederholungen wie „abcabcabc“ sind kaum schwerer zu erraten als „abc“.
password-weak-this-is-a-top-10-password = Dies ist eines der 10 häufigsten Passwörter.
password-weak-this-is-a-top-100-password = Dies ist eines der 100 häufigsten Passwörter.
password-weak-this-is-a-common-password = Dies ist ein sehr häufiges Passwort.
password-weak-this-is-similar-to-a-commonly-used-password = Dies ähnelt einem häufig verwendeten Passwort.
password-weak-sequences-like-abc-are-easy-to-guess = Folgen wie abc oder 6543 sind leicht zu erraten.
password-weak-recent-years-are-easy-to-guess = Jahreszahlen der letzten Jahre sind leicht zu erraten.
password-weak-a-word-by-itself-is-easy-to-guess = Ein einzelnes Wort ist leicht zu erraten.
password-weak-dates-are-often-easy-to-guess = Datumsangaben sind oft leicht zu erraten.
password-weak-names-and-surnames-by-themselves-are-easy-to-guess = Vor- und Nachnamen allein sind leicht zu erraten.
password-weak-common-names-and-surnames-are-easy-to-guess = Häufige Vor- und Nachnamen sind leicht zu erraten.
password-weak-pattern = Es folgt einem Muster, das Programme zum Erraten von Passwörtern früh ausprobieren.

## Supportanfragen.

error-support-blocked = Von hier wurden zu viele Anfragen gesendet. Versuchen Sie es in { wait } erneut.
error-support-confirm-blocked = Sie haben in kurzer Zeit viele Anfragen bestätigt. Versuchen Sie es in { wait } erneut.

error-support-choose-area = Wählen Sie den Bereich: Konto, Abrechnung oder Abonnement.
error-support-requester-email = Geben Sie Ihre E-Mail-Adresse ein, zum Beispiel name@firma.de.
error-support-account-name = Geben Sie den Namen Ihres Kontos ein.
error-support-subject = Geben Sie einen Betreff ein.
error-support-description = Beschreiben Sie Ihr Anliegen.
# $field: eine der drei Meldungen oben.
error-support-field-too-long = { $field } (höchstens { $max } Zeichen)
error-support-target-email = Geben Sie die E-Mail-Adresse der Person ein, deren 2FA zurückgesetzt werden soll.
error-support-own-reset-own-address = Wenn Sie als Kontoinhaber Ihre eigene 2FA zurücksetzen lassen, sind Sie selbst die betroffene Person: Geben Sie in beiden Feldern Ihre eigene E-Mail-Adresse an.
error-support-ask-an-owner = Nur Ihr Kontoinhaber oder ein Mitinhaber kann beim Support das Zurücksetzen der 2FA beantragen. Bitten Sie eine dieser Personen darum.
error-support-not-in-your-account = In Ihrem Konto gibt es niemanden mit dieser E-Mail-Adresse.
error-support-own-reset-tick = Um Ihre eigene 2FA zurücksetzen zu lassen, setzen Sie das Häkchen bei „Ich bin der Kontoinhaber und möchte meine eigene 2FA zurücksetzen lassen“ und fügen Sie die drei Dokumente hinzu.
error-support-owner-asks-for-you = Nur Ihr Kontoinhaber kann das Zurücksetzen Ihrer 2FA beantragen. Bitten Sie ihn darum.
error-support-own-reset-owner-only = Nur der Kontoinhaber beantragt auf diesem Weg das Zurücksetzen seiner eigenen 2FA.
error-support-co-owners-ask-for-users = Mitinhaber können das Zurücksetzen nur für Benutzer beantragen; für einen Mitinhaber kann es nur der Kontoinhaber beantragen.
error-support-confirm-link-invalid = Dieser Link funktioniert nicht mehr: Die Anfrage wurde bereits bestätigt, oder der Link ist abgelaufen (er gilt 24 Stunden, danach wird die Anfrage gelöscht). Wenn Sie weiterhin Hilfe brauchen, senden Sie die Anfrage erneut.

## Die Dokumente einer Supportanfrage. $problem: eine der Meldungen error-support-file-*.

error-support-file-refused = „{ $name }“ wurde nicht angenommen: { $problem }.
error-support-file-empty = Die Datei ist leer
error-support-file-bad-name = Der Dateiname enthält Zeichen, die in einem Dateinamen nicht vorkommen dürfen
error-support-file-too-large = Sie ist größer als 10 MB
error-support-file-not-allowed = Es können nur PDF-, JPEG- und PNG-Dateien gesendet werden
# $named, $actual: PDF, JPEG oder PNG.
error-support-file-name-mismatch = Laut Dateiname ist sie eine { $named }-Datei, tatsächlich aber eine { $actual }-Datei: Benennen Sie sie um, oder wählen Sie die richtige Datei
error-support-file-too-many-pixels = Das Bild ist zu groß ({ $width } × { $height } Pixel; höchstens { $max } pro Seite): Scannen Sie es mit einer geringeren Auflösung
error-support-file-broken-image = Das Bild ist beschädigt und kann nicht geöffnet werden
error-support-file-broken-pdf = Das PDF ist beschädigt oder unvollständig und kann nicht geöffnet werden
error-support-too-many-files = Senden Sie höchstens { $max ->
        [one] eine Datei
       *[other] { $max } Dateien
    } mit einer Anfrage.
error-support-files-too-large = Die Dateien sind zusammen größer als 25 MB: Senden Sie die größten in einer geringeren Auflösung.
# $documents: die fehlenden document-kind-*-Bezeichnungen, durch „, “ getrennt.
error-support-owner-documents-missing = Zum Zurücksetzen der eigenen 2FA eines Kontoinhabers { $count ->
        [one] fehlt noch dieses Dokument
       *[other] fehlen noch diese Dokumente
    }: { $documents }. Fügen Sie { $count ->
        [one] es
       *[other] sie
    } hinzu.
error-support-no-such-document = Dieses Dokument gibt es nicht.
error-support-document-purged = Dieses Dokument wurde gelöscht, als die Aufbewahrungsfrist der Anfrage endete.

# Die Dokumente der Ablagebereiche.
document-kind-legal-id = Amtlicher Ausweis
document-kind-business-registration = Nachweis der Unternehmensregistrierung
document-kind-letterhead = Schreiben auf Firmenbriefpapier
document-kind-attachments = Anhänge

## Die Entscheidung eines Support-Mitarbeiters.

error-support-not-agent = Nur Support-Mitarbeiter entscheiden über Supportanfragen.
error-support-no-such-request = Diese Anfrage gibt es nicht.
error-support-no-reason = Geben Sie den Grund für die Ablehnung an (höchstens { $max } Zeichen): Er wird dem Antragsteller per E-Mail mitgeteilt.
# $state: approved oder rejected.
error-support-already-closed = Diese Anfrage wurde bereits { $state ->
        [approved] genehmigt
        [rejected] abgelehnt
       *[other] { $state }
    }.
error-support-approval-not-verified = Der Antragsteller wurde nie bestätigt: Die Anfrage wurde gestellt, bevor Antragsteller ihre Adresse bestätigen mussten, daher beweist die E-Mail-Adresse darin nichts. Bitten Sie ihn, die Anfrage erneut zu stellen.
error-support-approval-not-owner = Der Antragsteller ist weder Kontoinhaber noch Mitinhaber des in der Anfrage genannten Kontos.
error-support-approval-unknown-target = In dem in der Anfrage genannten Konto gibt es keinen solchen Benutzer.
error-support-approval-may-not-manage = Ein Mitinhaber kann das Zurücksetzen nur für Benutzer beantragen; das Zurücksetzen eines Mitinhabers muss der Kontoinhaber beantragen, und das des Kontoinhabers erfordert dessen eigene Anfrage mit den Dokumenten.
error-support-approval-nothing-to-reset = Die betroffene Person hat keine Authenticator-App, die zurückgesetzt werden könnte.
error-support-approval-missing-documents = Für das Zurücksetzen der eigenen 2FA des Kontoinhabers fehlt noch Folgendes: { $documents }.

## Das Hochladen im Supportformular (eine einfache Route) und die Dokumente.

error-upload-busy = Gerade werden sehr viele Anfragen gesendet. Bitte senden Sie Ihre in einer Minute erneut: Es ging nichts verloren.
error-upload-slow = Die Dateien kamen zu langsam an und wurden abgebrochen. Bitte senden Sie die Anfrage erneut, wenn möglich über eine schnellere Verbindung: Es ging nichts verloren.
error-upload-incomplete = Das Formular konnte nicht vollständig gelesen werden. Bitte senden Sie es erneut.
error-upload-fields-first = Die Felder des Formulars müssen vor seinen Dateien kommen. Bitte senden Sie es erneut.
error-upload-unreadable = Das Formular konnte nicht gelesen werden.
error-upload-try-again = Bitte versuchen Sie es erneut.
error-upload-not-checked = Die Dateien konnten nicht geprüft werden ({ $reason }). Bitte versuchen Sie es erneut.
error-document-purged = Dieses Dokument wurde nach Ablauf der Aufbewahrungsfrist gelöscht.

## Ein Formular, das von einer anderen Website gesendet wurde.

error-cross-site = Diese Anfrage kam nicht von einer Gatehouse-Seite und wurde abgelehnt.
