# Words every page shares.

# The language's own name, in the language switch.
language-name = English

# The Language setting on the Security page.
language-title = Language
language-label = Language
language-browser = Your browser's language
language-hint = For these pages and the mails sent to you, on every device you sign in with.
language-save = Save language
language-saved = Language saved.
language-unknown = Choose one of the languages offered.

# A page that does not exist.
not-found-title = Page not found
not-found-lead = There is nothing at this address.
not-found-start-page = Go to the start page

# A sign-in step asked for by someone already signed in.
error-already-signed-in = You are already signed in.

# A moment, in UTC, to the minute: 2026-12-07 14:05 UTC. Each part is given as written
# (two digits, the year in four): only their order and separators are the language's.
date-time = { $year }-{ $month }-{ $day } { $hour }:{ $minute } UTC

# A file's size (NUMBER: with the language's decimal mark).
size-mb = { NUMBER($mb, minimumFractionDigits: 1, maximumFractionDigits: 1) } MB
size-kb = { NUMBER($kb, maximumFractionDigits: 0, useGrouping: "false") } KB
