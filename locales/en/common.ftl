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
