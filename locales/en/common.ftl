# Words every page shares.

# The language's own name, in the language switch.
language-name = English
