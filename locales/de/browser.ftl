# Was der Browser selbst sagt: das Ergebnis des Passkey-Dialogs, der vorgeschlagene Name eines neuen Passkeys.

passkey-dialog-cancelled = Der Passkey-Dialog wurde geschlossen, ist abgelaufen, oder es wurde kein Passkey ausgewählt. Versuchen Sie es erneut, sobald Sie bereit sind.
passkey-dialog-already-registered = Dieses Gerät hat bereits einen Passkey für Ihr Konto.
passkey-dialog-wrong-address = Passkeys funktionieren unter dieser Webadresse nicht. Öffnen Sie die Website unter ihrer üblichen Adresse.
passkey-dialog-unsupported = Dieser Browser unterstützt keine Passkeys. Melden Sie sich mit Benutzername und Passwort an.
passkey-dialog-failed = Der Passkey konnte nicht verwendet werden: { $reason }
passkey-options-unreadable = die Passkey-Optionen des Servers konnten nicht gelesen werden
# Der Name eines neuen Passkeys, bis die Person ihn ändert: „Chrome auf Android“.
passkey-default-name = { $browser } auf { $system }
passkey-default-browser = Browser
