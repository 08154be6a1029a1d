# Fields several pages share.

components-code-label = Authentication code
components-code-hint = 6 digits; a new code appears every 30 seconds.
components-recovery-code-label = Recovery code
components-recovery-code-hint = 10 letters and digits, like abcde-12345.
components-new-password-hint = At least 12 characters. A few unrelated words make a strong password that is easy to remember; common passwords are refused.
