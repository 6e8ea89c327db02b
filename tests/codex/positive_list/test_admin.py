"""The positive list in the admin: shown for lookup, never changed there (the services record every change)."""

from django.urls import reverse

from codex.positive_list import services
from tests import factories


def test_the_admin_shows_items_and_their_history_read_only(client, cast):
    item = factories.PolicyItemFactory(committee=cast.committee, title="Kvalitetsrapport")
    services.policy_item_review(item=item, actor=cast.chair, decision="abolish", reason="Bruges ikke.")
    client.force_login(cast.administrator)
    assert "Kvalitetsrapport" in client.get(reverse("admin:codex_policyitem_changelist")).content.decode()
    page = client.get(reverse("admin:codex_policyitem_change", args=[item.pk])).content.decode()
    assert "Bruges ikke." in page and 'name="_save"' not in page
    assert client.get(reverse("admin:codex_policyitem_add")).status_code == 403
    response = client.post(reverse("admin:codex_policyitem_change", args=[item.pk]), {"title": "Noget andet"})
    assert response.status_code == 403
    item.refresh_from_db()
    assert item.title == "Kvalitetsrapport"
    assert client.get(reverse("admin:codex_policyitem_delete", args=[item.pk])).status_code == 403
    assert client.get(reverse("admin:codex_policyreview_changelist")).status_code == 200
