from celery import shared_task
from django.contrib.auth.forms import PasswordResetForm

from accounts.models import User


class InvitationForm(PasswordResetForm):
    """Django's password-reset mail, reused to invite: its link lets the new member
    choose a password. The stock form skips accounts without a usable password,
    which is exactly what an invited account is."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email, is_active=True)


@shared_task
def send_invitation(*, email: str, domain: str, use_https: bool) -> None:
    form = InvitationForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            subject_template_name="registration/invitation_subject.txt",
            email_template_name="registration/invitation_email.txt",
        )
