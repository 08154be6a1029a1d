# Die Authenticator-App: ihr Abschnitt auf der Sicherheitsseite und „Authenticator ersetzen“
# (/Account/ReplaceAuthenticator), dessen QR-Code-Schritt aus setup.ftl stammt.

authenticator-title = Authenticator-App
authenticator-replaced = Ihre Authenticator-App wurde ersetzt. Codes aus der bisherigen App gelten nicht mehr.
authenticator-facts-used = Eingerichtet: { $set_up }. Zuletzt akzeptierter Code: { $last_used }.
authenticator-facts-unused = Eingerichtet: { $set_up }. Seitdem wurde kein Code akzeptiert.
authenticator-replace-lead = Neues Telefon, oder das alte verloren? Übertragen Sie Ihre Codes in eine andere Authenticator-App.
authenticator-replace = Authenticator ersetzen
authenticator-none = Sie haben keine Authenticator-App eingerichtet. Sie richten eine bei Ihrer nächsten Anmeldung mit Ihrem Passwort ein.

## Authenticator ersetzen

authenticator-expired = Dieser Austausch ist abgelaufen. Beginnen Sie erneut: Bestätigen Sie zuerst, dass Sie es sind.
authenticator-cancel = Abbrechen und zurück zur Sicherheitsseite
authenticator-replace-intro = Fügen Sie dieses Konto Ihrer neuen Authenticator-App hinzu. Ihre bisherige App funktioniert weiter, bis Sie einen Code aus der neuen eingeben.
authenticator-proof-lead = Bestätigen Sie zuerst, dass Sie es sind: Geben Sie den aktuellen Code aus der Authenticator-App ein, die Sie jetzt verwenden.
authenticator-continue = Weiter
authenticator-lost-title = Authenticator-App verloren?
authenticator-lost-lead = Verwenden Sie stattdessen einen Ihrer Wiederherstellungscodes. Er wird dabei verbraucht, wie bei der Anmeldung.
authenticator-continue-recovery = Mit einem Wiederherstellungscode fortfahren
authenticator-confirm-lead = Geben Sie den 6-stelligen Code ein, den Ihre neue Authenticator-App jetzt für dieses Konto anzeigt.
authenticator-back-to-qr = Zurück zum QR-Code
