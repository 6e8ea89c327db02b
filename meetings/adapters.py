from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: the secretariat creates or imports people and invites them."""

    def is_open_for_signup(self, request):
        return False
