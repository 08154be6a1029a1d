# /Account/Security: die Seite, ihre Passkeys (Liste, hinzufügen, umbenennen, entfernen) und die
# erneute Bestätigung mit einem aktuellen Code, bevor eine Änderung ausgeführt wird.

security-title = Sicherheit
security-back = Zurück zur Startseite
security-used-recovery-code = Sie haben sich mit einem Wiederherstellungscode angemeldet. Falls Ihre Authenticator-App endgültig verloren ist, bitten Sie Ihren Kontoinhaber, das Zurücksetzen Ihrer 2FA zu beantragen, und erzeugen Sie neue Wiederherstellungscodes.

## Passkeys

security-passkeys-title = Passkeys
security-passkeys-lead = Mit einem Passkey melden Sie sich über die Bildschirmsperre Ihres Geräts (Fingerabdruck, Gesicht oder PIN) an statt mit Passwort und Code. Ihre Authenticator-App funktioniert in jedem Fall weiter.
security-no-passkeys = Sie haben noch keine Passkeys.
security-column-name = Name
security-column-created = Erstellt
security-column-last-used = Zuletzt verwendet
security-column-actions = Aktionen
security-never-used = Nie
security-passkey-name = Name des Passkeys
security-passkey-name-hint = Damit Sie Ihre Passkeys unterscheiden können, z. B. „Arbeits-Laptop“.
security-passkey-name-problem = Geben Sie dem Passkey einen Namen mit 1 bis { $max } Zeichen.
security-add-passkey = Passkey hinzufügen
security-passkey-added = Passkey „{ $name }“ hinzugefügt. Sie können sich jetzt damit anmelden, ohne Passwort oder Code.
security-passkey-removed = Passkey „{ $name }“ entfernt.
security-new-name = Neuer Name
security-save = Speichern
security-cancel = Abbrechen
security-rename = Umbenennen
security-remove = Entfernen
security-remove-question = Diesen Passkey entfernen?
security-remove-yes = Ja, entfernen

## Erneute Bestätigung vor einer Änderung

security-step-up-title = Bestätigen Sie, dass Sie es sind
security-step-up-recovery-codes = Neue Wiederherstellungscodes erfordern den aktuellen Code aus Ihrer Authenticator-App, egal wie kurz Ihre Anmeldung zurückliegt: Ein Wiederherstellungscode kann die App ersetzen.
security-step-up-not-recent = Ihre letzte Anmeldung liegt mehr als 10 Minuten zurück. Geben Sie den aktuellen Code aus Ihrer Authenticator-App ein, um fortzufahren.
security-step-up-confirm = Bestätigen
security-step-up-passkey = Stattdessen einen Passkey verwenden
