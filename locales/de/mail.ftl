# E-Mails. { $product } ist der eingestellte Produktname, { $to } die Adresse des Empfängers.

mail-hello = Guten Tag,

## Sicherheitshinweise: was geschah, dann was zu tun ist, wenn es nicht die Person selbst war.

mail-notice-was-you = Wenn Sie das waren, ist nichts zu tun.
mail-notice-was-not-you = Wenn Sie das nicht waren, melden Sie sich an und prüfen Sie Ihre Sicherheitsseite: Ändern Sie Ihr Passwort, melden Sie Sitzungen ab, die Sie nicht kennen, und entfernen Sie Passkeys, die Sie nicht hinzugefügt haben:
mail-notice-security-page = Ihre Sicherheitsseite
mail-notice-cannot-sign-in = Wenn Sie sich nicht mehr anmelden können, wählen Sie auf der Anmeldeseite „Anmeldung nicht möglich?“ oder öffnen Sie:
mail-notice-cant-log-in = Anmeldung nicht möglich?

mail-passkey-added-subject = Ein Passkey wurde Ihrer Anmeldung bei { $product } hinzugefügt
mail-passkey-added = Der Passkey „{ $name }“ wurde Ihrer Anmeldung bei { $product } ({ $to }) hinzugefügt.
mail-passkey-removed-subject = Ein Passkey wurde aus Ihrer Anmeldung bei { $product } entfernt
mail-passkey-removed = Der Passkey „{ $name }“ wurde aus Ihrer Anmeldung bei { $product } ({ $to }) entfernt.
mail-recovery-used-subject = Ein Wiederherstellungscode wurde für Ihre Anmeldung bei { $product } verwendet
mail-recovery-used = Soeben wurde ein Wiederherstellungscode für Ihre Anmeldung bei { $product } ({ $to }) verwendet. { $left ->
        [0] Sie haben keine Wiederherstellungscodes mehr: Erstellen Sie auf Ihrer Sicherheitsseite neue.
        [one] Sie haben noch 1 Wiederherstellungscode.
       *[other] Sie haben noch { $left } Wiederherstellungscodes.
    }
mail-recovery-regenerated-subject = Neue Wiederherstellungscodes für Ihre Anmeldung bei { $product }
mail-recovery-regenerated = Für Ihre Anmeldung bei { $product } ({ $to }) wurden neue Wiederherstellungscodes erstellt. Ihre bisherigen Wiederherstellungscodes gelten nicht mehr.
mail-new-browser-subject = Neue Anmeldung bei Ihrem Konto bei { $product }
mail-new-browser = Jemand hat sich mit Ihrer Anmeldung bei { $product } ({ $to }) in einem neuen Browser oder auf einem neuen Gerät angemeldet.
mail-new-browser-from = Jemand hat sich mit Ihrer Anmeldung bei { $product } ({ $to }) in einem neuen Browser oder auf einem neuen Gerät angemeldet, von { $from }.
mail-browser-at-address = { $browser } unter { $address }
mail-authenticator-set-up-subject = Die Zwei-Faktor-Authentifizierung für Ihre Anmeldung bei { $product } ist eingerichtet
mail-authenticator-set-up = Für Ihre Anmeldung bei { $product } ({ $to }) wurde eine Authenticator-App eingerichtet. Ihre Codes sind jetzt Ihr zweiter Schritt.
mail-authenticator-replaced-subject = Ihre Authenticator-App für { $product } wurde ersetzt
mail-authenticator-replaced = Die Authenticator-App für Ihre Anmeldung bei { $product } ({ $to }) wurde durch eine neue ersetzt. Codes aus der bisherigen App gelten nicht mehr.
mail-password-changed-subject = Ihr Passwort für { $product } wurde geändert
mail-password-changed = Das Passwort Ihrer Anmeldung bei { $product } ({ $to }) wurde geändert, und alle anderen Sitzungen wurden abgemeldet.
mail-role-changed-subject = Ihre Rolle in „{ $account }“ hat sich geändert
mail-role-changed = Der Kontoinhaber hat Sie in „{ $account }“ bei { $product } ({ $to }) zum { $role ->
        [co-owner] Mitinhaber gemacht: Sie können jetzt Benutzer einladen und beim Support das Zurücksetzen ihrer 2FA beantragen
       *[user] Benutzer gemacht
    }.
mail-ownership-subject = „{ $account }“ hat einen neuen Kontoinhaber
mail-ownership-received = { $other } hat Ihnen „{ $account }“ bei { $product } übergeben: Sie sind jetzt der Kontoinhaber ({ $to }).
mail-ownership-handed = Sie haben „{ $account }“ bei { $product } an { $other } übergeben: Sie sind jetzt Mitinhaber ({ $to }).

## E-Mails, deren Zweck ein Link ist: die Einladung, ein neues Passwort, der Einrichtungslink.

mail-link-fallback = Wenn die Schaltfläche nicht funktioniert, kopieren Sie diese Adresse in Ihren Browser:
mail-invitation-subject = Ihre Einladung zu { $product }
mail-invitation = Sie wurden zu { $product } eingeladen, { $role ->
        [owner] als Kontoinhaber von „{ $account }“
        [co-owner] als Mitinhaber von „{ $account }“
        [user] als Benutzer von „{ $account }“
       *[agent] als Support-Mitarbeiter
    }.
mail-invitation-open = Öffnen Sie diesen Link, um Ihr Passwort zu wählen und die Zwei-Faktor-Authentifizierung einzurichten:
mail-invitation-button = Einladung annehmen
mail-invitation-expiry = Der Link funktioniert einmal und läuft in 7 Tagen ab. Wenn Sie diese Einladung nicht erwartet haben, ignorieren Sie diese E-Mail.
mail-password-reset-subject = Neues Passwort für { $product } wählen
mail-password-reset = Jemand, hoffentlich Sie, hat darum gebeten, ein neues Passwort für Ihre Anmeldung bei { $product } ({ $to }) zu wählen.
mail-password-reset-open = Öffnen Sie diesen Link, um es zu wählen:
mail-password-reset-button = Neues Passwort wählen
mail-password-reset-expiry = Der Link funktioniert einmal und läuft in 1 Stunde ab. Nach dem neuen Passwort geben Sie weiterhin den Code aus Ihrer Authenticator-App ein.
mail-password-reset-not-you = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.
mail-setup-link-subject = Zwei-Faktor-Authentifizierung für { $product } einrichten
mail-setup-link = Jemand, hoffentlich Sie, hat sich bei { $product } als { $to } mit dem richtigen Passwort angemeldet. Für Ihr Konto ist keine Authenticator-App eingerichtet, und zum Einrichten braucht es Ihr Passwort und diesen Link zusammen:
mail-setup-link-button = Zwei-Faktor-Authentifizierung einrichten
mail-setup-link-next = Öffnen Sie ihn, melden Sie sich erneut an und scannen Sie den QR-Code mit Ihrer Authenticator-App. Der Link funktioniert einmal, 7 Tage lang.
mail-setup-link-not-you = Wenn Sie das nicht waren, kennt jemand Ihr Passwort: Informieren Sie sofort Ihren Kontoinhaber und öffnen Sie den Link nicht.
