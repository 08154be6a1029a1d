# Die **Letzten Sicherheitsereignisse** der Sicherheitsseite, je ein Satz (die Liste selbst
# steht in events.ftl), und Browser, wie die Sicherheitsseite sie nennt.

## Browser: $browser und $system sind Namen („Firefox“, „Linux“) und werden nicht übersetzt.

activity-browser-on-system = { $browser } auf { $system }
activity-unknown-browser = Ein unbekannter Browser

## Anmelden und bestätigen, dass Sie es sind.
## $how ist eine der activity-with-…-Nachrichten unten (oder, bei einem Ereignis in
## unbekannter Form, dessen englisches Detail, wie es erfasst wurde); $browser ist
## activity-browser-on-system oder der Name eines Browsers.

activity-signed-in = Angemeldet { $how }
activity-signed-in-from = Angemeldet { $how } in { $browser }
# Die zwei Schritte einer Anmeldung: $first ist password, new-password (über einen per E-Mail
# gesendeten Link gewählt) oder sso (über $provider, den Namen eines Anbieters für
# Einmalanmeldung); $second ist code, recovery-code oder new-authenticator (eine beim Anmelden
# eingerichtete Authenticator-App).
activity-with-steps = mit { $first ->
        [sso] { $provider } (Einmalanmeldung)
        [new-password] einem neuen Passwort
       *[password] Passwort
    } und { $second ->
        [recovery-code] Wiederherstellungscode
        [new-authenticator] einer neuen Authenticator-App
       *[code] Code
    }
# $name ist der Name des Passkeys, wie die Person ihn vergeben hat.
activity-with-passkey = mit dem Passkey „{ $name }“
activity-with-code = mit einem Code
activity-with-recovery-code = mit einem Wiederherstellungscode
# Vor einer heiklen Änderung erneut nach einem zweiten Faktor gefragt.
activity-confirmed = Identität { $how } bestätigt
activity-sign-in-failed-password = Eine Anmeldung ist fehlgeschlagen: falsches Passwort
activity-sign-in-failed-passkey = Eine Anmeldung mit einem Passkey ist fehlgeschlagen
activity-sign-in-failed-code = Eine Anmeldung ist fehlgeschlagen: falscher Authentifizierungscode
activity-code-replay-refused = Ein bereits verwendeter Authentifizierungscode wurde abgelehnt
activity-sign-in-throttled = Anmeldeversuche wurden nach wiederholten Fehlversuchen pausiert

## Sitzungen.

activity-signed-out = Abgemeldet
activity-session-ended = Eine andere Sitzung abgemeldet
activity-other-sessions-ended = Alle anderen Sitzungen abgemeldet ({ $count ->
        [one] 1 andere Sitzung
       *[other] { $count } andere Sitzungen
    })
# Dasselbe, wenn die Anzahl nicht erfasst wurde.
activity-other-sessions-ended-plain = Alle anderen Sitzungen abgemeldet

## Passwort, Authenticator-App, Passkeys, Wiederherstellungscodes.

activity-password-set = Passwort festgelegt
activity-invitation-accepted = Einladung angenommen
activity-authenticator-set-up = Authenticator-App eingerichtet
activity-password-reset-requested = Ein Link zum Wählen eines neuen Passworts wurde per E-Mail gesendet
activity-password-reset = Passwort über einen per E-Mail gesendeten Link zurückgesetzt (Ihre Sitzungen wurden abgemeldet)
activity-password-changed = Passwort geändert (Ihre anderen Sitzungen wurden abgemeldet)
activity-authenticator-replaced = Authenticator-App ersetzt (Codes der alten App funktionieren nicht mehr)
activity-two-factor-reset = Zwei-Faktor-Authentifizierung vom Support zurückgesetzt
activity-passkey-added = Passkey „{ $name }“ hinzugefügt
activity-passkey-renamed = Ein Passkey wurde in „{ $name }“ umbenannt
activity-passkey-removed = Passkey „{ $name }“ entfernt
activity-passkey-refused = Ein Passkey wurde abgelehnt
activity-recovery-codes-issued = Neue Wiederherstellungscodes wurden erstellt (die alten funktionieren nicht mehr)
# $left: wie viele Wiederherstellungscodes die Person noch hat.
activity-recovery-code-used = Ein Wiederherstellungscode wurde verwendet ({ $left ->
        [0] keiner mehr übrig
       *[other] noch { $left } übrig
    })
# Dasselbe, wenn die Anzahl nicht erfasst wurde.
activity-recovery-code-used-plain = Ein Wiederherstellungscode wurde verwendet
activity-sso-linked = Einmalanmeldung mit Ihrem Konto verknüpft

## Die Rolle der Person in ihrem Konto. $from und $to: owner, co-owner, user oder agent.

activity-role-changed = Ihre Rolle wurde von { $from ->
        [owner] Kontoinhaber
        [co-owner] Mitinhaber
        [agent] Support-Mitarbeiter
       *[user] Benutzer
    } zu { $to ->
        [owner] Kontoinhaber
        [co-owner] Mitinhaber
        [agent] Support-Mitarbeiter
       *[user] Benutzer
    } geändert
# Dasselbe, wenn die Rollen nicht in bekannter Form erfasst wurden.
activity-role-changed-plain = Ihre Rolle wurde geändert
# $email: die des neuen Inhabers.
activity-handed-over = Sie haben das Konto an { $email } übergeben (Sie sind jetzt Mitinhaber)
# $email: die des bisherigen Inhabers.
activity-became-owner = Sie sind jetzt Kontoinhaber (übergeben von { $email })
