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
