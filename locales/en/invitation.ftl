# /Account/AcceptInvitation: the invited person chooses a password (or signs in with a provider).

invitation-title = Accept your invitation
invitation-go-to-sign-in = Go to the sign-in page
# { $account }: the account's name; { $role }: account-owner, co-owner, user or support-agent.
invitation-joining = You are joining “{ $account }” as { $role ->
        [account-owner] an account owner
        [co-owner] a co-owner
        [support-agent] a support agent
       *[user] a user
    }.
invitation-joining-support = You are joining as a support agent.
invitation-user-name = User name
invitation-new-password = New password
invitation-confirm-password = Confirm password
invitation-create-password = Create password
