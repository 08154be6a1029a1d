# Felder, die mehrere Seiten teilen.

components-code-label = Authentifizierungscode
components-code-hint = 6 Ziffern; alle 30 Sekunden erscheint ein neuer Code.
components-recovery-code-label = Wiederherstellungscode
components-recovery-code-hint = 10 Buchstaben und Ziffern, etwa abcde-12345.
components-new-password-hint = Mindestens 12 Zeichen. Einige Wörter ohne Zusammenhang ergeben ein starkes Passwort, das leicht zu merken ist; gängige Passwörter werden abgelehnt.
