"""``counted_page``: the page and the total in one query, and the same pages as Django's ``get_page`` for every
number, in range or not (issue 19)."""

import pytest
from django.core.paginator import Paginator

from core.pagination import counted_page
from meetings.models import Workplace
from tests import factories

pytestmark = pytest.mark.django_db


def _same(queryset, number, per_page=3):
    mine = counted_page(queryset, per_page, number)
    django = Paginator(queryset, per_page).get_page(number)
    assert [w.pk for w in mine.object_list] == [w.pk for w in django.object_list]
    assert (mine.number, mine.paginator.count, mine.paginator.num_pages) == (
        django.number,
        django.paginator.count,
        django.paginator.num_pages,
    )
    assert (mine.has_next(), mine.has_previous(), mine.start_index(), mine.end_index()) == (
        django.has_next(),
        django.has_previous(),
        django.start_index(),
        django.end_index(),
    )
    return mine


@pytest.mark.parametrize(
    "number",
    [None, "", "1", "2", "3", "4", "99", "0", "-1", "x", "2.0", "9999999999999999999", "-9999999999999999999"],
)
def test_every_page_number_gives_the_page_djangos_paginator_gives(number):
    for i in range(8):
        factories.WorkplaceFactory(name=f"Sted {i}")
    _same(Workplace.objects.order_by("name", "pk"), number)


@pytest.mark.parametrize("number", [None, "1", "2"])
def test_an_empty_list_is_one_empty_page(number):
    page = _same(Workplace.objects.none() if number == "2" else Workplace.objects.order_by("pk"), number)
    assert page.paginator.count == 0 and list(page.object_list) == []


def test_a_page_in_range_takes_one_query_whatever_its_number(django_assert_num_queries):
    for i in range(8):
        factories.WorkplaceFactory(name=f"Sted {i}")
    for number in ("1", "2", "3"):
        with django_assert_num_queries(1):
            page = counted_page(Workplace.objects.order_by("name", "pk"), 3, number)
            assert page.paginator.count == 8 and page.paginator.num_pages == 3
