from celery import shared_task

from .models import User
from .services import invitation_send


@shared_task(acks_late=True)
def send_invitation(user_id: int) -> bool:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    invitation_send(user=user)
    return True
