from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation


@receiver(user_logged_in)
def activate_preferred_language(sender, request, user, **kwargs) -> None:
    # The login response sets the language cookie (see LoginView below): a
    # person who chose English once gets English on every device.
    translation.activate(user.language)
    request.annexe_language = user.language
