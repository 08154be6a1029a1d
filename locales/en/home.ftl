# /: who is signed in, and into which account.

home-title = You are signed in
home-signed-in-as = Signed in as
home-role = Role
# { $role }: account-owner, co-owner, user or support-agent.
home-role-name = { $role ->
        [owner] account owner
        [co-owner] co-owner
        [agent] support agent
       *[user] user
    }
home-account = Account
home-no-account = Support (no account)
home-security = Security: passkeys and sessions
home-users = Users
home-support-console = Support console
home-log-out = Log out
