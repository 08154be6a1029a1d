# /Account/SetupTwoFactor: QR-Code (oder der einzutippende Schlüssel), dann der erste Code. Der
# Scanschritt dient auch „Authenticator ersetzen“ (siehe authenticator.ftl).

setup-title = Zwei-Faktor-Authentifizierung einrichten
setup-intro = Die Zwei-Faktor-Authentifizierung ist erforderlich. Installieren Sie eine Authenticator-App auf einem Gerät, das nur Sie verwenden, und fügen Sie dieses Konto dort hinzu.
setup-go-to-sign-in = Zur Anmeldeseite

## Die Übersicht: welcher Authenticator wozu passt. Die Namen der Apps werden nicht übersetzt.

setup-guide-caption = Authenticator auswählen
setup-guide-authenticator = Authenticator
setup-guide-mobile-app = Mobile App
setup-guide-desktop-app = Desktop-App
setup-guide-web-app = Web-App
setup-guide-browser-extension = Browser-Erweiterung
setup-guide-free-plan = Kostenloser Tarif
setup-guide-yes = Ja
setup-guide-no = Nein

## Scannen, dann der erste Code.

setup-scan-title = QR-Code scannen
setup-scan-entry-before = Fügen Sie in Ihrer Authenticator-App ein Konto hinzu und scannen Sie diesen Code. Dabei entsteht der Eintrag
setup-scan-entry-after = .
setup-qr-label = QR-Code für Ihre Authenticator-App
setup-manual-key = Schlüssel manuell eingeben
setup-manual-key-lead = Wenn Ihre App den Code nicht scannen kann, wählen Sie die Eingabe eines Schlüssels und geben Sie diesen ein (Leerzeichen spielen keine Rolle):
setup-copy-key = Schlüssel kopieren
setup-copied = Kopiert
setup-next = Weiter
setup-confirm-lead = Geben Sie den 6-stelligen Code ein, den Ihre Authenticator-App jetzt für dieses Konto anzeigt.
setup-back-to-qr = Zurück zum QR-Code
